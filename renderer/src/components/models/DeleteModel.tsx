import { useState } from 'react';
import type { LibraryModel } from '../../../../app/contract.js';
import { deleteModel } from '../../models-state.js';
import { formatBytes } from './format.js';

/** Delete with a confirmation step; a refusal (e.g. the model is loaded) is shown in place. */
export function DeleteModel({ model }: { model: LibraryModel }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const referenced = model.source === 'referenced';
  const question = referenced
    ? `Remove ${model.name} from your models? The file stays where it is.`
    : `Delete ${model.name}? Its file${model.parts.length > 1 ? 's' : ''} (${formatBytes(model.sizeBytes)}) will be deleted from the models folder.`;

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
        <button type="button" className="button small" data-testid="model-delete" aria-label={`Delete ${model.name}`} onClick={() => (setConfirming(true), setError(null))}>
          {referenced ? 'Remove…' : 'Delete…'}
        </button>
      ) : (
        <div className="confirm-box" role="group" aria-label="Confirm delete" data-testid="delete-confirm">
          <span>{question}</span>
          <span className="confirm-actions">
            <button type="button" className="button danger small" data-testid="model-delete-confirm" autoFocus disabled={busy} onClick={() => void confirm()}>
              {busy ? 'Deleting…' : referenced ? 'Remove' : 'Delete'}
            </button>
            <button type="button" className="button small" data-testid="model-delete-cancel" onClick={() => setConfirming(false)}>
              Cancel
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
