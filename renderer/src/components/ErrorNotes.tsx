import { dismissError, useApp } from '../store.js';
import { useT } from '../i18n/index.js';

/** Errors from actions (send, rename, …), each dismissible. */
export function ErrorNotes() {
  const t = useT();
  const errors = useApp((s) => s.errors);
  if (errors.length === 0) return null;
  return (
    <div className="error-notes">
      {errors.map((e) => (
        <div key={e.id} className="error-note" role="alert" data-testid="error">
          <span>{e.text}</span>
          <button
            type="button"
            className="icon-button"
            data-testid="dismiss-error"
            aria-label={t('app.errors.dismiss')}
            title={t('app.errors.dismiss')}
            onClick={() => dismissError(e.id)}
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
