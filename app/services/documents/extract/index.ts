// Extraction: picks the reader by file type and checks the size limit and the result.
import { extractCsv } from './csv.js';
import { extractDocx } from './docx.js';
import { extractError, formatMB, MB } from './errors.js';
import { formatOf } from './formats.js';
import { extractHtml } from './html.js';
import { extractJson } from './json.js';
import { extractPdf } from './pdf.js';
import { extractMarkdown, extractPlain } from './text.js';
import type { Extracted, ExtractInput, Section } from './types.js';

export type { Extracted, ExtractProgress, ProgressFn, Section, DocumentKind, SkippedPage } from './types.js';
export { ExtractError, type ExtractReason } from './errors.js';
export { formatOf, describeSupported, SUPPORTED } from './formats.js';

export const MAX_DOCUMENT_BYTES = 200 * MB;

/** Refuses a file over the limit, before anything reads it. */
export function checkSize(name: string, sizeBytes: number, maxBytes = MAX_DOCUMENT_BYTES): void {
  if (sizeBytes > maxBytes) {
    throw extractError('too_large', name, `it is too large (${formatMB(sizeBytes)}); the limit is ${formatMB(maxBytes)}`);
  }
}

type Read = Omit<Extracted, 'kind' | 'mime'>;
type Reader = (input: ExtractInput) => Promise<Read> | Read;

const READERS: Record<Extracted['kind'], Reader> = {
  pdf: extractPdf,
  docx: extractDocx,
  text: extractPlain,
  code: extractPlain,
  markdown: extractMarkdown,
  html: extractHtml,
  csv: extractCsv,
  json: extractJson,
};

export async function extractDocument(input: ExtractInput, maxBytes = MAX_DOCUMENT_BYTES): Promise<Extracted> {
  const format = formatOf(input.name);
  checkSize(input.name, input.bytes.byteLength, maxBytes);
  if (input.bytes.byteLength === 0) throw extractError('no_text', input.name, 'the file is empty');
  const result = await READERS[format.kind](input);
  if (!/\S/.test(result.text)) throw extractError('no_text', input.name, 'it contains no text');
  return { ...result, kind: format.kind, mime: format.mime };
}
