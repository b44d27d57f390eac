import { useState } from 'react';
import { ACTIVE_DOWNLOAD, useModels } from '../../models-state.js';
import { DownloadRow } from './DownloadRow.js';
import { DownloadUrl } from './DownloadUrl.js';
import { useT } from '../../i18n/index.js';

const FINISHED_SHOWN = 5;

/** Downloads under way first, then the last few that ended; a field to download any GGUF by URL. */
export function DownloadsSection() {
  const t = useT();
  const downloads = useModels((s) => s.downloads);
  const [older, setOlder] = useState(false);
  const byNewest = [...downloads].sort((a, b) => b.createdAt - a.createdAt);
  const active = byNewest.filter((d) => ACTIVE_DOWNLOAD.has(d.state));
  const finished = byNewest.filter((d) => !ACTIVE_DOWNLOAD.has(d.state));
  const shown = [...active, ...(older ? finished : finished.slice(0, FINISHED_SHOWN))];

  return (
    <section className="models-section" id="downloads" aria-labelledby="downloads-title" data-testid="downloads">
      <div className="section-head">
        <h2 id="downloads-title">{t('models.downloads.title')}</h2>
        <span className="muted">{t('models.downloads.intro')}</span>
      </div>
      {shown.length === 0 ? (
        <p className="muted" data-testid="no-downloads">
          {t('models.downloads.none')}
        </p>
      ) : (
        <ul className="card download-list" data-testid="download-list">
          {shown.map((d) => (
            <DownloadRow key={d.id} download={d} />
          ))}
        </ul>
      )}
      {finished.length > FINISHED_SHOWN && (
        <button type="button" className="link-button" aria-expanded={older} onClick={() => setOlder((o) => !o)}>
          {older ? t('models.showFewer') : t('models.downloads.older', { count: finished.length - FINISHED_SHOWN })}
        </button>
      )}
      <DownloadUrl />
    </section>
  );
}
