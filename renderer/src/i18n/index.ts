// Translations: English and Simplified Chinese. Every area of the UI keeps its strings in
// strings/<area>.ts ({en, 'zh-CN'} with the same keys; test/unit/i18n.test.ts checks that every
// English string has its Chinese one). The language follows the system unless set in settings.
import { create } from 'zustand';
import { STRINGS } from './strings/index.js';

export type Language = 'en' | 'zh-CN';
export type LanguageSetting = 'system' | Language;
export type Vars = Record<string, string | number>;

export function systemLanguage(languages: readonly string[] = navigator.languages ?? [navigator.language]): Language {
  // The first of the user's languages that we have decides; anything else gets English.
  const first = languages.find((l) => /^(zh|en)\b/i.test(l));
  return first && /^zh/i.test(first) ? 'zh-CN' : 'en';
}

interface LanguageState {
  setting: LanguageSetting;
  language: Language;
}

export const useLanguage = create<LanguageState>(() => ({ setting: 'system', language: systemLanguage() }));

export function setLanguage(setting: LanguageSetting): void {
  const language = setting === 'system' ? systemLanguage() : setting;
  useLanguage.setState({ setting, language });
  document.documentElement.lang = language;
}

/** The string for a key in the current language (English if missing), with {name} placeholders filled. */
export function translate(language: Language, key: string, vars?: Vars): string {
  const template = STRINGS[language][key] ?? STRINGS.en[key] ?? key;
  return vars ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : template;
}

export function t(key: string, vars?: Vars): string {
  return translate(useLanguage.getState().language, key, vars);
}

/** For components: re-renders when the language changes. */
export function useT(): (key: string, vars?: Vars) => string {
  const language = useLanguage((s) => s.language);
  return (key, vars) => translate(language, key, vars);
}

/** Numbers and dates in the current language. */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(useLanguage.getState().language, options).format(n);
}
