// Translations: English and Simplified Chinese, through i18next with ICU messages (i18next-icu).
// Every area of the UI keeps its strings in strings/<area>.ts ({en, 'zh-CN'} with the same keys;
// test/unit/i18n.test.ts checks both languages and that every message parses). The tables are the
// resources of one i18next instance; placeholders are ICU arguments ({name}), plurals ICU plurals
// ({count, plural, one {# token} other {# tokens}}). The language follows the system unless set.
import i18next from 'i18next';
import ICU from 'i18next-icu';
import { initReactI18next, useTranslation } from 'react-i18next';
import { create } from 'zustand';
import { STRINGS } from './strings/index.js';
import { withPlaceholders } from './placeholders.js';

export type Language = 'en' | 'zh-CN';
export type LanguageSetting = 'system' | Language;
export type Vars = Record<string, string | number>;

export const LANGUAGES: readonly Language[] = ['en', 'zh-CN'];

function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages ?? [navigator.language];
}

export function systemLanguage(languages: readonly string[] = browserLanguages()): Language {
  // The first of the user's languages that we have decides; anything else gets English.
  const first = languages.find((l) => /^(zh|en)\b/i.test(l));
  return first && /^zh/i.test(first) ? 'zh-CN' : 'en';
}

/** The app's i18next instance (its own, so that nothing else on the page can change it). */
export const i18n = i18next.createInstance();

i18n
  .use(
    new ICU({
      // A message asked for without some of its values (rich() fills those with elements) keeps
      // those placeholders as `{name}`; any other problem shows the message as written.
      parseErrorHandler: (_error: Error, _key: string, message: string, options: object) => {
        const values = options as Record<string, unknown>;
        return withPlaceholders(message, String(values.lng ?? 'en'), values);
      },
    }),
  )
  .use(initReactI18next)
  .init({
    // Copies: the tables stay as written whatever is added to the instance.
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: { ...STRINGS[l] } }])),
    lng: systemLanguage(),
    fallbackLng: 'en',
    supportedLngs: LANGUAGES as Language[],
    // Keys are flat and contain dots ('chat.send'); nothing is namespaced.
    keySeparator: false,
    nsSeparator: false,
    initAsync: false,
    returnNull: false,
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
    showSupportNotice: false,
  } as Parameters<typeof i18n.init>[0]);

interface LanguageState {
  setting: LanguageSetting;
  language: Language;
}

export const useLanguage = create<LanguageState>(() => ({ setting: 'system', language: systemLanguage() }));

export function setLanguage(setting: LanguageSetting): void {
  const language = setting === 'system' ? systemLanguage() : setting;
  void i18n.changeLanguage(language);
  useLanguage.setState({ setting, language });
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

/** The message for a key in a language (English if missing, the key if in neither), with its values filled. */
export function translate(language: Language, key: string, vars?: Vars): string {
  return i18n.t(key, { ...vars, lng: language });
}

export function t(key: string, vars?: Vars): string {
  return translate(useLanguage.getState().language, key, vars);
}

/** For components: re-renders when the language changes. */
export function useT(): (key: string, vars?: Vars) => string {
  const language = useLanguage((s) => s.language);
  const { t: fixed } = useTranslation(undefined, { lng: language });
  return (key, vars) => fixed(key, vars);
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** One formatter per language and options: making an Intl.NumberFormat costs far more than using it. */
export function numberFormat(language: Language, options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = options ? `${language} ${JSON.stringify(options)}` : language;
  let format = numberFormats.get(id);
  if (!format) numberFormats.set(id, (format = new Intl.NumberFormat(language, options)));
  return format;
}

/** Numbers and dates in the current language. */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return numberFormat(useLanguage.getState().language, options).format(n);
}
