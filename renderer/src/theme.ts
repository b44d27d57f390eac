// Light and dark: data-theme="light" | "dark" on <html> picks the palette in styles.css. "system"
// follows prefers-color-scheme, live. The last setting is remembered in localStorage so that the page
// starts in the right colours before main has answered settings.get.
import type { Theme } from '../../app/contract.js';

export type ResolvedTheme = 'light' | 'dark';

const KEY = 'qwen2desk.theme';
const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
let setting: Theme = 'system';

export function resolveTheme(value: Theme): ResolvedTheme {
  return value === 'system' ? (media?.matches ? 'dark' : 'light') : value;
}

export function applyTheme(value: Theme): void {
  setting = value;
  document.documentElement.dataset.theme = resolveTheme(value);
  try {
    localStorage.setItem(KEY, value);
  } catch {
    // No storage: the theme is applied once settings.get answers.
  }
}

function storedTheme(): Theme {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

/** At start: the remembered theme now, and the system's changes while "system" is chosen. */
export function startTheme(): void {
  applyTheme(storedTheme());
  media?.addEventListener('change', () => {
    if (setting === 'system') applyTheme('system');
  });
}
