// Bytes to text for every text format: byte order marks, a declared charset (HTML), UTF-8, and
// the legacy CJK encodings many older files still use. Binary files are refused, not garbled.
import { extractError } from './errors.js';

/** Below this share of invalid UTF-8 the few bad bytes become U+FFFD and the text is kept. */
const TOLERATED_INVALID = 0.001;
/** Above these shares (of invalid UTF-8, of control bytes) a file is binary, not text in another encoding. */
const BINARY_INVALID = 0.3;
const BINARY_CONTROLS = 0.05;
const LEGACY = ['gb18030', 'big5', 'shift_jis', 'euc-kr'];

export function decodeText(name: string, bytes: Uint8Array, declaredCharset?: string): string {
  const bom = fromBom(name, bytes);
  if (bom !== null) return bom;
  const nul = indexOfNul(bytes);
  if (nul >= 0) {
    throw extractError('binary', name, `it looks like a binary file, not text (it contains a NUL byte at offset ${nul})`);
  }
  if (declaredCharset && !/^utf-?8$/i.test(declaredCharset)) {
    const declared = tryDecode(declaredCharset, bytes);
    if (declared !== null) return declared;
  }
  const utf8 = tryDecode('utf-8', bytes);
  if (utf8 !== null) return utf8;

  const lenient = new TextDecoder('utf-8').decode(bytes);
  const invalid = count(lenient, '\uFFFD') / Math.max(1, lenient.length);
  if (invalid <= TOLERATED_INVALID) return lenient;
  for (const label of LEGACY) {
    const text = tryDecode(label, bytes);
    if (text !== null && looksLikeCjk(text)) return text;
  }
  const percent = invalid < 0.01 ? '<1' : String(Math.round(invalid * 100));
  if (invalid >= BINARY_INVALID || controlShare(bytes) >= BINARY_CONTROLS) {
    throw extractError('binary', name, `it looks like a binary file, not text (${percent}% of it is not valid UTF-8)`);
  }
  throw extractError('encoding', name, `it is not UTF-8 text (${percent}% of it is not valid UTF-8); save it as UTF-8 and attach it again`);
}

/** Text after a byte order mark, in the encoding it names; what follows the mark must be text too. */
function fromBom(name: string, bytes: Uint8Array): string | null {
  const [a, b, c] = bytes;
  let label: string;
  let skip: number;
  if (a === 0xef && b === 0xbb && c === 0xbf) [label, skip] = ['utf-8', 3];
  else if (a === 0xff && b === 0xfe) [label, skip] = ['utf-16le', 2];
  else if (a === 0xfe && b === 0xff) [label, skip] = ['utf-16be', 2];
  else return null;
  const text = new TextDecoder(label).decode(bytes.subarray(skip));
  // A mark is two or three bytes any binary file can start with: judge the text it introduces.
  const invalid = count(text, '\uFFFD') / Math.max(1, text.length);
  const noise = noiseShare(text);
  if (invalid > TOLERATED_INVALID || noise > TOLERATED_NOISE) {
    const percent = Math.max(1, Math.round(100 * Math.max(invalid, noise)));
    throw extractError('binary', name, `it starts with a ${label.toUpperCase()} byte order mark but is not text (${percent}% of it is not valid ${label.toUpperCase()} text)`);
  }
  return text;
}

/** Above this share of control, private-use, unpaired-surrogate or unassigned characters, decoded "text" is noise. */
const TOLERATED_NOISE = 0.01;
const NOISE = /[\p{Cc}\p{Co}\p{Cs}\p{Cn}]/gu;
const WHITESPACE_CONTROLS = /[\t\n\f\r\x1b]/g;

/** The share of characters no text uses; checked on the first 64K characters (enough to tell). */
function noiseShare(text: string): number {
  const head = text.slice(0, 65536);
  const all = head.match(NOISE)?.length ?? 0;
  const allowed = head.match(WHITESPACE_CONTROLS)?.length ?? 0;
  return (all - allowed) / Math.max(1, head.length);
}

function tryDecode(label: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return null; // not this encoding, or a label this runtime does not know
  }
}

function indexOfNul(bytes: Uint8Array): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(0);
}

/** Bytes below 0x20 other than tab, line feed, form feed, carriage return and escape, in the first 64 KB. */
function controlShare(bytes: Uint8Array): number {
  const n = Math.min(bytes.length, 65536);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 12 && b !== 13 && b !== 27) controls++;
  }
  return controls / Math.max(1, n);
}

function count(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** Most non-ASCII characters are CJK (ideographs, kana, hangul, CJK punctuation): a real CJK text. */
function looksLikeCjk(text: string): boolean {
  let nonAscii = 0;
  let cjk = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      if (cp < 0x20 && ch !== '\n' && ch !== '\r' && ch !== '\t') return false;
      continue;
    }
    nonAscii++;
    if (isCjk(cp)) cjk++;
  }
  return nonAscii > 0 && cjk / nonAscii >= 0.6;
}

export function isCjk(cp: number): boolean {
  return (
    (cp >= 0x3000 && cp <= 0x30ff) || // CJK punctuation, hiragana, katakana
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xac00 && cp <= 0xd7af) || // hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xff00 && cp <= 0xffef) || // full-width forms
    (cp >= 0x20000 && cp <= 0x2ffff)
  );
}
