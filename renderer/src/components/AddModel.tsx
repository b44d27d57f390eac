import { useState } from 'react';
import { addModel, getApi } from '../store.js';
import { useT } from '../i18n/index.js';

/** "Add a file…": the native picker in Electron, otherwise an inline path field. */
export function AddModel({ label, primary = false }: { label?: string; primary?: boolean } = {}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const add = async (file: string) => {
    setBusy(true);
    setError(null);
    const problem = await addModel(file);
    setBusy(false);
    setError(problem);
    if (!problem) {
      setOpen(false);
      setPath('');
    }
  };

  const onAddClick = async () => {
    const pick = getApi()?.pickModelFile;
    if (!pick) {
      setOpen((o) => !o);
      setError(null);
      return;
    }
    try {
      const file = await pick();
      if (file) await add(file);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div className="add-model">
      <button
        type="button"
        className={`button${primary ? ' primary' : ''}`}
        data-testid="add-model"
        aria-expanded={getApi()?.pickModelFile ? undefined : open}
        onClick={() => void onAddClick()}
      >
        {label ?? t('app.add.button')}
      </button>
      {(open || error) && (
        <div className="add-model-popover" role="group" aria-label={t('app.add.group')}>
          {open && (
            <form
              className="add-model-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (path.trim()) void add(path.trim());
              }}
            >
              <input
                data-testid="add-model-path"
                aria-label={t('app.add.pathLabel')}
                placeholder={t('app.add.placeholder')}
                value={path}
                autoFocus
                onChange={(e) => setPath(e.target.value)}
                onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
              />
              <button type="submit" className="button primary" data-testid="add-model-submit" disabled={busy || !path.trim()}>
                {busy ? t('app.add.adding') : t('app.add.submit')}
              </button>
              <button type="button" className="button" data-testid="add-model-cancel" onClick={() => { setOpen(false); setError(null); }}>
                {t('common.cancel')}
              </button>
            </form>
          )}
          {error && (
            <p className="inline-error" role="alert" data-testid="add-model-error">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
