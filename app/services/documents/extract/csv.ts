// CSV/TSV: every record becomes one line naming its columns ("name: Ada | born: 1815"), so that a
// passage cut from the middle of the table still says what each value is.
import { TextBuilder } from './builder.js';
import { decodeText } from './decode.js';
import { extractError } from './errors.js';
import type { ExtractInput, Section } from './types.js';

export function extractCsv(input: ExtractInput): { text: string; sections: Section[] } {
  const source = decodeText(input.name, input.bytes);
  const delimiter = /\.tsv$/i.test(input.name) ? '\t' : sniffDelimiter(source);
  const rows = parseCsv(source, delimiter);
  if (rows.length === 0) throw extractError('no_text', input.name, 'the table is empty');
  const header = rows[0]!.map((h, i) => h.trim() || `column ${i + 1}`);
  const out = new TextBuilder();
  out.append(`Columns: ${header.join(' | ')}\n`);
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r]!
      .map((v, i) => (v.trim() ? `${header[i] ?? `column ${i + 1}`}: ${v.trim().replace(/\s*\n\s*/g, ' ')}` : ''))
      .filter(Boolean);
    if (cells.length) out.append(`Row ${r}: ${cells.join(' | ')}\n`);
  }
  return out.done();
}

function sniffDelimiter(text: string): string {
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : Math.min(text.length, 10_000));
  const counts = [',', ';', '\t', '|'].map((d) => [d, firstLine.split(d).length] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

/** RFC 4180: quoted fields may hold delimiters, line breaks and doubled quotes. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    row.push(field);
    field = '';
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
  }
  if (field !== '' || row.length) endRow();
  return rows;
}
