// The window's layout: whether the sidebar is shown. Below NARROW_WIDTH it starts collapsed (and opens
// over the page as a drawer); crossing that width puts it back in the state that suits the new size,
// the toggle (button or Mod+B) changes it in between.
import { create } from 'zustand';

/** Narrower windows than this (CSS px) start with the sidebar collapsed. */
export const NARROW_WIDTH = 900;

export interface LayoutState {
  sidebarCollapsed: boolean;
  /** The window is narrower than NARROW_WIDTH: an open sidebar lies over the page. */
  narrow: boolean;
}

const isNarrow = () => typeof window !== 'undefined' && window.innerWidth < NARROW_WIDTH;

export const useLayout = create<LayoutState>()(() => {
  const narrow = isNarrow();
  return { sidebarCollapsed: narrow, narrow };
});

export function toggleSidebar(): void {
  useLayout.setState((s) => ({ sidebarCollapsed: !s.sidebarCollapsed }));
}

export function setSidebarCollapsed(collapsed: boolean): void {
  useLayout.setState({ sidebarCollapsed: collapsed });
}

let watching = false;

/** Follows the window's width (once): crossing NARROW_WIDTH collapses or expands the sidebar. */
export function watchWindowWidth(): void {
  if (watching || typeof window === 'undefined') return;
  watching = true;
  window.addEventListener('resize', () => {
    const narrow = isNarrow();
    if (narrow !== useLayout.getState().narrow) useLayout.setState({ narrow, sidebarCollapsed: narrow });
  });
}
