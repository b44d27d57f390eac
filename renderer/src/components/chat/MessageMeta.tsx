// The honest numbers under an answer, and the marker above it when earlier messages were left out.
import type { Message } from '../../../../app/contract.js';
import { useT } from '../../i18n/index.js';
import { formatCount, formatDuration, formatSpeed } from '../../format.js';

export function MessageStats({ message: m }: { message: Message }) {
  const t = useT();
  const s = m.stats;
  if (m.role !== 'assistant' || !s) return null;
  const parts = [
    m.model,
    t('chat.stats.ttft', { value: formatDuration(s.timeToFirstTokenMs) }),
    t('chat.stats.speed', { value: formatSpeed(s.tokensPerSecond) }),
    t('chat.stats.tokens', { count: s.tokens }),
  ].filter(Boolean);
  const detail = [
    s.promptTokens != null ? t('chat.stats.prompt', { count: s.promptTokens }) : null,
    s.contextTokens != null && s.contextSize ? t('chat.stats.context', { used: formatCount(s.contextTokens), size: formatCount(s.contextSize) }) : null,
  ].filter(Boolean);
  return (
    <p
      className="message-meta"
      data-testid="message-stats"
      data-ttft-ms={s.timeToFirstTokenMs}
      data-tokens={s.tokens}
      data-tokens-per-second={s.tokensPerSecond}
      title={detail.join(' · ') || undefined}
    >
      {parts.join(' · ')}
    </p>
  );
}

export function OverflowMarker({ message: m }: { message: Message }) {
  const t = useT();
  const dropped = m.droppedMessages ?? 0;
  if (m.role !== 'assistant' || dropped <= 0) return null;
  const size = m.stats?.contextSize;
  return (
    <p className="overflow-marker" data-testid="overflow-marker" data-dropped={dropped} role="note">
      {size
        ? t('chat.overflow.sized', { count: dropped, size: formatCount(size) })
        : t('chat.overflow', { count: dropped })}
    </p>
  );
}
