import type { NiahRunDetail } from '../../../../app/contract.js';
import { formatNumber, useT } from '../../i18n/index.js';
import { scoreColor } from './colors.js';
import { percent } from './describe.js';

/** With several facts: how often each was found, over the run and per cell of the open one. */
export function FactRecall({ run }: { run: NiahRunDetail }) {
  const t = useT();
  const facts = run.stats.facts;
  if (facts.length < 2) return null;
  return (
    <div className="niah-recall" data-testid="niah-fact-recall">
      <h4>{t('niah.recall.title')}</h4>
      <table className="niah-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('niah.recall.fact')}</th>
            <th scope="col">{t('niah.recall.found')}</th>
          </tr>
        </thead>
        <tbody>
          {facts.map((f, i) => (
            <tr key={i} data-testid="niah-fact-row" data-correct={f.correct} data-total={f.total}>
              <td>{i + 1}</td>
              <td className="niah-fact-text">{f.text}</td>
              <td className="niah-recall-value">
                <span className="niah-swatch" aria-hidden="true" style={{ background: f.total ? scoreColor(f.correct / f.total) : 'transparent' }} />
                {f.total ? t('niah.recall.value', { correct: formatNumber(f.correct), total: formatNumber(f.total), share: percent(f.correct / f.total) }) : '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
