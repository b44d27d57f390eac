import type { NiahRun } from '../../../../app/contract.js';
import { formatNumber, useLanguage, useT } from '../../i18n/index.js';
import { formatSeconds, percent, settingsLine } from './describe.js';

/** The run's model and load (context, KV cache, flash attention, YaRN) and what it measured. */
export function RunHeader({ run, compact = false }: { run: NiahRun; compact?: boolean }) {
  const t = useT();
  const language = useLanguage((s) => s.language);
  const s = run.stats;
  const quant = run.model.quantisation ? ` · ${run.model.quantisation}` : '';
  const when = new Date(run.createdAt).toLocaleString(language);
  const score = run.done > 0 ? run.correct / run.done : null;
  return (
    <header className="niah-run-head" data-testid="niah-run-head">
      <div className="card-head">
        <h3 className="model-name" title={run.model.path}>
          {run.model.name}
          <span className="muted">{quant}</span>
        </h3>
        <span className={`tag niah-status status-${run.status}`} data-testid="niah-run-status" data-status={run.status}>
          {t(`niah.status.${run.status}`)}
        </span>
        <span className="facts">{when}</span>
      </div>
      <p className="niah-run-settings" data-testid="niah-run-settings">
        {settingsLine(t, run.settings)}
      </p>
      {!compact && (
        <dl className="niah-figures niah-stats" data-testid="niah-run-stats">
          <div>
            <dt>{t('niah.stats.score')}</dt>
            <dd data-testid="niah-run-score">
              {score === null ? '–' : t('niah.stats.scoreValue', { correct: formatNumber(run.correct), total: formatNumber(run.done), share: percent(score) })}
            </dd>
          </div>
          <div>
            <dt>{t('niah.stats.reused')}</dt>
            <dd data-testid="niah-run-reused">
              {t('niah.stats.reusedValue', { share: percent(s.reusedShare), reused: formatNumber(s.reusedTokens), total: formatNumber(s.promptTokens) })}
            </dd>
          </div>
          <div>
            <dt>{t('niah.stats.prefill')}</dt>
            <dd data-testid="niah-run-prefill">{s.prefillTokensPerSecond > 0 ? t('niah.stats.tokPerSec', { n: formatNumber(Math.round(s.prefillTokensPerSecond)) }) : '–'}</dd>
          </div>
          <div>
            <dt>{t('niah.stats.elapsed')}</dt>
            <dd data-testid="niah-run-elapsed">
              {t('niah.stats.elapsedValue', { elapsed: formatSeconds(t, s.elapsedMs / 1000), estimated: formatSeconds(t, s.estimatedSeconds) })}
            </dd>
          </div>
        </dl>
      )}
    </header>
  );
}
