// The app settings (settings.get / settings.update): a small zustand store of their own. Language
// and theme apply at once (and are remembered in localStorage for the next start's first paint);
// also whether the model library has been read (the first-run screen waits for it) and the help panel.
import { create } from 'zustand';
import type { AppSettings, AppSettingsPatch, Language as LanguageSetting } from '../../app/contract.js';
import { setLanguage } from './i18n/index.js';
import { applyTheme, startTheme } from './theme.js';
import { getApi, messageOf, useApp } from './state.js';
import { selectModel } from './models.js';

const LANGUAGE_KEY = 'qwen2desk.language';

export interface SettingsState {
  settings: AppSettings | null;
  /** Why settings.get failed, if it did. */
  error: string | null;
  /** True once models.list has answered at least once (an empty library is then really empty). */
  libraryLoaded: boolean;
  helpOpen: boolean;
}

export const useSettings = create<SettingsState>()(() => ({
  settings: null,
  error: null,
  libraryLoaded: false,
  helpOpen: false,
}));

const set = useSettings.setState;
const get = useSettings.getState;

function applyLanguage(value: LanguageSetting): void {
  setLanguage(value);
  try {
    localStorage.setItem(LANGUAGE_KEY, value);
  } catch {
    // No storage: the language is applied once settings.get answers.
  }
}

function storedLanguage(): LanguageSetting {
  try {
    const value = localStorage.getItem(LANGUAGE_KEY);
    return value === 'en' || value === 'zh-CN' ? value : 'system';
  } catch {
    return 'system';
  }
}

let defaultApplied = false;

/** Once per start: the default model (when it is usable) is the one chosen in the picker. */
function applyDefaultModel(): void {
  const { settings, libraryLoaded } = get();
  if (defaultApplied || !settings || !libraryLoaded) return;
  defaultApplied = true;
  const path = settings.defaultModelPath;
  if (path && useApp.getState().models.some((m) => m.path === path && !m.problem)) selectModel(path);
}

/** Before the first render: the remembered language and theme; then settings.get each time main connects. */
export function startSettings(): void {
  applyLanguage(storedLanguage());
  startTheme();
  useApp.subscribe((s, prev) => {
    if (s.connection.state === 'open' && prev.connection.state !== 'open') void loadSettings();
    if (s.models !== prev.models && !get().libraryLoaded) {
      set({ libraryLoaded: true });
      applyDefaultModel();
    }
  });
  if (useApp.getState().connection.state === 'open') void loadSettings();
}

export async function loadSettings(): Promise<void> {
  const api = getApi();
  if (!api) return;
  try {
    const settings = await api.call('settings.get', {});
    set({ settings, error: null });
    applyLanguage(settings.language);
    applyTheme(settings.theme);
    applyDefaultModel();
  } catch (error) {
    set({ error: messageOf(error) });
  }
}

/** Saves a change; language and theme apply before main answers. Returns the error to show, or null. */
export async function updateSettings(patch: AppSettingsPatch): Promise<string | null> {
  if (patch.language) applyLanguage(patch.language);
  if (patch.theme) applyTheme(patch.theme);
  const api = getApi();
  if (!api) return null;
  try {
    const settings = await api.call('settings.update', patch);
    set({ settings, error: null });
    return null;
  } catch (error) {
    const before = get().settings;
    if (before) {
      applyLanguage(before.language);
      applyTheme(before.theme);
    }
    return messageOf(error);
  }
}

export function setHelpOpen(open: boolean): void {
  set({ helpOpen: open });
}
