import { useApp } from '../../store.js';
import { ACTIVE_DOWNLOAD, useModels } from '../../models-state.js';

/** Jumps to the sections of the Models page. */
export function SectionNav() {
  const models = useApp((s) => s.models.length);
  const active = useModels((s) => s.downloads.filter((d) => ACTIVE_DOWNLOAD.has(d.state)).length);
  const links: Array<[string, string]> = [
    ['catalogue', 'Qwen2 models'],
    ['downloads', active > 0 ? `Downloads (${active})` : 'Downloads'],
    ['library', `Your models (${models})`],
  ];
  return (
    <nav className="section-nav" aria-label="Sections of this page">
      {links.map(([id, label]) => (
        <button
          key={id}
          type="button"
          className="link-button"
          data-testid={`jump-${id}`}
          onClick={() => document.getElementById(id)?.scrollIntoView({ behavior: 'smooth', block: 'start' })}
        >
          {label}
        </button>
      ))}
    </nav>
  );
}
