import { useState } from 'react';
import type { LibraryModel } from '../../../../app/contract.js';
import { updateModel } from '../../models-state.js';
import { useT } from '../../i18n/index.js';

/** The model's labels as chips: remove with ×, add with the field. */
export function ModelLabels({ model }: { model: LibraryModel }) {
  const t = useT();
  const [draft, setDraft] = useState('');
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async (labels: string[]) => {
    setError(await updateModel(model.id, { labels }));
  };
  const add = async () => {
    const label = draft.trim().slice(0, 40);
    if (!label) return;
    if (!model.labels.includes(label)) await save([...model.labels, label]);
    setDraft('');
    setAdding(false);
  };

  return (
    <div className="labels" data-testid="model-labels">
      {model.labels.map((l) => (
        <span key={l} className="label-chip" data-testid="label">
          {l}
          <button type="button" className="label-remove" data-testid="label-remove" aria-label={t('models.labels.remove', { label: l })} onClick={() => void save(model.labels.filter((x) => x !== l))}>
            ×
          </button>
        </span>
      ))}
      {adding ? (
        <form
          className="label-form"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <input
            data-testid="label-input"
            aria-label={t('models.labels.new', { name: model.name })}
            placeholder={t('models.labels.placeholder')}
            maxLength={40}
            value={draft}
            autoFocus
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setAdding(false)}
          />
          <button type="submit" className="button small" data-testid="label-add" disabled={!draft.trim()}>
            {t('models.labels.add')}
          </button>
        </form>
      ) : (
        <button type="button" className="link-button" data-testid="label-new" aria-label={t('models.labels.addTo', { name: model.name })} onClick={() => setAdding(true)} disabled={model.labels.length >= 20}>
          + {t('models.labels.label')}
        </button>
      )}
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
