import { dismissUpload, useModels } from '../../models-state.js';
import { formatBytes } from './format.js';
import { useT } from '../../i18n/index.js';

/** Files being imported (dropped or picked), with upload progress; failures say why. */
export function UploadList() {
  const t = useT();
  const uploads = useModels((s) => s.uploads);
  if (uploads.length === 0) return null;
  return (
    <ul className="card upload-list" data-testid="upload-list" aria-label={t('models.uploads.label')}>
      {uploads.map((u) => {
        const pct = u.total > 0 ? Math.min(100, Math.floor((u.loaded / u.total) * 100)) : 0;
        return (
          <li key={u.id} className={`upload-row state-${u.state}`} data-testid="upload-row" data-state={u.state} data-name={u.name}>
            <div className="download-top">
              <span className="download-name">{u.name}</span>
              <span className="download-state">
                {u.state === 'uploading' ? t('models.uploads.importing', { pct }) : u.state === 'done' ? t('models.uploads.done') : t('models.uploads.failed')}
              </span>
              {u.state !== 'uploading' && (
                <button type="button" className="icon-button" aria-label={t('models.uploads.dismiss', { name: u.name })} onClick={() => dismissUpload(u.id)}>
                  ✕
                </button>
              )}
            </div>
            {u.state === 'uploading' && (
              <>
                <progress className="download-progress" max={100} value={pct} aria-label={t('models.uploads.progress', { name: u.name })} data-testid="upload-progress" />
                <span className="muted">
                  {t('models.bytesOf', { done: formatBytes(u.loaded), total: formatBytes(u.total) })}
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
