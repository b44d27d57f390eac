import { dismissError, useApp } from '../store.js';

/** Errors from actions (send, rename, …), each dismissible. */
export function ErrorNotes() {
  const errors = useApp((s) => s.errors);
  if (errors.length === 0) return null;
  return (
    <div className="error-notes">
      {errors.map((e) => (
        <div key={e.id} className="error-note" role="alert" data-testid="error">
          <span>{e.text}</span>
          <button type="button" className="icon-button" data-testid="dismiss-error" aria-label="Dismiss this error" onClick={() => dismissError(e.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
