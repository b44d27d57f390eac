import type { Download } from '../../../../app/contract.js';
import { downloadAction } from '../../models-state.js';
import { formatBytes, formatEta, formatSpeed } from './format.js';

const STATE_LABEL: Record<Download['state'], string> = {
  queued: 'Waiting',
  downloading: 'Downloading',
  paused: 'Paused',
  verifying: 'Checking the file…',
  done: 'Done: added to your models',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function DownloadRow({ download: d }: { download: Download }) {
  const active = d.state === 'queued' || d.state === 'downloading' || d.state === 'paused' || d.state === 'verifying';
  const pct = d.totalBytes ? Math.min(100, Math.floor((d.receivedBytes / d.totalBytes) * 100)) : null;
  const bytes = d.totalBytes ? `${formatBytes(d.receivedBytes)} of ${formatBytes(d.totalBytes)}` : formatBytes(d.receivedBytes);
  const running = d.state === 'downloading';
  const details = [active ? bytes : d.state === 'done' && d.totalBytes ? formatBytes(d.totalBytes) : '', running ? formatSpeed(d.bytesPerSecond) : '', running ? formatEta(d.etaSeconds) : '']
    .filter(Boolean)
    .join(' · ');

  return (
    <li className={`download-row state-${d.state}`} data-testid="download-row" data-state={d.state} data-download-id={d.id} data-file-name={d.fileName}>
      <div className="download-top">
        <span className="download-name" title={d.uri}>
          {d.fileName}
        </span>
        <span className="download-state" data-testid="download-state">
          {STATE_LABEL[d.state]}
          {active && pct !== null ? ` · ${pct}%` : ''}
        </span>
      </div>
      {active && (
        <progress className="download-progress" max={100} value={pct ?? undefined} aria-label={`Progress of ${d.fileName}`} data-testid="download-progress" />
      )}
      <div className="download-bottom">
        <span className="muted" data-testid="download-details">
          {details}
        </span>
        <span className="download-actions">
          {(d.state === 'downloading' || d.state === 'queued') && (
            <button type="button" className="button small" data-testid="download-pause" aria-label={`Pause ${d.fileName}`} onClick={() => void downloadAction('pause', d.id)}>
              Pause
            </button>
          )}
          {(d.state === 'paused' || d.state === 'failed') && (
            <button type="button" className="button small" data-testid="download-resume" aria-label={`Resume ${d.fileName}`} onClick={() => void downloadAction('resume', d.id)}>
              {d.state === 'failed' ? 'Try again' : 'Resume'}
            </button>
          )}
          {active && (
            <button type="button" className="button small" data-testid="download-cancel" aria-label={`Cancel ${d.fileName}`} onClick={() => void downloadAction('cancel', d.id)}>
              Cancel
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
