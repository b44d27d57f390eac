// HTML to text without a browser: a tokenizer, never a DOM, so nothing in the page can run.
// Scripts, styles, templates and embedded objects are dropped; h1-h6 start sections.
import { HeadingPath, TextBuilder } from './builder.js';
import { decodeText } from './decode.js';
import type { ExtractInput } from './types.js';

const TAG =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
/** Elements whose whole content is skipped. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'object', 'iframe', 'head', 'select', 'canvas']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'nav', 'aside', 'blockquote', 'pre', 'table',
  'thead', 'tbody', 'tfoot', 'ul', 'ol', 'dl', 'figure', 'figcaption', 'address', 'form', 'fieldset', 'hr',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'body', 'html', 'details', 'summary', 'caption',
]);
const LINE = new Set(['li', 'tr', 'dt', 'dd', 'option']);
const CELL = new Set(['td', 'th']);

export function extractHtml(input: ExtractInput): { text: string; sections: ReturnType<TextBuilder['done']>['sections'] } {
  const html = decodeText(input.name, input.bytes, sniffCharset(input.bytes));
  return htmlToText(html);
}

export function htmlToText(html: string): ReturnType<TextBuilder['done']> {
  const out = new TextBuilder();
  const headings = new HeadingPath();
  let pre = 0;
  let last = 0;
  let lineHasText = false;

  const inline = (raw: string) => {
    let s = decodeEntities(raw);
    if (pre === 0) {
      s = s.replace(/[ \t\n\r\f]+/g, ' ');
      if (!lineHasText) s = s.replace(/^ /, '');
    }
    if (!s) return;
    out.append(s);
    lineHasText = !s.endsWith('\n');
  };
  const newline = (blank: boolean) => {
    out.breakLine(blank);
    lineHasText = false;
  };

  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    inline(html.slice(last, m.index));
    last = TAG.lastIndex;
    const name = m[2]?.toLowerCase();
    if (!name) continue; // comment, doctype, CDATA, processing instruction
    const closing = m[1] === '/';
    const selfClosing = /\/\s*$/.test(m[3] ?? '');
    if (!closing && SKIP.has(name) && !selfClosing) {
      const close = findClose(html, name, last);
      if (close) {
        last = TAG.lastIndex = close.end;
        continue;
      }
      if (name !== 'head') {
        last = TAG.lastIndex = html.length; // unclosed <script>: the rest is script
        continue;
      }
    }
    if (name === 'br') {
      out.append('\n');
      lineHasText = false;
    } else if (/^h[1-6]$/.test(name)) {
      newline(true);
      if (!closing) {
        const inner = html.slice(last, findClose(html, name, last)?.start ?? html.length);
        const text = decodeEntities(inner.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
        out.section({ heading: headings.set(Number(name[1]), text) });
      }
    } else if (BLOCK.has(name)) {
      if (name === 'pre') pre = Math.max(0, pre + (closing ? -1 : 1));
      newline(true);
    } else if (LINE.has(name)) {
      newline(false);
      if (!closing && name === 'li') {
        out.append('- ');
        lineHasText = true;
      }
    } else if (CELL.has(name) && !closing && lineHasText) {
      out.append(' | ');
    }
  }
  inline(html.slice(last));
  return out.done(true);
}

/** Where `</name>` is, at or after `from`; null when it is never closed. */
function findClose(html: string, name: string, from: number): { start: number; end: number } | null {
  const re = new RegExp(`</${name}\\s*>`, 'ig');
  re.lastIndex = from;
  const m = re.exec(html);
  return m ? { start: m.index, end: re.lastIndex } : null;
}

/** `<meta charset="gbk">` or `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`. */
function sniffCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 2048)).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
}

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ensp: '\u2002', emsp: '\u2003',
  thinsp: '\u2009', shy: '', ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“',
  rdquo: '”', laquo: '«', raquo: '»', bull: '•', middot: '·', copy: '©', reg: '®', trade: '™',
  deg: '°', euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§', para: '¶', times: '×', divide: '÷',
  minus: '−', plusmn: '±', le: '≤', ge: '≥', ne: '≠', larr: '←', rarr: '→', uarr: '↑', darr: '↓',
  zwj: '\u200d', zwnj: '\u200c', lrm: '\u200e', rlm: '\u200f',
};

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g, (whole, body: string) => {
    if (body[0] === '#') {
      const cp = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '\uFFFD';
    }
    return NAMED[body] ?? NAMED[body.toLowerCase()] ?? whole;
  });
}
