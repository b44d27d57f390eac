import { memo, useEffect, useRef, useState, type Ref } from 'react';
import type { Conversation } from '../../../app/contract.js';
import { deleteConversation, openConversation, renameConversation, setPinned } from '../store.js';
import { useT } from '../i18n/index.js';
import { PinIcon } from './chat/icons.js';
import { isUntitled } from '../format.js';

type Mode = 'view' | 'rename' | 'confirm-delete';

interface Props {
  conversation: Conversation;
  current: boolean;
  /** The row's place in the (virtual) list, for measuring it. */
  index?: number;
  /** The last pinned conversation: a line separates the pinned ones from the rest. */
  pinnedEnd?: boolean;
  ref?: Ref<HTMLLIElement>;
}

export const ConversationItem = memo(function ConversationItem({ conversation, current, index, pinnedEnd, ref }: Props) {
  const t = useT();
  const [mode, setMode] = useState<Mode>('view');
  const [draft, setDraft] = useState(conversation.title);
  const input = useRef<HTMLInputElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const restoreFocus = useRef(false);
  const title = isUntitled(conversation.title) ? t('chat.untitled') : conversation.title;
  const pinned = conversation.pinned;

  useEffect(() => {
    if (mode === 'rename') input.current?.select();
    // Enter or Escape in the rename field puts focus back on its button, not on the page.
    else if (restoreFocus.current) renameButton.current?.focus();
    restoreFocus.current = false;
  }, [mode]);

  const startRename = () => {
    setDraft(conversation.title);
    setMode('rename');
  };
  const saveRename = () => {
    const next = draft.trim().slice(0, 200);
    setMode('view');
    if (next && next !== conversation.title) void renameConversation(conversation.id, next);
  };

  return (
    <li
      ref={ref}
      data-index={index}
      className={`conversation-item${current ? ' current' : ''}${pinned ? ' pinned' : ''}${pinnedEnd ? ' pinned-end' : ''}`}
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
      data-current={current ? 'true' : 'false'}
      data-pinned={pinned ? 'true' : 'false'}
    >
      {mode === 'rename' ? (
        <input
          ref={input}
          className="rename-input"
          data-testid="rename-input"
          aria-label={t('chat.rename.input')}
          value={draft}
          maxLength={200}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={saveRename}
          onKeyDown={(e) => {
            if (e.key !== 'Enter' && e.key !== 'Escape') return;
            // No default action: the Enter must not also press the button that gets the focus back.
            e.preventDefault();
            restoreFocus.current = true;
            if (e.key === 'Enter') saveRename();
            if (e.key === 'Escape') setMode('view');
          }}
        />
      ) : (
        <button
          type="button"
          className="conversation-open"
          data-testid="open-conversation"
          aria-current={current ? 'page' : undefined}
          title={title}
          onClick={() => void openConversation(conversation.id)}
        >
          {pinned && (
            <span className="pin-mark" aria-label={t('chat.pinned')}>
              <PinIcon filled />
            </span>
          )}
          <span className="conversation-title">{title}</span>
        </button>
      )}
      {mode === 'view' && (
        <span className="conversation-actions">
          <button
            type="button"
            className={`icon-button${pinned ? ' on' : ''}`}
            data-testid="pin-conversation"
            aria-pressed={pinned}
            aria-label={pinned ? t('chat.unpinNamed', { title }) : t('chat.pinNamed', { title })}
            title={pinned ? t('chat.unpin') : t('chat.pin')}
            onClick={() => void setPinned(conversation.id, !pinned)}
          >
            <PinIcon filled={pinned} />
          </button>
          <button
            ref={renameButton}
            type="button"
            className="icon-button"
            data-testid="rename-conversation"
            aria-label={t('chat.renameNamed', { title })}
            title={t('chat.rename')}
            onClick={startRename}
          >
            ✎
          </button>
          <button
            type="button"
            className="icon-button"
            data-testid="delete-conversation"
            aria-label={t('chat.deleteNamed', { title })}
            title={t('chat.deleteChat')}
            onClick={() => setMode('confirm-delete')}
          >
            ✕
          </button>
        </span>
      )}
      {mode === 'confirm-delete' && (
        <div className="confirm" role="group" aria-label={t('chat.deleteChat.confirmLabel')}>
          <span>{t('chat.deleteChat.question')}</span>
          <button
            type="button"
            className="button danger small"
            data-testid="confirm-delete"
            autoFocus
            onClick={() => {
              setMode('view');
              void deleteConversation(conversation.id);
            }}
          >
            {t('chat.delete.confirm')}
          </button>
          <button type="button" className="button small" data-testid="cancel-delete" onClick={() => setMode('view')}>
            {t('chat.cancel')}
          </button>
        </div>
      )}
    </li>
  );
});
