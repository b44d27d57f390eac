// ICU messages: the names of their arguments, and a message formatted with the missing ones left
// as `{name}` (rich() then puts elements there). intl-messageformat itself refuses a missing value.
import IntlMessageFormat from 'intl-messageformat';

// The parser's element types (TYPE in @formatjs/icu-messageformat-parser): 1–6 are arguments
// (plain, number, date, time, select, plural), 8 a tag with children.
interface Element {
  type: number;
  value?: unknown;
  options?: Record<string, { value: Element[] }>;
  children?: Element[];
}

function collect(elements: readonly Element[], into: Set<string>): Set<string> {
  for (const el of elements) {
    if (el.type >= 1 && el.type <= 6 && typeof el.value === 'string') into.add(el.value);
    for (const option of Object.values(el.options ?? {})) collect(option.value, into);
    if (el.children) collect(el.children, into);
  }
  return into;
}

/** The argument names of an ICU message (throws on a message that does not parse). */
export function argumentNames(message: string, language = 'en'): string[] {
  const ast = new IntlMessageFormat(message, language, undefined, { ignoreTag: true }).getAst() as unknown as Element[];
  return [...collect(ast, new Set())];
}

/** The message formatted with `values`, its missing arguments shown as `{name}`; the message as written if it cannot be. */
export function withPlaceholders(message: string, language: string, values: Record<string, unknown>): string {
  try {
    const format = new IntlMessageFormat(message, language, undefined, { ignoreTag: true });
    const filled: Record<string, unknown> = { ...values };
    for (const name of collect(format.getAst() as unknown as Element[], new Set())) {
      if (filled[name] === undefined) filled[name] = `{${name}}`;
    }
    return String(format.format(filled as Record<string, string>));
  } catch {
    return message;
  }
}
