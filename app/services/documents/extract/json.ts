// JSON: pretty-printed (two spaces); each top-level key of an object is a section headed by the key.
import { TextBuilder } from './builder.js';
import { decodeText } from './decode.js';
import { extractError } from './errors.js';
import type { ExtractInput, Section } from './types.js';

/** Deeper than this, a JSON file is not a document (and printing it would overflow the stack). */
export const MAX_JSON_DEPTH = 1000;

export function extractJson(input: ExtractInput): { text: string; sections: Section[] } {
  const source = decodeText(input.name, input.bytes);
  if (nestingDepth(source, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw extractError('corrupt', input.name, `the JSON is nested deeper than ${MAX_JSON_DEPTH.toLocaleString('en')} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw extractError('corrupt', input.name, `it is not valid JSON (${(error as Error).message})`);
  }
  const out = new TextBuilder();
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) {
    out.append(JSON.stringify(value, null, 2));
    return out.done();
  }
  const entries = Object.entries(value as Record<string, unknown>);
  out.append('{\n');
  entries.forEach(([key, v], i) => {
    out.section({ heading: key });
    const pretty = JSON.stringify(v, null, 2).replace(/\n/g, '\n  ');
    out.append(`  ${JSON.stringify(key)}: ${pretty}${i < entries.length - 1 ? ',' : ''}\n`);
  });
  out.section({});
  out.append('}');
  return out.done();
}

/** How deep arrays and objects nest (brackets inside strings do not count); stops once over `limit`. */
export function nestingDepth(source: string, limit: number): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string: to the next quote not escaped.
      for (i++; i < source.length; i++) {
        const d = source.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}
