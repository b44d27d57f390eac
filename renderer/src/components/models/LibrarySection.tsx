import { useApp } from '../../store.js';
import { LibraryCard } from './LibraryCard.js';

export function LibrarySection() {
  const models = useApp((s) => s.models);
  const folder = useApp((s) => s.info?.modelsDir);
  const sorted = [...models].sort((a, b) => b.addedAt - a.addedAt);

  return (
    <section className="models-section" id="library" aria-labelledby="library-title" data-testid="library">
      <div className="section-head">
        <h2 id="library-title">Your models</h2>
        <span className="muted">
          {models.length === 0 ? 'None yet.' : `${models.length} model${models.length === 1 ? '' : 's'}`}
          {folder && (
            <>
              {' '}
              · folder <code data-testid="library-folder">{folder}</code>
            </>
          )}
        </span>
      </div>
      {models.length === 0 ? (
        <p className="card empty-library" data-testid="library-empty">
          Download one of the Qwen2 models above, or drop a <code>.gguf</code> file anywhere on this page.
        </p>
      ) : (
        sorted.map((m) => <LibraryCard key={m.id} model={m} />)
      )}
    </section>
  );
}
