import { memo, useState } from 'react';
import type { Message } from '../../../app/contract.js';
import { isPending, type ShownMessage } from '../messages.js';
import { deleteMessage, regenerate, useApp } from '../store.js';
import { t as translate, useT } from '../i18n/index.js';
import { Markdown } from './chat/Markdown.js';
import { BranchSwitcher } from './chat/BranchSwitcher.js';
import { EditMessage } from './chat/EditMessage.js';
import { MessageStats, OverflowMarker } from './chat/MessageMeta.js';
import { CopyButton } from './chat/CopyButton.js';
import { PromptProgress } from './chat/PromptProgress.js';
import { StopNotice } from './chat/StopNotice.js';
import { EditIcon, RegenerateIcon, TrashIcon } from './chat/icons.js';
import { useCitationComponents } from './documents/citations.js';
import { AnswerSourcesList } from './documents/AnswerSourcesList.js';

/** Adds "partial answer kept" unless there is no text or main's reason already says so. */
function keptNote(reason: string, m: Message): string {
  if (m.content === '' || /partial|保留/i.test(reason)) return reason;
  return translate('chat.note.kept', { reason });
}

function statusNote(m: Message): string | null {
  switch (m.status) {
    case 'interrupted':
      return translate('chat.note.interrupted', { reason: keptNote(m.error ?? translate('chat.note.engineStopped'), m) });
    case 'stopped':
      return m.content ? translate('chat.note.stopped') : translate('chat.note.stoppedEmpty');
    case 'error':
      return translate('chat.note.error', { reason: m.error ?? translate('chat.note.notWritten') });
    default:
      return null;
  }
}

interface Props {
  message: ShownMessage;
  /** An answer is being written in this conversation: branch actions wait. */
  busy: boolean;
  /** The last message of the branch (a question without an answer can be answered again). */
  last: boolean;
  /** Briefly highlighted (a search result that was opened). */
  flash: boolean;
}

/** One message. Memoized: a finished message renders (and parses its Markdown) once. */
export const MessageBubble = memo(function MessageBubble({ message: m, busy, last, flash }: Props) {
  const t = useT();
  const citationParts = useCitationComponents(m.id);
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view');
  const note = statusNote(m);
  const reading = useApp((s) => s.promptProgress[m.id] !== undefined);
  const streaming = m.status === 'streaming';
  const pending = isPending(m);
  const who = m.role === 'user' ? t('chat.you') : t('chat.assistant');
  const actionsOff = busy || pending;
  const canRegenerate = m.role === 'assistant' || (m.role === 'user' && last);

  return (
    <article
      className={`message ${m.role} status-${m.status}${flash ? ' flash' : ''}`}
      data-testid="message"
      data-role={m.role}
      data-status={m.status}
      data-message-id={m.id}
      data-pending={pending ? 'true' : undefined}
      data-focused={flash ? 'true' : undefined}
      aria-label={who}
    >
      <OverflowMarker message={m} />
      {mode === 'edit' ? (
        <EditMessage id={m.id} text={m.content} onDone={() => setMode('view')} />
      ) : m.content === '' && streaming ? (
        <div className="bubble">
          {reading ? (
            <PromptProgress messageId={m.id} />
          ) : (
            <span className="thinking" data-testid="waiting">
              {t('chat.thinking')}
            </span>
          )}
          <span className="caret" data-testid="caret" aria-hidden="true" />
        </div>
      ) : m.content !== '' ? (
        <div className="bubble">
          <div className="content" data-testid="message-content">
            {m.role === 'assistant' ? <Markdown text={m.content} streaming={streaming} extra={citationParts} /> : <div className="plain">{m.content}</div>}
          </div>
          {reading && <PromptProgress messageId={m.id} />}
        </div>
      ) : null}
      {note && (
        <p className={`message-note ${m.status}`} data-testid="message-note" role="note">
          {note}
        </p>
      )}
      {m.role === 'assistant' && !streaming && <AnswerSourcesList messageId={m.id} />}
      {mode !== 'edit' && !streaming && !pending && <StopNotice message={m} disabled={busy} />}
      {mode !== 'edit' && !streaming && !pending && (
        <div className="message-footer">
          <BranchSwitcher message={m} disabled={busy} />
          <MessageStats message={m} />
          <span className="message-actions" role="group" aria-label={t('chat.actions', { who })}>
            <CopyButton testId="copy-message" label={t('chat.copyMessage')} text={() => m.content} />
            {m.role === 'user' && (
              <button
                type="button"
                className="icon-button"
                data-testid="edit-message"
                aria-label={t('chat.editMessage')}
                title={t('chat.editMessage')}
                disabled={actionsOff}
                onClick={() => setMode('edit')}
              >
                <EditIcon />
              </button>
            )}
            {canRegenerate && (
              <button
                type="button"
                className="icon-button"
                data-testid="regenerate"
                aria-label={m.role === 'assistant' ? t('chat.regenerate') : t('chat.answerAgain')}
                title={m.role === 'assistant' ? t('chat.regenerate') : t('chat.answerAgain')}
                disabled={actionsOff}
                onClick={() => void regenerate(m.id)}
              >
                <RegenerateIcon />
              </button>
            )}
            <button
              type="button"
              className="icon-button"
              data-testid="delete-message"
              aria-label={t('chat.deleteMessage')}
              title={t('chat.deleteMessage')}
              disabled={actionsOff}
              onClick={() => setMode('confirm-delete')}
            >
              <TrashIcon />
            </button>
          </span>
        </div>
      )}
      {mode === 'confirm-delete' && (
        <div className="confirm message-confirm" role="alertdialog" aria-label={t('chat.delete.confirmLabel')}>
          <span>{t('chat.delete.question')}</span>
          <button
            type="button"
            className="button danger small"
            data-testid="confirm-delete-message"
            autoFocus
            disabled={busy}
            onClick={() => {
              setMode('view');
              void deleteMessage(m.id);
            }}
          >
            {t('chat.delete.confirm')}
          </button>
          <button type="button" className="button small" data-testid="cancel-delete-message" onClick={() => setMode('view')}>
            {t('chat.cancel')}
          </button>
        </div>
      )}
    </article>
  );
});
