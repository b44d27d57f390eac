// Keyboard shortcuts: one keydown listener on the window. Actions go through the store (pages,
// conversations) or through the DOM by data-testid (the chat's own buttons and fields), so that a
// shortcut does exactly what clicking does. Ctrl on Linux and Windows, Cmd on macOS ("Mod" below).
import { openConversation, useApp } from './store.js';
import { setPage, useModels } from './models-state.js';
import { setHelpOpen, useSettings } from './settings-state.js';
import { setSidebarCollapsed, toggleSidebar } from './layout-state.js';

export type ShortcutId = 'newChat' | 'focusInput' | 'stop' | 'search' | 'previousConversation' | 'nextConversation' | 'settings' | 'toggleSidebar' | 'help';

interface Combo {
  /** Ctrl (Cmd on macOS). */
  mod?: boolean;
  shift?: boolean;
  alt?: boolean;
  /** KeyboardEvent.key, lower case. */
  key: string;
  /** KeyboardEvent.code, for layouts whose letters are not Latin. */
  code?: string;
  /** Whether Shift may be either up or down (for "?", which needs Shift on some layouts only). */
  anyShift?: boolean;
}

export interface Shortcut {
  id: ShortcutId;
  combos: Combo[];
}

/** In the order the help panel lists them. */
export const SHORTCUTS: Shortcut[] = [
  { id: 'newChat', combos: [{ mod: true, shift: true, key: 'o', code: 'KeyO' }] },
  { id: 'focusInput', combos: [{ mod: true, key: 'l', code: 'KeyL' }] },
  { id: 'stop', combos: [{ key: 'escape' }] },
  { id: 'search', combos: [{ mod: true, key: 'k', code: 'KeyK' }] },
  { id: 'previousConversation', combos: [{ alt: true, key: 'arrowup' }] },
  { id: 'nextConversation', combos: [{ alt: true, key: 'arrowdown' }] },
  { id: 'settings', combos: [{ mod: true, key: ',', code: 'Comma' }] },
  { id: 'toggleSidebar', combos: [{ mod: true, key: 'b', code: 'KeyB' }] },
  { id: 'help', combos: [{ key: '?', anyShift: true }, { key: 'f1' }] },
];

export function isMac(): boolean {
  const platform = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform || navigator.platform || navigator.userAgent;
  return /mac|iphone|ipad/i.test(platform);
}

const KEY_NAMES: Record<string, string> = { escape: 'Esc', arrowup: '↑', arrowdown: '↓', f1: 'F1' };

/** The keys of a combination as shown on the keycaps, e.g. ["Ctrl", "Shift", "O"] or ["⌘", "⇧", "O"]. */
export function comboKeys(combo: Combo, mac = isMac()): string[] {
  const keys: string[] = [];
  if (combo.mod) keys.push(mac ? '⌘' : 'Ctrl');
  if (combo.alt) keys.push(mac ? '⌥' : 'Alt');
  if (combo.shift) keys.push(mac ? '⇧' : 'Shift');
  keys.push(KEY_NAMES[combo.key] ?? combo.key.toUpperCase());
  return keys;
}

function matches(e: KeyboardEvent, combo: Combo, mac: boolean): boolean {
  const mod = mac ? e.metaKey : e.ctrlKey;
  const other = mac ? e.ctrlKey : e.metaKey;
  if (mod !== !!combo.mod || other || e.altKey !== !!combo.alt) return false;
  if (!combo.anyShift && e.shiftKey !== !!combo.shift) return false;
  const key = e.key.toLowerCase();
  if (key === combo.key) return true;
  // Letters typed on a non-Latin layout (or through an IME): fall back to the key's position.
  return combo.code !== undefined && !/^[a-z]$/.test(key) && e.code === combo.code;
}

function byTestId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.querySelector<T>(`[data-testid="${id}"]`);
}

/** Runs `work` once the element is rendered (after a page switch or showing the sidebar React needs a frame). */
function whenPresent(id: string, work: (el: HTMLElement) => void, tries = 20): void {
  const el = byTestId(id);
  if (el && el.getClientRects().length > 0) work(el);
  else if (tries > 0) requestAnimationFrame(() => whenPresent(id, work, tries - 1));
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

function toChat(): void {
  if (useModels.getState().page !== 'chat') setPage('chat');
}

/** The conversation above or below the open one, in the sidebar's order (the store's: pinned first). */
function switchConversation(step: 1 | -1): void {
  const { conversations, currentId } = useApp.getState();
  if (conversations.length === 0) return;
  const index = conversations.findIndex((c) => c.id === currentId);
  const next = conversations[index < 0 ? (step > 0 ? 0 : conversations.length - 1) : index + step];
  if (!next) return;
  toChat();
  void openConversation(next.id).then(() =>
    // The list is virtual: the row is in the DOM once it is near the view.
    document.querySelector(`[data-testid="conversation-item"][data-conversation-id="${CSS.escape(next.id)}"]`)?.scrollIntoView({ block: 'nearest' }),
  );
}

/** Performs a shortcut's action; false when it does not apply now (the key then keeps its usual meaning). */
export function runShortcut(id: ShortcutId): boolean {
  switch (id) {
    case 'newChat': {
      toChat();
      const button = byTestId('new-conversation');
      if (!button) return false;
      button.click();
      return true;
    }
    case 'focusInput':
      toChat();
      whenPresent('composer-input', (el) => el.focus());
      return true;
    case 'stop': {
      const stop = byTestId<HTMLButtonElement>('stop');
      if (!stop || stop.disabled) return false;
      stop.click();
      return true;
    }
    case 'search':
      // The search box is in the sidebar: show it first.
      setSidebarCollapsed(false);
      whenPresent('search-input', (el) => {
        el.focus();
        if (el instanceof HTMLInputElement) el.select();
      });
      return true;
    case 'previousConversation':
      switchConversation(-1);
      return true;
    case 'nextConversation':
      switchConversation(1);
      return true;
    case 'settings':
      setPage('settings');
      return true;
    case 'toggleSidebar':
      toggleSidebar();
      return true;
    case 'help':
      setHelpOpen(!useSettings.getState().helpOpen);
      return true;
  }
}

function onKeyDown(e: KeyboardEvent): void {
  if (e.defaultPrevented || e.isComposing || e.repeat) return;
  const mac = isMac();
  const shortcut = SHORTCUTS.find((s) => s.combos.some((c) => matches(e, c, mac)));
  if (!shortcut) return;
  const editable = isEditable(e.target);
  const inComposer = e.target instanceof HTMLElement && e.target.dataset.testid === 'composer-input';
  // "?" is a character to type in a field; Esc belongs to the field it is pressed in (except the
  // message box), and to the help panel while it is open; Alt+arrows open a focused <select>.
  if (shortcut.id === 'help' && e.key === '?' && editable) return;
  const inDialog = e.target instanceof Element && e.target.closest('[role="dialog"]') !== null;
  if (shortcut.id === 'stop' && ((editable && !inComposer) || inDialog || useSettings.getState().helpOpen)) return;
  if ((shortcut.id === 'previousConversation' || shortcut.id === 'nextConversation') && e.target instanceof HTMLSelectElement) return;
  if (shortcut.id !== 'help' && shortcut.id !== 'stop' && useSettings.getState().helpOpen) setHelpOpen(false);
  if (runShortcut(shortcut.id)) e.preventDefault();
}

let installed = false;

/** Listens for the shortcuts on this window (once). */
export function installShortcuts(): void {
  if (installed) return;
  installed = true;
  window.addEventListener('keydown', onKeyDown);
}
