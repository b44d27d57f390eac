import { useLayoutEffect, useRef } from 'react';
import { isStreaming, useApp } from '../store.js';
import { MessageBubble } from './MessageBubble.js';

/** The open conversation; follows the end while an answer grows, unless the user scrolled up. */
export function MessageList() {
  const messages = useApp((s) => s.messages);
  const loading = useApp((s) => s.messagesLoading);
  const streaming = useApp(isStreaming);
  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

  return (
    <div
      ref={box}
      className="message-scroll"
      data-testid="message-list"
      role="log"
      aria-label="Messages"
      aria-busy={streaming || loading}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      }}
    >
      <div className="message-column">
        {messages
          .filter((m) => m.role !== 'system')
          .map((m) => (
            <MessageBubble key={m.id} message={m} />
          ))}
      </div>
    </div>
  );
}
