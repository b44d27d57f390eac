import { useApp } from '../../store.js';
import { ACTIVE_DOWNLOAD, useModels } from '../../models-state.js';
import { useT } from '../../i18n/index.js';
import { scrollToTopOfContainer } from '../../scroll.js';

/** Jumps to the sections of the Models page. */
export function SectionNav() {
  const t = useT();
  const models = useApp((s) => s.models.length);
  const active = useModels((s) => s.downloads.filter((d) => ACTIVE_DOWNLOAD.has(d.state)).length);
  const links: Array<[string, string]> = [
    ['catalogue', t('models.catalogue.title')],
    ['downloads', active > 0 ? t('models.nav.downloadsActive', { count: active }) : t('models.downloads.title')],
    ['library', t('models.nav.library', { count: models })],
  ];
  return (
    <nav className="section-nav" aria-label={t('models.nav.label')}>
      {links.map(([id, label]) => (
        <button
          key={id}
          type="button"
          className="link-button"
          data-testid={`jump-${id}`}
          onClick={() => {
            const section = document.getElementById(id);
            if (section) scrollToTopOfContainer(section, 'smooth');
          }}
        >
          {label}
        </button>
      ))}
    </nav>
  );
}
