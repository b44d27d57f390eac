import { useEffect, useRef, useState } from 'react';
import { isStreaming, send, stop, useApp } from '../store.js';
import { useT } from '../i18n/index.js';
import { ChatBar } from './chat/ChatBar.js';
import { AttachButton } from './AttachButton.js';

/** Puts the cursor in the message box (after "New chat"). */
export function focusComposer(): void {
  document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')?.focus();
}

export function Composer() {
  const t = useT();
  const [text, setText] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  const streaming = useApp(isStreaming);
  const hasModel = useApp((s) => s.modelPath !== null && s.models.some((m) => m.path === s.modelPath && !m.problem));
  const connected = useApp((s) => s.connection.state === 'open');
  const canSend = hasModel && connected && !streaming && text.trim() !== '';
  const [stopping, setStopping] = useState(false);
  useEffect(() => {
    if (!streaming) setStopping(false);
  }, [streaming]);

  const submit = async () => {
    if (!canSend) return;
    const sent = text;
    setText('');
    const ok = await send(sent);
    if (!ok) setText((now) => (now === '' ? sent : now));
    input.current?.focus();
  };

  const hint = !connected ? t('chat.composer.offline') : hasModel ? t('chat.composer.hint') : t('chat.composer.noModel');

  return (
    <div className="composer-area">
    <ChatBar />
    <form
      className="composer"
      aria-label={t('chat.composer.label')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <AttachButton />
      <textarea
        ref={input}
        data-testid="composer-input"
        aria-label={t('chat.composer.input')}
        placeholder={hint}
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void submit();
          }
        }}
      />
      <div className="composer-actions">
        {streaming ? (
          <button
            type="button"
            className="button danger"
            data-testid="stop"
            disabled={stopping}
            onClick={() => {
              // Disabled while the stop is under way; a retry is allowed after 3 s.
              setStopping(true);
              setTimeout(() => setStopping(false), 3000);
              void stop();
            }}
          >
            {stopping ? t('chat.composer.stopping') : t('chat.composer.stop')}
          </button>
        ) : (
          <button type="submit" className="button primary" data-testid="send" disabled={!canSend}>
            {t('chat.composer.send')}
          </button>
        )}
      </div>
    </form>
    </div>
  );
}
