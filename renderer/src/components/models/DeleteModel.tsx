import { useState } from 'react';
import type { LibraryModel } from '../../../../app/contract.js';
import { deleteModel } from '../../models-state.js';
import { formatBytes } from './format.js';
import { useI18n } from '../../i18n/rich.js';

/** Delete with a confirmation step; a refusal (e.g. the model is loaded) is shown in place. */
export function DeleteModel({ model }: { model: LibraryModel }) {
  const { t, tn } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const referenced = model.source === 'referenced';
  const question = referenced
    ? t('models.delete.removeQuestion', { name: model.name })
    : tn('models.delete.deleteQuestion', model.parts.length, { name: model.name, size: formatBytes(model.sizeBytes) });

  const confirm = async () => {
    setBusy(true);
    const problem = await deleteModel(model);
    setBusy(false);
    setError(problem);
    setConfirming(false);
  };

  return (
    <div className="delete-model">
      {!confirming ? (
        <button type="button" className="button small" data-testid="model-delete" aria-label={t(referenced ? 'models.delete.removeLabel' : 'models.delete.label', { name: model.name })} onClick={() => (setConfirming(true), setError(null))}>
          {referenced ? t('models.delete.removeAsk') : t('models.delete.deleteAsk')}
        </button>
      ) : (
        <div className="confirm-box" role="group" aria-label={t('models.delete.confirm')} data-testid="delete-confirm">
          <span>{question}</span>
          <span className="confirm-actions">
            <button type="button" className="button danger small" data-testid="model-delete-confirm" autoFocus disabled={busy} onClick={() => void confirm()}>
              {busy ? t('models.delete.deleting') : referenced ? t('models.delete.remove') : t('common.delete')}
            </button>
            <button type="button" className="button small" data-testid="model-delete-cancel" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </span>
        </div>
      )}
      {error && (
        <p className="inline-error" role="alert" data-testid="delete-error">
          {error}
        </p>
      )}
    </div>
  );
}
