// Builds the full-text query from a question. The index is FTS5's trigram tokenizer (substring
// matching, which works without word segmentation for Chinese and Japanese), so:
// - words of 3+ characters, and CJK character trigrams, become quoted FTS5 phrases (safe: a quoted
//   phrase is literal, whatever it holds);
// - 2-character terms (a 2-character Chinese word such as 长城, "AI") cannot be found by a trigram
//   index: they are returned as `short` terms, searched by substring and scored separately;
// - English stop words and CJK function characters are dropped; English words lose common
//   suffixes, so that substring matching finds the other forms ("walking" finds "walked").

export interface QueryTerms {
  /** Terms for the trigram index (3+ characters). */
  fts: string[];
  /** Terms of 2 characters, lower-case: CJK bigrams and short words. */
  short: string[];
}

const MAX_TERMS = 48;
/** Short terms are found by scanning the text: keep their number (and so the scan) bounded. */
const MAX_SHORT_TERMS = 16;
const CJK_CLASS = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}ー々〆';
const TOKEN = new RegExp(`[${CJK_CLASS}]+|[[\\p{L}\\p{N}\\p{M}]--[${CJK_CLASS}]]+(?:['’._\\-][[\\p{L}\\p{N}\\p{M}]--[${CJK_CLASS}]]+)*`, 'gv');
const IS_CJK = new RegExp(`^[${CJK_CLASS}]`, 'v');
const HIRAGANA_ONLY = /^\p{sc=Hiragana}+$/u;

/** Chinese function characters and Japanese particles: a CJK n-gram holding one says little. */
const CJK_STOP = new Set([...'的了吗呢吧啊么哪谁是在和与及或也都就这那什怎请我你他她它们のはがをにでともかへやねよ']);
const CJK_STOP_BIGRAMS = new Set(['多少', '如何', '为何', '可以', '能否', '是否', '请问', '告诉', '一下', '哪些', '几个', '还有']);

export const ENGLISH_STOP_WORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by
  can could did do does doing done down during each either else ever few for from further get gets got had has have having he her
  here hers herself him himself his how however i if in into is it its itself just let me might more most much must my myself
  no nor not now of off on once only or other ought our ours ourselves out over own please same say says shall she should show
  so some such tell than that the their theirs them themselves then there these they this those through to too under until up
  upon us very was we were what when where which while who whom whose why will with within without would yes yet you your yours
  yourself yourselves document documents text file page according explain describe give list find
  ما هي هو في من على إلى عن مع هل كيف متى أين لماذا ذلك هذا هذه التي الذي`
    .split(/\s+/)
    .filter(Boolean),
);

export function queryTerms(question: string): QueryTerms {
  const fts = new Set<string>();
  const short = new Set<string>();
  const normal = question.normalize('NFKC').toLowerCase();
  for (const [token] of normal.matchAll(TOKEN)) {
    if (IS_CJK.test(token)) addCjk(token, fts, short);
    else addWord(token, fts, short);
  }
  return { fts: [...fts].slice(0, MAX_TERMS), short: [...short].slice(0, MAX_SHORT_TERMS) };
}

/** `"a" OR "b"` for FTS5 MATCH, or null when there is nothing to search for. */
export function ftsMatch(terms: readonly string[]): string | null {
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ');
}

function addWord(word: string, fts: Set<string>, short: Set<string>): void {
  if (ENGLISH_STOP_WORDS.has(word)) return;
  const length = [...word].length;
  if (length >= 3) fts.add(/^[a-z]+$/.test(word) ? stem(word) : word);
  else if (length === 2 && !/^\d$/.test(word)) short.add(word);
}

function addCjk(run: string, fts: Set<string>, short: Set<string>): void {
  const chars = [...run];
  const useful = (gram: string[]) => !gram.some((c) => CJK_STOP.has(c)) && !HIRAGANA_ONLY.test(gram.join(''));
  for (let i = 0; i + 2 <= chars.length; i++) {
    const bigram = chars.slice(i, i + 2);
    if (useful(bigram) && !CJK_STOP_BIGRAMS.has(bigram.join(''))) short.add(bigram.join(''));
  }
  for (let i = 0; i + 3 <= chars.length; i++) {
    const trigram = chars.slice(i, i + 3);
    if (useful(trigram)) fts.add(trigram.join(''));
  }
}

/** A light English stemmer for substring search: the stem must keep at least 4 letters. */
export function stem(word: string): string {
  const rules: Array<[RegExp, string]> = [
    [/ies$/, 'y'],
    [/(ss)$/, '$1'],
    [/(?<=[^aeiou])ing$/, ''],
    [/(?<=[^e])ed$/, ''],
    [/(?<=[sxz]|ch|sh)es$/, ''],
    [/s$/, ''],
  ];
  for (const [re, to] of rules) {
    if (!re.test(word)) continue;
    const stemmed = word.replace(re, to);
    return stemmed.length >= 4 ? (to === 'y' ? stemmed.slice(0, -1) : stemmed) : word;
  }
  return word;
}
