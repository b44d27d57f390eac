import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { LibraryModel } from '../../../../app/contract.js';
import '../../niah.css';
import { closeNiah, ensureNiahEvents, useNiah } from '../../niah-state.js';
import { useT } from '../../i18n/index.js';
import { ErrorNotes } from '../ErrorNotes.js';
import { StatusLine } from '../StatusLine.js';
import { NiahForm } from './NiahForm.js';
import { RunCompare } from './RunCompare.js';
import { RunsList } from './RunsList.js';
import { RunView } from './RunView.js';

/**
 * "Test long context" for one library model: the form (grid, haystack, facts, estimate, start), the
 * run on screen drawn like the Qwen2 report's Figure 1, two runs side by side, and the model's runs.
 */
export function NiahView({ model }: { model: LibraryModel }) {
  const t = useT();
  useEffect(ensureNiahEvents, []);
  const runs = useNiah(useShallow((s) => s.runs.filter((r) => r.model.path === model.path)));
  const shownId = useNiah((s) => s.shownId);
  const compare = useNiah(useShallow((s) => s.compare.filter((id) => s.runs.some((r) => r.id === id && r.model.path === model.path))));
  const [formOpen, setFormOpen] = useState(true);

  return (
    <main className="main models-page niah-page" id="main-content" tabIndex={-1} aria-labelledby="niah-title" data-testid="niah-view" data-model-id={model.id}>
      <header className="header">
        <button type="button" className="button small" data-testid="niah-back" onClick={closeNiah}>
          {t('niah.back')}
        </button>
        <h1 className="header-title" id="niah-title">
          {t('niah.title', { model: model.name })}
        </h1>
      </header>
      <ErrorNotes />
      <div className="models-scroll">
        <div className="models-column niah-column">
          {formOpen ? (
            <NiahForm model={model} onStarted={() => setFormOpen(false)} />
          ) : (
            <button type="button" className="button small niah-new" data-testid="niah-new" onClick={() => setFormOpen(true)}>
              {t('niah.form.again')}
            </button>
          )}
          {shownId && runs.some((r) => r.id === shownId) && <RunView runId={shownId} />}
          {compare.length === 2 && <RunCompare ids={compare} />}
          <RunsList runs={runs} />
        </div>
      </div>
      <StatusLine />
    </main>
  );
}
