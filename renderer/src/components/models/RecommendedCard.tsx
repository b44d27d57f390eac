import type { CatalogueEntry, CatalogueFile } from '../../../../app/contract.js';
import { useModels } from '../../models-state.js';
import { FitBadge } from './FitBadge.js';
import { FileAction } from './FileAction.js';
import { MachineSummary } from './MachineSummary.js';
import { formatBytes, formatParams } from './format.js';
import { useT } from '../../i18n/index.js';

/**
 * The one model to start with: the biggest model whose recommended file runs wholly on the GPU (on
 * the CPU where there is no GPU); else the biggest that fits at all.
 */
export function pickForMachine(entries: CatalogueEntry[]): { entry: CatalogueEntry; file: CatalogueFile } | null {
  const gpuMachine = entries.some((e) => e.files.some((f) => f.fit?.verdict === 'gpu' || f.fit?.verdict === 'split'));
  const candidates = entries.flatMap((entry) => {
    const file = entry.files.find((f) => f.fileName === entry.recommendedFile);
    return file ? [{ entry, file }] : [];
  });
  const whole = candidates.filter((c) => c.file.fit?.verdict === (gpuMachine ? 'gpu' : 'cpu'));
  const pool = whole.length > 0 ? whole : candidates;
  return pool.reduce<(typeof pool)[number] | null>((best, c) => (!best || c.entry.parameters > best.entry.parameters ? c : best), null);
}

export function RecommendedCard() {
  const t = useT();
  const catalogue = useModels((s) => s.catalogue);
  const resources = useModels((s) => s.resources);
  const loading = useModels((s) => s.catalogueLoading);
  const pick = catalogue ? pickForMachine(catalogue) : null;

  return (
    <section className="card recommended-card" data-testid="recommended-card" aria-labelledby="recommended-title">
      <h2 id="recommended-title">{t('models.recommended.title')}</h2>
      {resources ? <MachineSummary resources={resources} /> : loading && <p className="muted">{t('models.recommended.checking')}</p>}
      {pick ? (
        <div className="recommended-pick" data-testid="recommended-pick" data-model-id={pick.entry.id} data-file-name={pick.file.fileName}>
          <div className="recommended-main">
            <strong className="recommended-name">{pick.entry.name}</strong>
            <span className="muted">
              {' '}
              {pick.file.quant.toUpperCase()} · {pick.file.sizeExact ? '' : '≈ '}
              {formatBytes(pick.file.sizeBytes)} · {t('models.parameters', { n: formatParams(pick.entry.parameters) })}
            </span>
            <p className="card-text">{pick.entry.description}</p>
            <p className="recommended-why muted" data-testid="recommended-why">
              {pick.file.fit?.verdict === 'gpu' ? t('models.recommended.whyGpu') : t('models.recommended.why')}
            </p>
          </div>
          <div className="recommended-actions">
            <FitBadge fit={pick.file.fit} />
            <FileAction file={pick.file} primary />
          </div>
        </div>
      ) : (
        catalogue && (
          <p data-testid="recommended-none">
            {t('models.recommended.none')}
          </p>
        )
      )}
    </section>
  );
}
