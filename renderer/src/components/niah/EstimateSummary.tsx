import type { EstimateState } from '../../niah-state.js';
import { formatNumber, useT } from '../../i18n/index.js';
import { formatSeconds, percent, settingsLine } from './describe.js';

/** What the grid costs before it starts: its size, the tokens left after prefix reuse, the time. */
export function EstimateSummary({ estimate, stale }: { estimate: EstimateState; stale: boolean }) {
  const t = useT();
  if (estimate.busy) {
    return (
      <p className="muted niah-estimate" role="status" data-testid="niah-estimate-busy">
        {t('niah.estimate.busy')}
      </p>
    );
  }
  if (estimate.error) {
    return (
      <p className="inline-error niah-estimate" role="alert" data-testid="niah-estimate-error">
        {estimate.error}
      </p>
    );
  }
  const e = estimate.result;
  if (!e) return null;
  const reused = e.promptTokens > 0 ? 1 - e.evaluatedTokens / e.promptTokens : 0;
  return (
    <dl className={`niah-estimate niah-figures${stale ? ' stale' : ''}`} data-testid="niah-estimate-result" aria-live="polite">
      {stale && <p className="muted niah-stale">{t('niah.estimate.stale')}</p>}
      <div>
        <dt>{t('niah.estimate.grid')}</dt>
        <dd data-testid="niah-estimate-grid">{t('niah.estimate.gridValue', { cells: formatNumber(e.cells), trials: formatNumber(e.trials), questions: formatNumber(e.generations) })}</dd>
      </div>
      <div>
        <dt>{t('niah.estimate.tokens')}</dt>
        <dd data-testid="niah-estimate-tokens">
          {t('niah.estimate.tokensValue', { evaluated: formatNumber(e.evaluatedTokens), total: formatNumber(e.promptTokens), reused: percent(reused) })}
        </dd>
      </div>
      <div>
        <dt>{t('niah.estimate.time')}</dt>
        <dd data-testid="niah-estimate-time">
          {t('niah.estimate.timeValue', {
            time: formatSeconds(t, e.seconds),
            prefill: formatNumber(Math.round(e.prefillTokensPerSecond)),
            decode: formatNumber(Math.round(e.decodeTokensPerSecond * 10) / 10),
          })}{' '}
          <span className="muted">{t(e.speedFrom === 'measured' ? 'niah.estimate.measured' : 'niah.estimate.previous')}</span>
        </dd>
      </div>
      <div>
        <dt>{t('niah.estimate.load')}</dt>
        <dd data-testid="niah-estimate-settings">{settingsLine(t, e.settings)}</dd>
      </div>
    </dl>
  );
}
