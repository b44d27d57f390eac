import { setPage, useModels, type Page } from '../../models-state.js';
import { useT } from '../../i18n/index.js';

const PAGES: Page[] = ['chat', 'models', 'settings'];

/** Chat | Models | Settings, at the top of the sidebar. */
export function PageNav() {
  const t = useT();
  const current = useModels((s) => s.page);
  return (
    <div className="page-nav" role="group" aria-label={t('app.nav.pages')}>
      {PAGES.map((page) => (
        <button
          key={page}
          type="button"
          className={`page-nav-item${current === page ? ' current' : ''}`}
          data-testid={`nav-${page}`}
          aria-current={current === page ? 'page' : undefined}
          onClick={() => setPage(page)}
        >
          {t(`app.nav.${page}`)}
        </button>
      ))}
    </div>
  );
}
