// The models folder: shown, and changed at once (settings.update modelsDir; empty = the default).
import { useEffect, useState } from 'react';
import { useT } from '../../i18n/index.js';
import { updateSettings } from '../../settings-state.js';

export function ModelsFolderField({ id, current, onOpenModels }: { id: string; current: string; onOpenModels(): void }) {
  const t = useT();
  const [value, setValue] = useState(current);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setValue(current), [current]);
  const trimmed = value.trim();

  const save = async (modelsDir: string | null) => {
    setBusy(true);
    setError(await updateSettings({ modelsDir }));
    setBusy(false);
  };

  return (
    <>
      <form
        className="settings-inline-form wide"
        onSubmit={(e) => {
          e.preventDefault();
          if (trimmed && trimmed !== current) void save(trimmed);
        }}
      >
        <input
          id={id}
          data-testid="settings-models-dir"
          aria-describedby={`${id}-hint`}
          spellCheck={false}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="button small" data-testid="settings-models-dir-save" disabled={busy || !trimmed || trimmed === current}>
          {t('common.save')}
        </button>
        <button type="button" className="button small" data-testid="settings-models-dir-default" disabled={busy} onClick={() => void save(null)}>
          {t('settings.useDefault')}
        </button>
        <button type="button" className="button small" data-testid="settings-open-models" onClick={onOpenModels}>
          {t('settings.openModels')}
        </button>
      </form>
      {error && (
        <p className="settings-error" role="alert" data-testid="settings-models-dir-error">
          {error}
        </p>
      )}
    </>
  );
}
