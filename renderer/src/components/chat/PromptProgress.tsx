// An answer still reading a long prompt (a document): tokens read of those to read, and the time
// left at the speed measured so far, instead of "Thinking…".
import { useApp } from '../../store.js';
import '../../progress.css';
import { useI18n } from '../../i18n/rich.js';

export function PromptProgress({ messageId }: { messageId: string }) {
  const { t, num } = useI18n();
  const p = useApp((s) => s.promptProgress[messageId]);
  if (!p) return null;
  const eta = p.etaMs == null ? t('progress.etaUnknown') : t('progress.eta', { seconds: num(Math.max(1, Math.ceil(p.etaMs / 1000))) });
  return (
    <span className="prompt-progress" data-testid="prompt-progress" data-done={p.done} data-total={p.total} role="status">
      <progress max={p.total} value={p.done} aria-label={t('progress.readingLabel')} />
      <span>
        {t('progress.reading', { done: num(p.done), total: num(p.total) })} · {eta}
      </span>
    </span>
  );
}
