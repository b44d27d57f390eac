import type { CatalogueFile } from '../../../../app/contract.js';
import { useApp } from '../../store.js';
import { ACTIVE_DOWNLOAD, startDownload, useModels } from '../../models-state.js';
import { partUris } from './format.js';
import { useT } from '../../i18n/index.js';

/** Download, or where the file already is: being downloaded, or in the library. */
export function FileAction({ file, primary = false }: { file: CatalogueFile; primary?: boolean }) {
  const t = useT();
  const installed = useApp((s) => s.models.some((m) => m.name === file.fileName));
  const download = useModels((s) => s.downloads.find((d) => ACTIVE_DOWNLOAD.has(d.state) && file.parts.includes(d.fileName)));
  if (installed) {
    return (
      <span className="file-status installed" data-testid="catalogue-installed">
        ✓ {t('models.file.installed')}
      </span>
    );
  }
  if (download) {
    const pct = download.totalBytes ? Math.floor((download.receivedBytes / download.totalBytes) * 100) : null;
    return (
      <span className="file-status" data-testid="catalogue-downloading">
        {download.state === 'paused' ? t('models.download.state.paused') : t('models.download.state.downloading')}
        {pct !== null ? ` ${pct}%` : '…'}
      </span>
    );
  }
  return (
    <button
      type="button"
      className={`button small${primary ? ' primary' : ''}`}
      data-testid="catalogue-download"
      aria-label={t('models.file.downloadLabel', { name: file.fileName })}
      onClick={() => void startDownload(partUris(file.uri, file.fileName, file.parts))}
    >
      {t('models.download')}
    </button>
  );
}
