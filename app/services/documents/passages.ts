// Splits a document into passages of roughly the same number of tokens, approximated by characters
// (Qwen2's tokenizer gives about 4 Latin characters or 1.5 CJK characters per token): ~1,200
// characters of Latin text, ~500 of CJK. Cuts prefer paragraph, then line, sentence and word
// boundaries, and never cross a section, so every passage has one page and one heading.
import { isCjk } from './extract/decode.js';
import type { Section } from './extract/types.js';

export interface PassageSpan {
  seq: number;
  start: number;
  end: number;
  page: number | null;
  heading: string | null;
}

export interface SplitOptions {
  latinChars?: number;
  cjkChars?: number;
}

/** A passage may run this much over the target to avoid leaving a scrap behind it. */
const SLACK = 1.2;
const SENTENCE_END = /[.!?;。！？；؟…]/;
const CLOSERS = /["'’”)\]」』）]/;

export function splitPassages(text: string, sections: readonly Section[], opts: SplitOptions = {}): PassageSpan[] {
  const target = opts.latinChars ?? 1200;
  const cjkWeight = target / (opts.cjkChars ?? 500);
  const passages: PassageSpan[] = [];
  for (const s of coverage(text, sections)) {
    let pos = s.start;
    while (pos < s.end) {
      while (pos < s.end && isSpace(text.charCodeAt(pos))) pos++;
      if (pos >= s.end) break;
      let weight = 0;
      let i = pos;
      let atTarget = -1;
      for (; i < s.end && weight < target * SLACK; i++) {
        const cp = text.charCodeAt(i);
        weight += cp >= 0x3000 && isCjk(cp) ? cjkWeight : 1;
        if (atTarget < 0 && weight >= target) atTarget = i + 1;
      }
      const cut = i >= s.end ? s.end : Math.min(s.end, boundary(text, pos + Math.floor((atTarget - pos) / 2), atTarget));
      let end = cut;
      while (end > pos && isSpace(text.charCodeAt(end - 1))) end--;
      if (end > pos) {
        passages.push({ seq: passages.length, start: pos, end, page: s.page ?? null, heading: s.heading ?? null });
      }
      pos = cut;
    }
  }
  return passages;
}

/** The best place to cut in [min, max]: after a blank line, a line end, a sentence, a space; else max. */
export function boundary(text: string, min: number, max: number): number {
  // Searches stay inside [min, max]: lastIndexOf would scan back to the start of the text each time
  // (quadratic on a file without blank lines, such as a CSV).
  for (let i = max - 2; i >= min; i--) if (text.charCodeAt(i) === 10 && text.charCodeAt(i + 1) === 10) return i + 2;
  for (let i = max - 1; i >= min; i--) if (text.charCodeAt(i) === 10) return i + 1;
  for (let i = max - 1; i >= min; i--) {
    if (!SENTENCE_END.test(text[i]!)) continue;
    let j = i + 1;
    while (j < max && CLOSERS.test(text[j]!)) j++;
    const next = text.charCodeAt(j);
    // "3.14" and "e.g." in the middle of a word are not sentence ends; CJK full stops need no space.
    if (j >= max || isSpace(next) || text.charCodeAt(i) >= 0x3000) return j;
  }
  for (let i = max - 1; i >= min; i--) if (isSpace(text.charCodeAt(i))) return i + 1;
  const hi = text.charCodeAt(max - 1);
  return hi >= 0xd800 && hi <= 0xdbff ? max + 1 : max; // never split a surrogate pair
}

/** The sections in order, with any text between them (or all of it, when there are none) as plain sections. */
function coverage(text: string, sections: readonly Section[]): Section[] {
  const sorted = [...sections].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: Section[] = [];
  let pos = 0;
  for (const s of sorted) {
    const start = Math.max(s.start, pos);
    if (start > pos) out.push({ start: pos, end: start });
    if (s.end > start) out.push({ ...s, start, end: Math.min(s.end, text.length) });
    pos = Math.max(pos, s.end);
  }
  if (pos < text.length) out.push({ start: pos, end: text.length });
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200b);
}
