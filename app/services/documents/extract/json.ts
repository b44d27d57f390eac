// JSON: pretty-printed (two spaces); each top-level key of an object is a section headed by the key.
import { TextBuilder } from './builder.js';
import { decodeText } from './decode.js';
import { extractError } from './errors.js';
import type { ExtractInput, Section } from './types.js';

export function extractJson(input: ExtractInput): { text: string; sections: Section[] } {
  const source = decodeText(input.name, input.bytes);
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
