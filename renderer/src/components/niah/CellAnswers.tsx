import type { NiahRunDetail } from '../../../../app/contract.js';
import { closeCell, type OpenCell } from '../../niah-state.js';
import { formatNumber, useT } from '../../i18n/index.js';
import { formatLength } from './spec.js';

/** One cell's questions: the answer expected and the one given, per sample and fact. */
export function CellAnswers({ cell, run }: { cell: OpenCell; run: NiahRunDetail }) {
  const t = useT();
  const several = run.plan.facts.length > 1;
  const summary = run.cells.find((c) => c.length === cell.length && c.depth === cell.depth);
  return (
    <section className="niah-answers" data-testid="niah-cell-answers" data-length={cell.length} data-depth={cell.depth} aria-labelledby="niah-answers-title">
      <div className="niah-answers-head">
        <h4 id="niah-answers-title">
          {t('niah.answers.title', { length: formatLength(cell.length), depth: Math.round(cell.depth * 1000) / 10 })}
          {summary && summary.total > 0 && <span className="muted"> · {t('niah.answers.score', { correct: summary.correct, total: summary.total })}</span>}
        </h4>
        <button type="button" className="button small" data-testid="niah-answers-close" onClick={closeCell}>
          {t('common.close')}
        </button>
      </div>
      {cell.error && (
        <p className="inline-error" role="alert">
          {cell.error}
        </p>
      )}
      {cell.trials === null ? (
        <p className="muted">{t('niah.answers.loading')}</p>
      ) : cell.trials.length === 0 ? (
        <p className="muted" data-testid="niah-answers-none">
          {t('niah.answers.none')}
        </p>
      ) : (
        <div className="niah-table-wrap">
          <table className="niah-table">
            <thead>
              <tr>
                <th scope="col">{t('niah.answers.sample')}</th>
                {several && <th scope="col">{t('niah.answers.fact')}</th>}
                <th scope="col">{t('niah.answers.factDepth')}</th>
                <th scope="col">{t('niah.answers.expected')}</th>
                <th scope="col">{t('niah.answers.answer')}</th>
                <th scope="col">{t('niah.answers.tokens')}</th>
              </tr>
            </thead>
            <tbody>
              {cell.trials.map((trial) => (
                <tr key={trial.seq} data-testid="niah-trial" data-correct={trial.correct ? 'true' : 'false'} className={trial.correct ? 'correct' : 'wrong'}>
                  <td>{trial.sample + 1}</td>
                  {several && <td>{trial.fact + 1}</td>}
                  <td>{Math.round(trial.factDepth * 1000) / 10}%</td>
                  <td className="niah-mono" data-testid="niah-trial-expected">
                    {trial.expected}
                  </td>
                  <td className="niah-mono niah-answer-text" data-testid="niah-trial-answer">
                    <span className="niah-mark" aria-label={trial.correct ? t('niah.answers.right') : t('niah.answers.wrong')}>
                      {trial.correct ? '✓' : '✗'}
                    </span>{' '}
                    {trial.answer || <span className="muted">{t('niah.answers.empty')}</span>}
                  </td>
                  <td className="muted">{t('niah.answers.tokensValue', { evaluated: formatNumber(trial.evaluatedTokens), prompt: formatNumber(trial.promptTokens) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
