// HTML to text without a browser: htmlparser2 tokenizes the page as browsers do (raw-text
// <script>/<style>, implied end tags, entities) and builds no DOM, so nothing in the page can run.
// Scripts, styles, templates and embedded objects are dropped; h1-h6 start sections.
import { Parser } from 'htmlparser2';
import { HeadingPath, TextBuilder } from './builder.js';
import { decodeText } from './decode.js';
import type { ExtractInput } from './types.js';

/** Elements whose whole content is skipped (the <head>'s own content is in here: title, style, script). */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'object', 'iframe', 'title', 'select', 'canvas']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'nav', 'aside', 'blockquote', 'pre', 'table',
  'thead', 'tbody', 'tfoot', 'ul', 'ol', 'dl', 'figure', 'figcaption', 'address', 'form', 'fieldset', 'hr',
  'body', 'html', 'details', 'summary', 'caption',
]);
const HEADING = /^h[1-6]$/;
const LINE = new Set(['li', 'tr', 'dt', 'dd', 'option']);
const CELL = new Set(['td', 'th']);

type Result = ReturnType<TextBuilder['done']>;

export function extractHtml(input: ExtractInput): Result {
  const html = decodeText(input.name, input.bytes, sniffCharset(input.bytes));
  return htmlToText(html);
}

export function htmlToText(html: string): Result {
  const out = new TextBuilder();
  const headings = new HeadingPath();
  let pre = 0;
  let skip = 0;
  let lineHasText = false;
  /** Text since the last tag: the parser may hand one run of text over in pieces. */
  let pending: string[] = [];
  /** Inside h1-h6: its level and its text so far. */
  let heading: { level: number; text: string[] } | null = null;

  const flush = () => {
    if (pending.length === 0) return;
    let s = pending.length === 1 ? pending[0]! : pending.join('');
    pending = [];
    if (pre === 0) {
      s = s.replace(/[ \t\n\r\f]+/g, ' ');
      if (!lineHasText && s[0] === ' ') s = s.slice(1);
    }
    if (!s) return;
    out.append(s);
    lineHasText = !s.endsWith('\n');
  };
  const newline = (blank: boolean) => {
    out.breakLine(blank);
    lineHasText = false;
  };
  const tag = (name: string, closing: boolean) => {
    if (SKIP.has(name)) {
      skip = Math.max(0, skip + (closing ? -1 : 1));
      return;
    }
    if (skip > 0) return;
    heading?.text.push(' ');
    if (name === 'br') {
      if (closing) return;
      out.append('\n');
      lineHasText = false;
    } else if (HEADING.test(name)) {
      newline(true);
      if (!closing && !heading) {
        heading = { level: Number(name[1]), text: [] };
        out.section({});
      } else if (closing && heading) {
        out.setHeading(headings.set(heading.level, heading.text.join('').replace(/\s+/g, ' ').trim()));
        heading = null;
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
  };

  const parser = new Parser({
    ontext(text) {
      if (skip > 0) return;
      pending.push(text);
      heading?.text.push(text);
    },
    onopentag(name) {
      flush();
      tag(name, false);
    },
    onclosetag(name) {
      flush();
      tag(name, true);
    },
  });
  parser.end(html);
  flush();
  return out.done(true);
}

/** `<meta charset="gbk">` or `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`. */
function sniffCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 2048)).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
}

/** HTML character references decoded as a browser does (htmlparser2's decoder); the rest left as it is. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  const parts: string[] = [];
  // Only text goes in: `<` is escaped so that nothing in `s` is read as a tag.
  new Parser({ ontext: (t) => parts.push(t) }).end(s.replace(/</g, '&lt;'));
  return parts.join('');
}
