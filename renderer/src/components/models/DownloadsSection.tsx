import { useState } from 'react';
import { ACTIVE_DOWNLOAD, useModels } from '../../models-state.js';
import { DownloadRow } from './DownloadRow.js';
import { DownloadUrl } from './DownloadUrl.js';

const FINISHED_SHOWN = 5;

/** Downloads under way first, then the last few that ended; a field to download any GGUF by URL. */
export function DownloadsSection() {
  const downloads = useModels((s) => s.downloads);
  const [older, setOlder] = useState(false);
  const byNewest = [...downloads].sort((a, b) => b.createdAt - a.createdAt);
  const active = byNewest.filter((d) => ACTIVE_DOWNLOAD.has(d.state));
  const finished = byNewest.filter((d) => !ACTIVE_DOWNLOAD.has(d.state));
  const shown = [...active, ...(older ? finished : finished.slice(0, FINISHED_SHOWN))];

  return (
    <section className="models-section" id="downloads" aria-labelledby="downloads-title" data-testid="downloads">
      <div className="section-head">
        <h2 id="downloads-title">Downloads</h2>
        <span className="muted">Paused downloads continue where they stopped, also after a restart.</span>
      </div>
      {shown.length === 0 ? (
        <p className="muted" data-testid="no-downloads">
          Nothing downloaded yet.
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
          {older ? 'Show fewer' : `Show ${finished.length - FINISHED_SHOWN} older`}
        </button>
      )}
      <DownloadUrl />
    </section>
  );
}
