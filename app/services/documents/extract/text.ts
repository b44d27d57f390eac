// Plain text and source code: the decoded text, one section. Markdown: sections from headings.
import { HeadingPath, TextBuilder } from './builder.js';
import { decodeText } from './decode.js';
import type { ExtractInput, Section } from './types.js';

type Result = { text: string; sections: Section[] };

export function extractPlain(input: ExtractInput): Result {
  const out = new TextBuilder();
  out.append(decodeText(input.name, input.bytes));
  return out.done();
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;

export function extractMarkdown(input: ExtractInput): Result {
  return markdownToSections(decodeText(input.name, input.bytes));
}

/** Keeps the Markdown as it is; `#` headings (and underlined ones) outside code blocks start sections. */
export function markdownToSections(markdown: string): Result {
  const out = new TextBuilder();
  const headings = new HeadingPath();
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let fence: string | null = null;
  let previousBlank = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMark = FENCE.exec(line)?.[1];
    if (fence) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length) fence = null;
    } else if (fenceMark) {
      fence = fenceMark;
    } else {
      const atx = ATX.exec(line);
      const next = lines[i + 1];
      if (atx) {
        out.section({ heading: headings.set(atx[1]!.length, atx[2] ?? '') });
      } else if (previousBlank && line.trim() && next !== undefined && SETEXT.test(next) && !/^\s*([-*+>]|\d+[.)])\s/.test(line)) {
        out.section({ heading: headings.set(next.trim()[0] === '=' ? 1 : 2, line) });
      }
    }
    out.append(i < lines.length - 1 ? `${line}\n` : line);
    previousBlank = line.trim() === '';
  }
  return out.done();
}
