import { useState } from 'react';
import type { NiahRun } from '../../../../app/contract.js';
import { deleteRun, showRun, toggleCompare, useNiah } from '../../niah-state.js';
import { formatNumber, useLanguage, useT } from '../../i18n/index.js';
import { percent } from './describe.js';

/** This model's stored runs, newest first: open one, pick two to compare, delete. */
export function RunsList({ runs }: { runs: NiahRun[] }) {
  const t = useT();
  const listError = useNiah((s) => s.listError);
  return (
    <section className="models-section" data-testid="niah-runs" aria-labelledby="niah-runs-title">
      <div className="section-head">
        <h2 id="niah-runs-title">{t('niah.runs.title')}</h2>
        <span className="muted">{runs.length === 0 ? t('niah.runs.none') : t('niah.runs.count', { count: runs.length })}</span>
        {runs.length > 1 && <span className="muted">{t('niah.runs.compareHint')}</span>}
      </div>
      {listError && (
        <p className="inline-error" role="alert">
          {listError}
        </p>
      )}
      {runs.length > 0 && (
        <div className="card niah-runs-card">
          <table className="niah-table niah-runs-table">
            <thead>
              <tr>
                <th scope="col">{t('niah.runs.when')}</th>
                <th scope="col">{t('niah.runs.grid')}</th>
                <th scope="col">{t('niah.runs.status')}</th>
                <th scope="col">{t('niah.runs.score')}</th>
                <th scope="col">{t('niah.runs.compare')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('niah.runs.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <RunRow key={run.id} run={run} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RunRow({ run }: { run: NiahRun }) {
  const t = useT();
  const language = useLanguage((s) => s.language);
  const shown = useNiah((s) => s.shownId === run.id);
  const picked = useNiah((s) => s.compare.includes(run.id));
  const [confirming, setConfirming] = useState(false);
  const p = run.plan;
  const grid = t('niah.runs.gridValue', { lengths: p.lengths.length, depths: p.depths.length, samples: p.samples, facts: p.facts.length });
  const when = new Date(run.createdAt).toLocaleString(language);
  return (
    <tr data-testid="niah-run-row" data-run-id={run.id} data-status={run.status} className={shown ? 'current' : undefined}>
      <td>{when}</td>
      <td>
        {grid}
        {p.haystack.kind === 'file' && <span className="muted"> · {p.haystack.name}</span>}
      </td>
      <td>
        <span className={`tag niah-status status-${run.status}`}>{t(`niah.status.${run.status}`)}</span>
        {run.status === 'running' && <span className="muted"> {formatNumber(run.done)} / {formatNumber(run.total)}</span>}
      </td>
      <td data-testid="niah-run-row-score">{run.done > 0 ? `${formatNumber(run.correct)} / ${formatNumber(run.done)} (${percent(run.correct / run.done)})` : '–'}</td>
      <td>
        <input type="checkbox" data-testid="niah-compare-toggle" checked={picked} aria-label={t('niah.runs.compareLabel', { when })} onChange={() => toggleCompare(run.id)} />
      </td>
      <td className="niah-row-actions">
        {confirming ? (
          <span className="confirm-box" role="group" aria-label={t('niah.runs.deleteQuestion')}>
            <span>{t('niah.runs.deleteQuestion')}</span>
            <button type="button" className="button danger small" data-testid="niah-run-delete-confirm" autoFocus onClick={() => void deleteRun(run.id)}>
              {t('common.delete')}
            </button>
            <button type="button" className="button small" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </span>
        ) : (
          <>
            <button type="button" className="button small" data-testid="niah-run-open" aria-pressed={shown} onClick={() => showRun(shown ? null : run.id)}>
              {shown ? t('niah.runs.hide') : t('niah.runs.open')}
            </button>
            <button type="button" className="button small" data-testid="niah-run-delete" onClick={() => setConfirming(true)}>
              {t('niah.runs.delete')}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
