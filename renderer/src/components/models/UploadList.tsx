import { dismissUpload, useModels } from '../../models-state.js';
import { formatBytes } from './format.js';

/** Files being imported (dropped or picked), with upload progress; failures say why. */
export function UploadList() {
  const uploads = useModels((s) => s.uploads);
  if (uploads.length === 0) return null;
  return (
    <ul className="card upload-list" data-testid="upload-list" aria-label="Imports">
      {uploads.map((u) => {
        const pct = u.total > 0 ? Math.min(100, Math.floor((u.loaded / u.total) * 100)) : 0;
        return (
          <li key={u.id} className={`upload-row state-${u.state}`} data-testid="upload-row" data-state={u.state} data-name={u.name}>
            <div className="download-top">
              <span className="download-name">{u.name}</span>
              <span className="download-state">
                {u.state === 'uploading' ? `Importing · ${pct}%` : u.state === 'done' ? 'Added to your models' : 'Not imported'}
              </span>
              {u.state !== 'uploading' && (
                <button type="button" className="icon-button" aria-label={`Dismiss ${u.name}`} onClick={() => dismissUpload(u.id)}>
                  ✕
                </button>
              )}
            </div>
            {u.state === 'uploading' && (
              <>
                <progress className="download-progress" max={100} value={pct} aria-label={`Import of ${u.name}`} data-testid="upload-progress" />
                <span className="muted">
                  {formatBytes(u.loaded)} of {formatBytes(u.total)}
                </span>
              </>
            )}
            {u.error && (
              <p className="inline-error" role="alert" data-testid="upload-error">
                {u.error}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
