import type { CatalogueFile } from '../../../../app/contract.js';
import { useApp } from '../../store.js';
import { ACTIVE_DOWNLOAD, startDownload, useModels } from '../../models-state.js';
import { partUris } from './format.js';

/** Download, or where the file already is: being downloaded, or in the library. */
export function FileAction({ file, primary = false }: { file: CatalogueFile; primary?: boolean }) {
  const installed = useApp((s) => s.models.some((m) => m.name === file.fileName));
  const download = useModels((s) => s.downloads.find((d) => ACTIVE_DOWNLOAD.has(d.state) && file.parts.includes(d.fileName)));
  if (installed) {
    return (
      <span className="file-status installed" data-testid="catalogue-installed">
        ✓ In your models
      </span>
    );
  }
  if (download) {
    const pct = download.totalBytes ? Math.floor((download.receivedBytes / download.totalBytes) * 100) : null;
    return (
      <span className="file-status" data-testid="catalogue-downloading">
        {download.state === 'paused' ? 'Paused' : 'Downloading'}
        {pct !== null ? ` ${pct}%` : '…'}
      </span>
    );
  }
  return (
    <button
      type="button"
      className={`button small${primary ? ' primary' : ''}`}
      data-testid="catalogue-download"
      aria-label={`Download ${file.fileName}`}
      onClick={() => void startDownload(partUris(file.uri, file.fileName, file.parts))}
    >
      Download
    </button>
  );
}
