// Source numbers in an answer's text (pure, no React): [3], [1, 2], [1][2], [2-4], and the
// full-width 【1】 ［1］ that Chinese answers use, the same forms as main's parseCitations.
import type { Citation } from '../../../../app/contract.js';

const GROUP = /[[【［]\s*(\d{1,4}(?:\s*(?:[,，、;；]|[-–—~]|and)\s*\d{1,4})*)\s*[\]】］]/g;

/** The numbers of one group, in order: "1, 2" -> [1, 2]; "2-4" -> [2, 3, 4]. */
export function numbersOf(group: string): number[] {
  const out: number[] = [];
  for (const part of group.split(/\s*(?:[,，、;；]|and)\s*/)) {
    const range = /^(\d+)\s*[-–—~]\s*(\d+)$/.exec(part);
    const [from, to] = range ? [Number(range[1]), Number(range[2])] : [Number(part), Number(part)];
    if (!Number.isInteger(from) || !Number.isInteger(to) || to < from || to - from > 50) continue;
    for (let n = from; n <= to; n++) out.push(n);
  }
  return out;
}

/**
 * `text` cut into plain strings and the citations it names, in order. A group whose numbers have no
 * citation (the prompt had no such source) stays text; one group can give several citations.
 */
export function citationSegments(text: string, citations: readonly Citation[]): Array<string | Citation> {
  if (citations.length === 0) return [text];
  const byNumber = new Map(citations.map((c) => [c.n, c]));
  const out: Array<string | Citation> = [];
  let last = 0;
  for (const match of text.matchAll(GROUP)) {
    const cited = numbersOf(match[1]!).map((n) => byNumber.get(n)).filter((c): c is Citation => c !== undefined);
    if (cited.length === 0) continue;
    if (match.index > last) out.push(text.slice(last, match.index));
    out.push(...cited);
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
