import { dismissError, useApp } from '../store.js';
import { useT } from '../i18n/index.js';

/** Errors from actions (send, rename, …), each dismissible. */
export function ErrorNotes() {
  const t = useT();
  const errors = useApp((s) => s.errors);
  // While the disk is full (app.info / storage.changed): a note that stays until there is room again.
  const saveProblem = useApp((s) => s.info?.saveProblem ?? null);
  if (errors.length === 0 && !saveProblem) return null;
  return (
    <div className="error-notes">
      {saveProblem && (
        <div className="error-note" role="alert" data-testid="disk-full">
          <span>{t(saveProblem.kind === 'read-only' ? 'app.diskFullReadOnly' : 'app.diskFull')}</span>
        </div>
      )}
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
