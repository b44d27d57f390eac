import type { CatalogueFile } from '../../../../app/contract.js';
import { FitBadge } from './FitBadge.js';
import { FileAction } from './FileAction.js';
import { formatBytes, quantHint } from './format.js';
import { useI18n } from '../../i18n/rich.js';

/** One file of a catalogue model: quantisation, size, fit verdict, Download. */
export function QuantRow({ file, recommended }: { file: CatalogueFile; recommended: boolean }) {
  const { t, tn } = useI18n();
  return (
    <li className="quant-row" data-testid="catalogue-file" data-quant={file.quant} data-file-name={file.fileName}>
      <span className="quant-name">
        <strong>{file.quant.toUpperCase()}</strong>
        {recommended && <span className="tag recommended-tag">{t('models.recommended')}</span>}
        <span className="quant-hint">{quantHint(file.quant)}</span>
      </span>
      <span className="quant-size" data-testid="file-size" data-exact={file.sizeExact ? 'true' : 'false'}>
        {file.sizeExact ? formatBytes(file.sizeBytes) : <span title={t('models.file.estimateNote')}>≈ {formatBytes(file.sizeBytes)}</span>}
        {file.parts.length > 1 && <span className="muted"> · {tn('models.file.parts', file.parts.length)}</span>}
        {!file.sizeExact && <span className="visually-hidden"> {t('models.file.estimated')}</span>}
      </span>
      <FitBadge fit={file.fit} />
      <span className="quant-action">
        <FileAction file={file} />
      </span>
    </li>
  );
}
