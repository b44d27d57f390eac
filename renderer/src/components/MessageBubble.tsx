import type { Message } from '../../../app/contract.js';
import { isPending } from '../messages.js';
import { baseName, formatRate } from '../format.js';

/** Adds "partial answer kept" unless there is no text or main's reason already says so. */
function keptNote(reason: string, m: Message): string {
  if (m.content === '' || /partial/i.test(reason)) return reason;
  return /[.!]$/.test(reason) ? `${reason} Partial answer kept.` : `${reason} — partial answer kept`;
}

function statusNote(m: Message): string | null {
  switch (m.status) {
    case 'interrupted':
      return `Interrupted: ${keptNote(m.error ?? 'the engine stopped unexpectedly', m)}`;
    case 'stopped':
      return m.content ? 'Stopped — partial answer kept' : 'Stopped before any text was written';
    case 'error':
      return `Error: ${m.error ?? 'the answer could not be written'}`;
    default:
      return null;
  }
}

export function MessageBubble({ message: m }: { message: Message }) {
  const note = statusNote(m);
  const streaming = m.status === 'streaming';
  const stats = m.stats;

  return (
    <article
      className={`message ${m.role} status-${m.status}`}
      data-testid="message"
      data-role={m.role}
      data-status={m.status}
      data-message-id={m.id}
      data-pending={isPending(m) ? 'true' : undefined}
      aria-label={m.role === 'user' ? 'You' : 'Assistant'}
    >
      {m.content === '' && streaming ? (
        <div className="bubble">
          <span className="thinking" data-testid="waiting">
            Thinking…
          </span>
          <span className="caret" data-testid="caret" aria-hidden="true" />
        </div>
      ) : m.content !== '' ? (
        <div className="bubble">
          <div className="content" data-testid="message-content">
            {m.content}
            {streaming && <span className="caret" data-testid="caret" aria-hidden="true" />}
          </div>
        </div>
      ) : null}
      {note && (
        <p className={`message-note ${m.status}`} data-testid="message-note" role="note">
          {note}
        </p>
      )}
      {m.role === 'assistant' && stats && (
        <p className="message-meta" data-testid="message-stats">
          {[baseName(m.model), `${stats.tokens} tokens`, formatRate(stats.tokensPerSecond)].filter(Boolean).join(' · ')}
        </p>
      )}
    </article>
  );
}
