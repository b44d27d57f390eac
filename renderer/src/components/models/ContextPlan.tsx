import type { FitPlan } from '../../../../app/contract.js';
import { FitBadge } from './FitBadge.js';
import { formatBytes, formatContext } from './format.js';

/** The fit plan for the chosen context: where it runs, what it needs, YaRN, or why it is refused. */
export function ContextPlan({ plan, error, busy, onUseMax }: { plan: FitPlan | null; error: string | null; busy: boolean; onUseMax(n: number): void }) {
  if (error) {
    return (
      <p className="inline-error" role="alert" data-testid="context-plan-error">
        The memory needed could not be worked out: {error}
      </p>
    );
  }
  if (!plan) return <p className="muted context-plan">{busy ? 'Working out the memory needed…' : ''}</p>;
  const refused = plan.verdict === 'does-not-fit';
  const factor = plan.yarn ? Math.round(plan.yarn.factor * 100) / 100 : null;
  return (
    <div className={`context-plan${busy ? ' stale' : ''}`} data-testid="context-plan" data-verdict={plan.verdict} aria-live="polite">
      <div className="context-plan-line">
        <FitBadge fit={plan} />
        {factor !== null && (
          <span className="tag yarn-tag" data-testid="yarn-note" title={`Above the native ${formatContext(plan.yarn!.originalContext)}, YaRN stretches the rotary positions by ${factor}`}>
            YaRN ×{factor} ({formatContext(plan.contextSize)})
          </span>
        )}
        <span className="muted" data-testid="context-plan-memory">
          needs {formatBytes(plan.totalBytes)}: weights {formatBytes(plan.weightsBytes)}, KV cache {formatBytes(plan.kvCacheBytes)}, compute{' '}
          {formatBytes(plan.computeBytes)}
        </span>
      </div>
      {refused && (
        <p className="refused" role="alert" data-testid="context-refused">
          {plan.maxContext > 0 ? (
            <>
              Refused: the largest context that fits is {plan.maxContext.toLocaleString('en-US')} tokens.{' '}
              <button type="button" className="link-button" data-testid="context-use-max" onClick={() => onUseMax(plan.maxContext)}>
                Use {formatContext(plan.maxContext)}
              </button>
            </>
          ) : (
            <>Refused: {plan.explanation}</>
          )}
        </p>
      )}
    </div>
  );
}
