import { useState } from 'react';
import type { LibraryModel } from '../../../../app/contract.js';
import { useApp } from '../../store.js';
import { chatWithModel } from '../../models-state.js';
import { openNiah } from '../../niah-state.js';
import { DeleteModel } from './DeleteModel.js';
import { ModelDefaultsForm } from './ModelDefaultsForm.js';
import { ModelInspection } from './ModelInspection.js';
import { ModelLabels } from './ModelLabels.js';
import { formatBytes, formatParams } from './format.js';
import { useT } from '../../i18n/index.js';

/** One installed model: its facts at a glance, labels, and details (inspection, defaults) on demand. */
export function LibraryCard({ model }: { model: LibraryModel }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  // The engine's status events are newer than the list (which is not refetched when a model loads).
  const loaded = useApp((st) => (st.engine ? st.engine.modelPath === model.path && st.engine.state !== 'stopped' && st.engine.state !== 'crashed' : model.loaded));
  const s = model.summary;
  const glance = [
    s ? formatParams(s.parameterCount) + (s.architecture === 'qwen2moe' ? ` (${t('models.library.active', { n: formatParams(s.activeParameterCount) })})` : '') : null,
    s?.quantisation ?? null,
    formatBytes(model.sizeBytes),
    t(`models.library.source.${model.source}`),
  ].filter(Boolean);
  const detailsId = `model-details-${model.id}`;

  return (
    <article className={`card library-card${model.problem ? ' has-problem' : ''}`} data-testid="library-model" data-model-id={model.id} data-name={model.name}>
      <header className="card-head">
        <h3 className="model-name" title={model.path}>
          {model.name}
        </h3>
        {loaded && <span className="tag loaded-tag">{t('models.library.loaded')}</span>}
        <span className="facts" data-testid="model-glance">
          {glance.join(' · ')}
        </span>
      </header>
      {model.problem && (
        <p className="inline-error" data-testid="model-problem">
          {t('models.library.problem', { problem: model.problem })}
        </p>
      )}
      <ModelLabels model={model} />
      <div className="card-actions">
        <button type="button" className="button small" data-testid="model-details-toggle" aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen((o) => !o)}>
          {open ? t('models.library.hideDetails') : t('models.library.details')}
        </button>
        {!model.problem && (
          <button type="button" className="button small" data-testid="model-use" onClick={() => chatWithModel(model)}>
            {t('models.library.chat')}
          </button>
        )}
        {!model.problem && (
          <button type="button" className="button small" data-testid="niah-open" title={t('niah.openHint')} onClick={() => openNiah(model.id)}>
            {t('niah.open')}
          </button>
        )}
        <DeleteModel model={model} />
      </div>
      {open && (
        <div className="model-details" id={detailsId}>
          <ModelInspection model={model} />
          {!model.problem && <ModelDefaultsForm model={model} />}
        </div>
      )}
    </article>
  );
}
