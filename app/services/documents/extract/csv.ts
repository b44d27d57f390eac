// CSV/TSV: every record becomes one line naming its columns ("name: Ada | born: 1815"), so that a
// passage cut from the middle of the table still says what each value is. Parsing is papaparse's
// (RFC 4180 quoting, line breaks inside quoted fields, a byte order mark, delimiter detection);
// rows are turned into text as they are parsed, so the table itself is never held in memory.
import Papa from 'papaparse';
import { TextBuilder } from './builder.js';
import { decodeText } from './decode.js';
import { extractError } from './errors.js';
import type { ExtractInput, Section } from './types.js';

const DELIMITERS = [',', ';', '\t', '|'];

export function extractCsv(input: ExtractInput): { text: string; sections: Section[] } {
  const source = decodeText(input.name, input.bytes);
  const delimiter = /\.tsv$/i.test(input.name) ? '\t' : undefined;
  const out = new TextBuilder();
  let header: string[] | null = null;
  let r = 0;
  eachRow(source, delimiter, (row) => {
    if (!header) {
      header = row.map((h, i) => h.trim() || `column ${i + 1}`);
      out.append(`Columns: ${header.join(' | ')}\n`);
      return;
    }
    r++;
    const cells: string[] = [];
    for (let i = 0; i < row.length; i++) {
      const v = row[i]!.trim();
      if (v) cells.push(`${header[i] ?? `column ${i + 1}`}: ${v.includes('\n') ? v.replace(/\s*\n\s*/g, ' ') : v}`);
    }
    if (cells.length) out.append(`Row ${r}: ${cells.join(' | ')}\n`);
  });
  if (!header) throw extractError('no_text', input.name, 'the table is empty');
  return out.done();
}

/** Calls `onRow` for every record that is not an empty line; the delimiter is guessed when not given. */
function eachRow(text: string, delimiter: string | undefined, onRow: (row: string[]) => void): void {
  // One line end for the whole file: papaparse takes the first one it meets as the only one.
  const source = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  Papa.parse<string[]>(source, {
    delimiter: delimiter ?? '',
    newline: '\n',
    delimitersToGuess: DELIMITERS,
    skipEmptyLines: true,
    step: (result) => onRow(result.data),
  });
}

/** The records of a CSV text (RFC 4180), empty lines left out. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  eachRow(text, delimiter, (row) => rows.push(row));
  return rows;
}
