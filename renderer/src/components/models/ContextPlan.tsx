import type { FitPlan } from '../../../../app/contract.js';
import { FitBadge } from './FitBadge.js';
import { formatBytes, formatContext } from './format.js';
import { formatNumber, useT } from '../../i18n/index.js';
import { fitText } from './describe.js';

/** The fit plan for the chosen context: where it runs, what it needs, YaRN, or why it is refused. */
export function ContextPlan({ plan, error, busy, onUseMax }: { plan: FitPlan | null; error: string | null; busy: boolean; onUseMax(n: number): void }) {
  const t = useT();
  if (error) {
    return (
      <p className="inline-error" role="alert" data-testid="context-plan-error">
        {t('models.plan.error', { error })}
      </p>
    );
  }
  if (!plan) return <p className="muted context-plan">{busy ? t('models.plan.working') : ''}</p>;
  const refused = plan.verdict === 'does-not-fit';
  const factor = plan.yarn ? Math.round(plan.yarn.factor * 100) / 100 : null;
  return (
    <div className={`context-plan${busy ? ' stale' : ''}`} data-testid="context-plan" data-verdict={plan.verdict} aria-live="polite">
      <div className="context-plan-line">
        <FitBadge fit={plan} />
        {factor !== null && (
          <span className="tag yarn-tag" data-testid="yarn-note" title={t('models.plan.yarnTitle', { native: formatContext(plan.yarn!.originalContext), factor })}>
            YaRN ×{factor} ({formatContext(plan.contextSize)})
          </span>
        )}
        <span className="muted" data-testid="context-plan-memory">
          {t('models.plan.memory', {
            total: formatBytes(plan.totalBytes),
            weights: formatBytes(plan.weightsBytes),
            kv: formatBytes(plan.kvCacheBytes),
            compute: formatBytes(plan.computeBytes),
          })}
        </span>
      </div>
      {refused && (
        <p className="refused" role="alert" data-testid="context-refused">
          {plan.maxContext > 0 ? (
            <>
              {t('models.plan.refusedMax', { max: formatNumber(plan.maxContext) })}{' '}
              <button type="button" className="link-button" data-testid="context-use-max" onClick={() => onUseMax(plan.maxContext)}>
                {t('models.plan.useMax', { context: formatContext(plan.maxContext) })}
              </button>
            </>
          ) : (
            <>{t('models.plan.refused', { explanation: fitText(t, plan) })}</>
          )}
        </p>
      )}
    </div>
  );
}
