// Helpers on top of t(): plural messages (ICU plurals: the count chooses the form by the language's
// rules and is shown as a number), and placeholders filled with elements (a bold model name, a code
// path) instead of plain text.
import { Fragment, type ReactNode } from 'react';
import { translate, useT, useLanguage, numberFormat, type Language, type Vars } from './index.js';

/** The message for a key whose text is an ICU plural on {count}, e.g. `{count, plural, one {# model} other {# models}}`. */
export function plural(language: Language, key: string, count: number, vars?: Vars): string {
  return translate(language, key, { ...vars, count });
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
  const t = useT();
  return {
    language,
    t,
    tn: (key: string, count: number, vars?: Vars) => t(key, { ...vars, count }),
    num: (n: number, options?: Intl.NumberFormatOptions) => numberFormat(language, options).format(n),
  };
}
