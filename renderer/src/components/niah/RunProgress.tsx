import type { NiahRun } from '../../../../app/contract.js';
import { cancelRun, resumeRun, useNiah } from '../../niah-state.js';
import { formatNumber, useT } from '../../i18n/index.js';
import { formatSeconds } from './describe.js';

/** A running run's progress with its time left and Cancel; a stopped one's reason and Resume. */
export function RunProgress({ run }: { run: NiahRun }) {
  const t = useT();
  const event = useNiah((s) => s.progress[run.id]);
  const done = event?.done ?? run.done;
  const total = event?.total ?? run.total;
  const correct = event?.correct ?? run.correct;
  const counts = t('niah.progress.counts', { done: formatNumber(done), total: formatNumber(total), correct: formatNumber(correct) });
  if (run.status === 'running') {
    const eta = event?.etaMs ?? null;
    return (
      <div className="niah-progress" data-testid="niah-progress" data-status="running" role="status">
        <progress max={Math.max(1, total)} value={done} aria-label={t('niah.progress.label')} />
        <span data-testid="niah-progress-counts">{counts}</span>
        <span className="muted" data-testid="niah-eta">
          {eta === null ? t('niah.progress.measuring') : t('niah.progress.eta', { time: formatSeconds(t, eta / 1000) })}
        </span>
        <button type="button" className="button small" data-testid="niah-cancel" onClick={() => void cancelRun(run.id)}>
          {t('niah.progress.cancel')}
        </button>
      </div>
    );
  }
  if (run.status === 'done') return null;
  return (
    <div className={`niah-progress stopped status-${run.status}`} data-testid="niah-progress" data-status={run.status}>
      <span>{t(`niah.progress.stopped.${run.status}`)}</span>
      <span data-testid="niah-progress-counts">{counts}</span>
      <button type="button" className="button small primary" data-testid="niah-resume" onClick={() => void resumeRun(run.id)}>
        {t('niah.progress.resume')}
      </button>
      {run.error && (
        <p className="inline-error" role="alert" data-testid="niah-run-error">
          {run.error}
        </p>
      )}
    </div>
  );
}
