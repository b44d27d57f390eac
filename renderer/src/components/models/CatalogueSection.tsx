import { refreshCatalogue, useModels } from '../../models-state.js';
import { CatalogueCard } from './CatalogueCard.js';

export function CatalogueSection() {
  const catalogue = useModels((s) => s.catalogue);
  const loading = useModels((s) => s.catalogueLoading);
  const error = useModels((s) => s.catalogueError);

  return (
    <section className="models-section" id="catalogue" aria-labelledby="catalogue-title" data-testid="catalogue">
      <div className="section-head">
        <h2 id="catalogue-title">Qwen2 models</h2>
        <span className="muted">The Instruct (chat) models, in the quantisations Qwen publishes. Smaller files use less memory and lose some quality.</span>
      </div>
      {error && (
        <p className="inline-error" role="alert" data-testid="catalogue-error">
          The catalogue could not be read: {error}{' '}
          <button type="button" className="link-button" onClick={() => void refreshCatalogue()}>
            Try again
          </button>
        </p>
      )}
      {!catalogue && loading && <p className="muted">Reading the catalogue…</p>}
      {catalogue?.map((entry) => <CatalogueCard key={entry.id} entry={entry} />)}
    </section>
  );
}
