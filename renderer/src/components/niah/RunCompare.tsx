import { useShallow } from 'zustand/react/shallow';
import { closeCompare, useNiah } from '../../niah-state.js';
import { useT } from '../../i18n/index.js';
import { heatmapTexts } from './describe.js';
import { Heatmap } from './Heatmap.js';
import { RunHeader } from './RunHeader.js';

/** Two runs side by side, each with its load and its heatmap. */
export function RunCompare({ ids }: { ids: string[] }) {
  const t = useT();
  const details = useNiah(useShallow((s) => ids.map((id) => s.details[id] ?? null)));
  return (
    <section className="card niah-compare" data-testid="niah-compare" aria-labelledby="niah-compare-title">
      <div className="niah-answers-head">
        <h2 className="niah-card-title" id="niah-compare-title">
          {t('niah.compare.title')}
        </h2>
        <button type="button" className="button small" data-testid="niah-compare-close" onClick={closeCompare}>
          {t('common.close')}
        </button>
      </div>
      <div className="niah-compare-grid">
        {details.map((run, i) =>
          run ? (
            <div key={run.id} className="niah-compare-side" data-testid="niah-compare-side" data-run-id={run.id}>
              <RunHeader run={run} compact />
              <div className="niah-heatmap-wrap">
                <Heatmap cells={run.cells} lengths={run.plan.lengths} depths={run.plan.depths} texts={heatmapTexts(t, run)} />
              </div>
            </div>
          ) : (
            <p key={ids[i]} className="muted">
              {t('niah.run.loading')}
            </p>
          ),
        )}
      </div>
    </section>
  );
}
