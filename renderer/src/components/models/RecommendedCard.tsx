import type { CatalogueEntry, CatalogueFile, Recommendation } from '../../../../app/contract.js';
import { useModels } from '../../models-state.js';
import { FitBadge } from './FitBadge.js';
import { FileAction } from './FileAction.js';
import { MachineSummary } from './MachineSummary.js';
import { formatBytes, formatContext, formatParams } from './format.js';
import { useT } from '../../i18n/index.js';
import { catalogueDescription } from './describe.js';

/** The one file recommended for this computer (main chooses it: app/services/recommend.ts). */
export function pickForMachine(entries: CatalogueEntry[]): { entry: CatalogueEntry; file: CatalogueFile; recommendation: Recommendation } | null {
  for (const entry of entries) {
    const file = entry.files.find((f) => f.fileName === entry.recommendedFile);
    if (file && entry.recommendation) return { entry, file, recommendation: entry.recommendation };
  }
  return null;
}

/** Tokens/s as people read them: two significant digits. */
export const formatTokensPerSecond = (n: number): string => (n >= 10 ? String(Math.round(n)) : n.toFixed(1));

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
            <p className="card-text">{catalogueDescription(t, pick.entry)}</p>
            <p className="recommended-speed" data-testid="recommended-speed" data-tokens-per-second={pick.recommendation.tokensPerSecond}>
              {t('models.recommended.speed', { speed: formatTokensPerSecond(pick.recommendation.tokensPerSecond) })}
            </p>
            <p className="recommended-why muted" data-testid="recommended-why">
              {t(`models.recommended.reason.${pick.recommendation.placement}`, {
                name: pick.entry.name,
                quant: pick.recommendation.quant.toUpperCase(),
                context: formatContext(pick.recommendation.contextSize),
                speed: formatTokensPerSecond(pick.recommendation.tokensPerSecond),
              })}
              {pick.recommendation.compromise === 'slow' && <> {t('models.recommended.slow', { min: resources?.speed.minTokensPerSecond ?? 8 })}</>}
              {pick.recommendation.compromise === 'low-bits' && <> {t('models.recommended.lowBits')}</>}
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
