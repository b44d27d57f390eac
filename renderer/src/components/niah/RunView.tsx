import { useRef, useState } from 'react';
import { exportCsv, openCell, useNiah } from '../../niah-state.js';
import { reportError } from '../../state.js';
import { useT } from '../../i18n/index.js';
import { CellAnswers } from './CellAnswers.js';
import { exportName, heatmapTexts } from './describe.js';
import { savePng, saveSvg } from './export.js';
import { FactRecall } from './FactRecall.js';
import { Heatmap } from './Heatmap.js';
import { RunHeader } from './RunHeader.js';
import { RunProgress } from './RunProgress.js';

/** One run in full: its header, progress, the heatmap (cells open their answers), recall per fact, exports. */
export function RunView({ runId }: { runId: string }) {
  const t = useT();
  const detail = useNiah((s) => s.details[runId]);
  const listed = useNiah((s) => s.runs.find((r) => r.id === runId));
  const cell = useNiah((s) => (s.cell?.runId === runId ? s.cell : null));
  const svg = useRef<SVGSVGElement>(null);
  const [drawing, setDrawing] = useState(false);
  if (!detail) {
    return (
      <section className="card niah-run" data-testid="niah-run">
        <p className="muted">{t('niah.run.loading')}</p>
      </section>
    );
  }
  // The list's entry follows the progress events at once; the detail a moment later.
  const run = listed && listed.done > detail.done ? { ...detail, status: listed.status, done: listed.done, correct: listed.correct } : { ...detail, status: listed?.status ?? detail.status };
  const name = exportName(run);
  const png = async () => {
    if (!svg.current) return;
    setDrawing(true);
    try {
      await savePng(svg.current, name);
    } catch (error) {
      reportError(error);
    } finally {
      setDrawing(false);
    }
  };

  return (
    <section className="card niah-run" data-testid="niah-run" data-run-id={run.id} data-status={run.status} aria-label={t('niah.run.label', { model: run.model.name })}>
      <RunHeader run={run} />
      <RunProgress run={run} />
      <div className="niah-heatmap-wrap">
        <Heatmap
          ref={svg}
          cells={detail.cells}
          lengths={run.plan.lengths}
          depths={run.plan.depths}
          texts={heatmapTexts(t, run)}
          selected={cell}
          onCell={(length, depth) => void openCell(run.id, length, depth)}
        />
      </div>
      <p className="niah-hint">{t('niah.run.cellHint')}</p>
      {cell && <CellAnswers cell={cell} run={detail} />}
      <FactRecall run={detail} />
      <div className="card-actions" role="group" aria-label={t('niah.export.label')}>
        <span className="muted">{t('niah.export.label')}</span>
        <button type="button" className="button small" data-testid="niah-export-csv" onClick={() => void exportCsv(run.id)}>
          CSV
        </button>
        <button type="button" className="button small" data-testid="niah-export-svg" onClick={() => svg.current && saveSvg(svg.current, name)}>
          SVG
        </button>
        <button type="button" className="button small" data-testid="niah-export-png" disabled={drawing} onClick={() => void png()}>
          PNG
        </button>
      </div>
    </section>
  );
}
