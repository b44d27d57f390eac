import { refreshCatalogue, useModels } from '../../models-state.js';
import { CatalogueCard } from './CatalogueCard.js';
import { useT } from '../../i18n/index.js';

export function CatalogueSection() {
  const t = useT();
  const catalogue = useModels((s) => s.catalogue);
  const loading = useModels((s) => s.catalogueLoading);
  const error = useModels((s) => s.catalogueError);

  return (
    <section className="models-section" id="catalogue" aria-labelledby="catalogue-title" data-testid="catalogue">
      <div className="section-head">
        <h2 id="catalogue-title">{t('models.catalogue.title')}</h2>
        <span className="muted">{t('models.catalogue.intro')}</span>
      </div>
      {error && (
        <p className="inline-error" role="alert" data-testid="catalogue-error">
          {t('models.catalogue.error', { error })}{' '}
          <button type="button" className="link-button" onClick={() => void refreshCatalogue()}>
            {t('models.tryAgain')}
          </button>
        </p>
      )}
      {!catalogue && loading && <p className="muted">{t('models.catalogue.loading')}</p>}
      {catalogue?.map((entry) => <CatalogueCard key={entry.id} entry={entry} />)}
    </section>
  );
}
