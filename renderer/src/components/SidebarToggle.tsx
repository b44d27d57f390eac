import { useT } from '../i18n/index.js';
import { comboKeys, SHORTCUTS } from '../shortcuts.js';
import { toggleSidebar, useLayout } from '../layout-state.js';
import { SidebarIcon } from './layout-icons.js';

/** Shows or hides the sidebar; it stays at the window's top left, above every page's header. */
export function SidebarToggle() {
  const t = useT();
  const collapsed = useLayout((s) => s.sidebarCollapsed);
  const combo = SHORTCUTS.find((s) => s.id === 'toggleSidebar')?.combos[0];
  const keys = combo ? ` (${comboKeys(combo).join('+')})` : '';
  const label = collapsed ? t('app.sidebar.show') : t('app.sidebar.hide');
  return (
    <button
      type="button"
      className="icon-button sidebar-toggle"
      data-testid="sidebar-toggle"
      aria-expanded={!collapsed}
      aria-controls="app-sidebar"
      aria-label={label}
      title={label + keys}
      onClick={toggleSidebar}
    >
      <SidebarIcon />
    </button>
  );
}
