import { ACTIVE_DOWNLOAD, setPage, useModels } from '../../models-state.js';
import { useShallow } from 'zustand/react/shallow';
import { useI18n } from '../../i18n/rich.js';

/** "2 downloads · 45%": every download under way, on every page; opens the Models page. */
export function DownloadIndicator() {
  const { t, tn } = useI18n();
  const active = useModels(useShallow((s) => s.downloads.filter((d) => ACTIVE_DOWNLOAD.has(d.state))));
  if (active.length === 0) return null;
  const known = active.every((d) => d.totalBytes);
  const total = active.reduce((n, d) => n + (d.totalBytes ?? 0), 0);
  const received = active.reduce((n, d) => n + d.receivedBytes, 0);
  const percent = known && total > 0 ? Math.min(100, Math.floor((received / total) * 100)) : null;
  const paused = active.every((d) => d.state === 'paused');
  const text = [tn('models.indicator.downloads', active.length), percent !== null ? `${percent}%` : '', paused ? t('models.indicator.paused') : '']
    .filter(Boolean)
    .join(' · ');

  return (
    <button
      type="button"
      className="download-indicator"
      data-testid="download-indicator"
      aria-label={t('models.indicator.label', { text })}
      title={t('models.indicator.show')}
      onClick={() => {
        setPage('models');
        requestAnimationFrame(() => document.getElementById('downloads')?.scrollIntoView({ block: 'start' }));
      }}
    >
      <span className="download-indicator-text">
        <span aria-hidden="true">↓</span> {text}
      </span>
      <progress max={100} value={percent ?? undefined} aria-hidden="true" />
    </button>
  );
}
