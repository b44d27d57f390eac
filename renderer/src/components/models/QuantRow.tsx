import type { CatalogueFile } from '../../../../app/contract.js';
import { FitBadge } from './FitBadge.js';
import { FileAction } from './FileAction.js';
import { formatBytes, QUANT_HINT } from './format.js';

const ESTIMATE_NOTE = 'Estimated from the parameters and the bits per weight of this quantisation; the exact size is shown once the Hugging Face listing could be read.';

/** One file of a catalogue model: quantisation, size, fit verdict, Download. */
export function QuantRow({ file, recommended }: { file: CatalogueFile; recommended: boolean }) {
  return (
    <li className="quant-row" data-testid="catalogue-file" data-quant={file.quant} data-file-name={file.fileName}>
      <span className="quant-name">
        <strong>{file.quant.toUpperCase()}</strong>
        {recommended && <span className="tag recommended-tag">Recommended</span>}
        <span className="quant-hint">{QUANT_HINT[file.quant] ?? ''}</span>
      </span>
      <span className="quant-size" data-testid="file-size" data-exact={file.sizeExact ? 'true' : 'false'}>
        {file.sizeExact ? formatBytes(file.sizeBytes) : <span title={ESTIMATE_NOTE}>≈ {formatBytes(file.sizeBytes)}</span>}
        {file.parts.length > 1 && <span className="muted"> · {file.parts.length} parts</span>}
        {!file.sizeExact && <span className="visually-hidden"> (estimated)</span>}
      </span>
      <FitBadge fit={file.fit} />
      <span className="quant-action">
        <FileAction file={file} />
      </span>
    </li>
  );
}
