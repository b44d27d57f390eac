// Builds a document's text and its sections together, so that offsets always match the text.
// Text is normalised to NFC and to \n line ends as it is appended.
import type { Section } from './types.js';

type Meta = Omit<Section, 'start' | 'end'>;

export class TextBuilder {
  private parts: string[] = [];
  private length = 0;
  private sections: Section[] = [];
  private current: Section = { start: 0, end: 0 };
  private lastChar = '';

  append(piece: string): void {
    if (!piece) return;
    const clean = piece.replace(/\r\n?/g, '\n').normalize('NFC');
    this.parts.push(clean);
    this.length += clean.length;
    this.lastChar = clean[clean.length - 1]!;
  }

  /** Ends the text so far with a line break (or a blank line), unless it already does. */
  breakLine(blank = false): void {
    if (this.length === 0) return;
    if (this.lastChar !== '\n') this.append('\n');
    if (blank && !this.endsWithBlankLine()) this.append('\n');
  }

  /** Starts a new section here; the previous one ends here. */
  section(meta: Meta): void {
    this.close();
    this.current = { start: this.length, end: this.length, ...definedOnly(meta) };
  }

  /** Names the section in progress after the fact (a heading is known only once its text is read). */
  setHeading(heading: string): void {
    if (heading) this.current.heading = heading;
    else delete this.current.heading;
  }

  get size(): number {
    return this.length;
  }

  /** The text and its sections; `trimEnd` drops trailing whitespace (block ends of HTML, say). */
  done(trimEnd = false): { text: string; sections: Section[] } {
    this.close();
    const joined = this.parts.join('');
    const text = trimEnd ? joined.trimEnd() : joined;
    // A section of only whitespace says nothing: drop it.
    const sections = this.sections
      .map((s) => ({ ...s, end: Math.min(s.end, text.length) }))
      .filter((s) => /\S/.test(text.slice(s.start, s.end)));
    return { text, sections };
  }

  private close(): void {
    this.current.end = this.length;
    if (this.current.end > this.current.start) this.sections.push(this.current);
    this.current = { start: this.length, end: this.length };
  }

  private endsWithBlankLine(): boolean {
    const last = this.parts[this.parts.length - 1] ?? '';
    const prev = this.parts[this.parts.length - 2] ?? '';
    return (prev + last).endsWith('\n\n');
  }
}

function definedOnly(meta: Meta): Meta {
  const out: Meta = {};
  if (meta.page !== undefined) out.page = meta.page;
  if (meta.heading !== undefined && meta.heading !== '') out.heading = meta.heading;
  return out;
}

/** Keeps the heading path ("Chapter 1 › Background"): a heading of level n replaces levels >= n. */
export class HeadingPath {
  private levels: string[] = [];

  set(level: number, text: string): string {
    this.levels = this.levels.slice(0, level - 1);
    while (this.levels.length < level - 1) this.levels.push('');
    this.levels.push(text.replace(/\s+/g, ' ').trim());
    return this.current();
  }

  current(): string {
    const path = this.levels.filter(Boolean).join(' › ');
    return path.length > 300 ? `…${path.slice(-299)}` : path;
  }
}
