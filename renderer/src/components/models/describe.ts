// Words for what main sends as data: a catalogue model's description in the UI's language (by
// model id, main's English text where the tables have none) and a fit plan said from its numbers.
import type { CatalogueEntry, FitPlan } from '../../../../app/contract.js';
import { formatNumber, type Vars } from '../../i18n/index.js';
import { formatBytes } from '../../format.js';

type Translate = (key: string, vars?: Vars) => string;

export function catalogueDescription(t: Translate, entry: Pick<CatalogueEntry, 'id' | 'description'>): string {
  const key = `models.catalogue.description.${entry.id}`;
  const text = t(key);
  return text === key ? entry.description : text;
}

/** Where the model runs, what it needs and the largest context that fits; or why it cannot run. */
export function fitText(t: Translate, fit: FitPlan): string {
  if (fit.verdict === 'does-not-fit') {
    if (fit.contextSize > fit.extendedContext) return t('models.fit.tooLong', { max: formatNumber(fit.extendedContext) });
    if (fit.kvType !== 'f16' && !fit.flashAttention) return t('models.fit.needsFlash', { kvType: fit.kvType });
  }
  const where = fit.verdict === 'split' ? t('models.fit.where.split', { count: fit.gpuLayers }) : t(`models.fit.where.${fit.verdict}`);
  const needs = t('models.fit.needs', {
    total: formatBytes(fit.totalBytes),
    context: formatNumber(fit.contextSize),
    weights: formatBytes(fit.weightsBytes),
    kv: formatBytes(fit.kvCacheBytes),
    kvType: fit.kvType,
    compute: formatBytes(fit.computeBytes),
  });
  const max = fit.maxContext > 0 ? t('models.fit.max', { max: formatNumber(fit.maxContext) }) : t('models.fit.noMax');
  return t('models.fit.tip', { where, needs, max });
}
