import { useState } from 'react';
import { getApi, reportError, useApp } from '../../store.js';
import { LibraryCard } from './LibraryCard.js';
import { useI18n, rich } from '../../i18n/rich.js';

export function LibrarySection() {
  const { t, tn } = useI18n();
  const models = useApp((s) => s.models);
  const folder = useApp((s) => s.info?.modelsDir);
  const sorted = [...models].sort((a, b) => b.addedAt - a.addedAt);
  const [scanning, setScanning] = useState(false);
  // The folder is watched; Rescan reads it (and every file's header) again anyway, e.g. on a network drive.
  const rescan = async () => {
    setScanning(true);
    try {
      const api = getApi();
      if (api) useApp.setState({ models: await api.call('models.rescan', {}) });
    } catch (error) {
      reportError(error);
    } finally {
      setScanning(false);
    }
  };

  return (
    <section className="models-section" id="library" aria-labelledby="library-title" data-testid="library">
      <div className="section-head">
        <h2 id="library-title">{t('models.library.title')}</h2>
        <span className="muted">
          {models.length === 0 ? t('models.library.noneYet') : tn('models.library.count', models.length)}
          {folder && (
            <>
              {' '}
              · {rich(t('models.library.folder'), { folder: <code data-testid="library-folder">{folder}</code> })}
            </>
          )}
        </span>
        <button
          type="button"
          className="button small"
          data-testid="library-rescan"
          title={t('models.library.rescanHint')}
          disabled={scanning}
          aria-busy={scanning}
          onClick={() => void rescan()}
        >
          {scanning ? t('models.library.rescanning') : t('models.library.rescan')}
        </button>
      </div>
      {models.length === 0 ? (
        <p className="card empty-library" data-testid="library-empty">
          {rich(t('models.library.empty'), { gguf: <code>.gguf</code> })}
        </p>
      ) : (
        sorted.map((m) => <LibraryCard key={m.id} model={m} />)
      )}
    </section>
  );
}
