// The honest numbers under an answer, and the marker above it when earlier messages were left out.
import type { Message } from '../../../../app/contract.js';
import { useT } from '../../i18n/index.js';
import { formatCount, formatDuration, formatSpeed } from '../../format.js';

export function MessageStats({ message: m }: { message: Message }) {
  const t = useT();
  const s = m.stats;
  if (m.role !== 'assistant' || !s) return null;
  // Without a first token there is no time to it and no speed to show (not "0 ms · 0 tokens/s").
  const none = s.tokens === 0;
  const parts = none
    ? [m.model, m.status === 'stopped' ? t('chat.stats.stoppedBeforeFirst') : t('chat.stats.tokens', { count: 0 })]
    : [
        m.model,
        t('chat.stats.ttft', { value: formatDuration(s.timeToFirstTokenMs) }),
        t('chat.stats.speed', { value: formatSpeed(s.tokensPerSecond) }),
        t('chat.stats.tokens', { count: s.tokens }),
      ];
  const shown = parts.filter(Boolean);
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
      data-no-tokens={none ? 'true' : undefined}
      title={detail.join(' · ') || undefined}
    >
      {shown.join(' · ')}
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
