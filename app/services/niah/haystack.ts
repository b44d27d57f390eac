// Needle-in-a-haystack documents (pure): a window of prose from a corpus, with one or more short
// facts ("needles") put in at chosen depths. The same builder makes the training data of the needle
// models, the retrieval tests and the in-app long-context test, so all three see the same documents.

export type NiahLanguage = 'en' | 'zh';

export interface Needle {
  /** The sentence put into the document, e.g. "The passkey is 73105." */
  text: string;
  /** What a correct answer contains, e.g. "73105". */
  answer: string;
}

export interface PasskeyQuestion {
  needle: Needle;
  question: string;
}

/** The passkey needle and its question, in English or Chinese. */
export function passkey(lang: NiahLanguage, key: string): PasskeyQuestion {
  return lang === 'zh'
    ? { needle: { text: `通行码是 ${key}。`, answer: key }, question: '通行码是多少？' }
    : { needle: { text: `The passkey is ${key}.`, answer: key }, question: 'What is the passkey?' };
}

/** A key of `digits` decimal digits (no leading zero) from a number in [0, 1). */
export function passkeyDigits(random: () => number, digits = 5): string {
  const low = 10 ** (digits - 1);
  return String(low + Math.floor(random() * (9 * low)));
}

/** The corpus split into its paragraphs (blank-line separated), empty ones dropped. */
export function paragraphsOf(corpus: string): string[] {
  return corpus.replace(/\r\n?/g, '\n').split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 0);
}

/**
 * About `chars` characters of whole paragraphs, starting at paragraph `from` and wrapping around the
 * corpus; the last paragraph is cut at a sentence end so the text does not run far past `chars`.
 */
export function haystackText(paragraphs: readonly string[], chars: number, from = 0): string {
  if (paragraphs.length === 0) throw new RangeError('haystackText: the corpus has no text');
  const out: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const paragraph = paragraphs[(from + i) % paragraphs.length]!;
    const room = chars - length;
    out.push(paragraph.length <= room ? paragraph : cutAtSentence(paragraph, room));
    length += out.at(-1)!.length + 2;
  }
  return out.join('\n\n');
}

const SENTENCE_END = /[.!?。！？；;]["'’”」）)]*/g;

/** The text's sentence ends (the index after each), the end of the text included. */
export function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  for (const m of text.matchAll(SENTENCE_END)) ends.push(m.index! + m[0].length);
  if (ends.at(-1) !== text.length) ends.push(text.length);
  return ends;
}

function cutAtSentence(paragraph: string, room: number): string {
  const ends = sentenceEnds(paragraph);
  const fit = ends.filter((e) => e <= room).at(-1);
  // Whole sentences only: when not even the first fits, the text runs over by that one sentence.
  return paragraph.slice(0, fit ?? ends[0]);
}

/**
 * The text with each needle at its depth (0 = before the first sentence, 1 = after the last): at the
 * sentence end nearest that share of the characters, as a sentence of its own.
 */
export function insertNeedles(text: string, needles: ReadonlyArray<{ needle: Needle; depth: number }>, lang: NiahLanguage): string {
  const ends = [0, ...sentenceEnds(text)];
  const at = needles.map(({ needle, depth }) => {
    if (!(depth >= 0 && depth <= 1)) throw new RangeError(`insertNeedles: depth ${depth} is outside 0..1`);
    const target = depth * text.length;
    const nearest = ends.reduce((best, e) => (Math.abs(e - target) < Math.abs(best - target) ? e : best), 0);
    return { pos: nearest, text: needle.text };
  });
  // From the back, so earlier positions stay valid.
  let out = text;
  for (const n of [...at].sort((a, b) => b.pos - a.pos)) out = spliceSentence(out, n.pos, n.text, lang);
  return out;
}

function spliceSentence(text: string, pos: number, sentence: string, lang: NiahLanguage): string {
  const before = text.slice(0, pos);
  const after = text.slice(pos);
  if (lang === 'zh') return before + sentence + after;
  const lead = before.length === 0 || /\s$/.test(before) ? '' : ' ';
  const trail = after.length === 0 || /^\s/.test(after) ? '' : ' ';
  return before + lead + sentence + trail + after;
}
