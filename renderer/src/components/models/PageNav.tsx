import { setPage, useModels, type Page } from '../../models-state.js';

const PAGES: Array<{ page: Page; label: string }> = [
  { page: 'chat', label: 'Chat' },
  { page: 'models', label: 'Models' },
];

/** Chat | Models, at the top of the sidebar. */
export function PageNav() {
  const current = useModels((s) => s.page);
  return (
    <div className="page-nav" role="group" aria-label="Pages">
      {PAGES.map(({ page, label }) => (
        <button
          key={page}
          type="button"
          className={`page-nav-item${current === page ? ' current' : ''}`}
          data-testid={`nav-${page}`}
          aria-current={current === page ? 'page' : undefined}
          onClick={() => setPage(page)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
