// Helpers on top of t(): plural forms by the current language's rules, and placeholders filled
// with elements (a bold model name, a code path) instead of plain text.
import { Fragment, type ReactNode } from 'react';
import { translate, useLanguage, type Language, type Vars } from './index.js';

/**
 * `${key}.one` or `${key}.other`, chosen by Intl.PluralRules for the language ({count} is filled in,
 * formatted as a number). Both keys must exist in both tables (Chinese uses only `.other`).
 */
export function plural(language: Language, key: string, count: number, vars?: Vars): string {
  const form = new Intl.PluralRules(language).select(count) === 'one' ? 'one' : 'other';
  return translate(language, `${key}.${form}`, { count: new Intl.NumberFormat(language).format(count), ...vars });
}

/** A template's {name} placeholders replaced by React nodes (text placeholders left to t()). */
export function rich(template: string, parts: Record<string, ReactNode>): ReactNode {
  const pieces = template.split(/\{(\w+)\}/g);
  return pieces.map((piece, i) =>
    i % 2 === 1 ? <Fragment key={i}>{piece in parts ? parts[piece] : `{${piece}}`}</Fragment> : piece,
  );
}

/** For components: t(), plural() and number formatting in the current language; re-renders when it changes. */
export function useI18n() {
  const language = useLanguage((s) => s.language);
  return {
    language,
    t: (key: string, vars?: Vars) => translate(language, key, vars),
    tn: (key: string, count: number, vars?: Vars) => plural(language, key, count, vars),
    num: (n: number, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(language, options).format(n),
  };
}
