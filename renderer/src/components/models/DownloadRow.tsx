import type { Download } from '../../../../app/contract.js';
import { downloadAction } from '../../models-state.js';
import { formatBytes, formatEta, formatSpeed } from './format.js';
import { useT } from '../../i18n/index.js';

export function DownloadRow({ download: d }: { download: Download }) {
  const t = useT();
  const active = d.state === 'queued' || d.state === 'downloading' || d.state === 'paused' || d.state === 'verifying';
  const pct = d.totalBytes ? Math.min(100, Math.floor((d.receivedBytes / d.totalBytes) * 100)) : null;
  const bytes = d.totalBytes ? t('models.bytesOf', { done: formatBytes(d.receivedBytes), total: formatBytes(d.totalBytes) }) : formatBytes(d.receivedBytes);
  const running = d.state === 'downloading';
  const failed = d.state === 'failed';
  // A failed download names its reason ("Failed: host not found"), never "Paused"; main's words follow as the detail.
  const stateText = failed ? t('models.download.failed', { reason: t(`models.download.reason.${!d.reason || d.reason === 'other' ? 'unexplained' : d.reason}`) }) : t(`models.download.state.${d.state}`);
  const details = [active || (failed && d.receivedBytes > 0) ? bytes : d.state === 'done' && d.totalBytes ? formatBytes(d.totalBytes) : '', running ? formatSpeed(d.bytesPerSecond) : '', running ? formatEta(d.etaSeconds) : '']
    .filter(Boolean)
    .join(' · ');

  return (
    <li className={`download-row state-${d.state}`} data-testid="download-row" data-state={d.state} data-download-id={d.id} data-file-name={d.fileName}>
      <div className="download-top">
        <span className="download-name" title={d.uri}>
          {d.fileName}
        </span>
        <span className="download-state" data-testid="download-state" data-reason={d.reason ?? undefined}>
          {stateText}
          {active && pct !== null ? ` · ${pct}%` : ''}
        </span>
      </div>
      {active && (
        <progress className="download-progress" max={100} value={pct ?? undefined} aria-label={t('models.download.progress', { name: d.fileName })} data-testid="download-progress" />
      )}
      <div className="download-bottom">
        <span className="muted" data-testid="download-details">
          {details}
        </span>
        <span className="download-actions">
          {(d.state === 'downloading' || d.state === 'queued') && (
            <button type="button" className="button small" data-testid="download-pause" aria-label={t('models.download.pauseLabel', { name: d.fileName })} onClick={() => void downloadAction('pause', d.id)}>
              {t('models.download.pause')}
            </button>
          )}
          {d.state === 'paused' && (
            <button type="button" className="button small" data-testid="download-resume" aria-label={t('models.download.resumeLabel', { name: d.fileName })} onClick={() => void downloadAction('resume', d.id)}>
              {t('models.download.resume')}
            </button>
          )}
          {failed && (
            <button type="button" className="button small primary" data-testid="download-retry" aria-label={t('models.download.retryLabel', { name: d.fileName })} onClick={() => void downloadAction('resume', d.id)}>
              {t('models.download.retry')}
            </button>
          )}
          {(active || (failed && d.receivedBytes > 0)) && (
            <button type="button" className="button small" data-testid="download-cancel" aria-label={t('models.download.cancelLabel', { name: d.fileName })} onClick={() => void downloadAction('cancel', d.id)}>
              {t('common.cancel')}
            </button>
          )}
        </span>
      </div>
      {d.error && (
        <p className="inline-error" role="alert" data-testid="download-error">
          {d.error}
        </p>
      )}
    </li>
  );
}
