// The documents of a long-context run: the haystack's paragraphs (the built-in corpus, or a file
// read through the app's document extraction), sized per length with the model's own tokenizer so
// that the whole rendered prompt stays within the length, then each document with its facts in it,
// rendered as the app renders a conversation with an attached .txt file.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, type NiahLanguage } from '../../contract.js';
import { extractDocument } from '../documents/extract/index.js';
import type { Fact } from './facts.js';
import { haystackText, insertNeedles, paragraphsOf } from './haystack.js';
import { documentPassages, renderFull, type RenderedQuestion } from './render.js';

/** <|im_start|>system\n … <|im_end|>\n, the same around the question, and <|im_start|>assistant\n. */
export const CHAT_OVERHEAD_TOKENS = 13;
/** Kept free per fact: a needle in another place can split the passages differently by a few tokens. */
const SLACK_PER_FACT = 6;
const SIZING_ROUNDS = 24;

export interface Haystack {
  paragraphs: string[];
  /** The first paragraph of every document (the corpus: chosen by the seed; a file: its start). */
  from: number;
  /** The name the document is given (a .txt, as the app would list an attached text file). */
  name: string;
  lang: NiahLanguage;
  source: { kind: 'corpus'; name: string } | { kind: 'file'; path: string; name: string; sha256: string };
}

const corpusFile = (lang: NiahLanguage) => fileURLToPath(new URL(`../../../assets/needle/corpus-${lang}.txt`, import.meta.url));

/** The built-in corpus of `lang`, starting at a paragraph the seed picks. */
export async function corpusHaystack(lang: NiahLanguage, seed: number): Promise<Haystack> {
  const paragraphs = paragraphsOf(await fs.readFile(corpusFile(lang), 'utf8'));
  const name = `corpus-${lang}.txt`;
  return { paragraphs, from: seed % paragraphs.length, name: 'haystack.txt', lang, source: { kind: 'corpus', name } };
}

/** A document of one's own as the haystack: any type the app reads, its text extracted the same way. */
export async function fileHaystack(file: string, lang: NiahLanguage): Promise<Haystack> {
  const absolute = path.resolve(file);
  const name = path.basename(absolute);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(absolute);
  } catch (error) {
    throw new AppError('invalid_request', `The haystack file ${absolute} cannot be read: ${(error as Error).message}`);
  }
  let text: string;
  try {
    text = (await extractDocument({ name, bytes: new Uint8Array(bytes), onProgress: () => {} })).text;
  } catch (error) {
    throw new AppError('invalid_request', `The haystack file ${name} cannot be used: ${(error as Error).message.replace(/^Cannot add "[^"]*": /, '')}`);
  }
  const paragraphs = paragraphsOf(text);
  if (paragraphs.length === 0) throw new AppError('invalid_request', `The haystack file ${name} has no text.`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { paragraphs, from: 0, name: `${name.replace(/\.[^.]*$/, '')}.txt`, lang, source: { kind: 'file', path: absolute, name, sha256 } };
}

export interface PlacedFact {
  fact: Fact;
  depth: number;
}

/** One document: the haystack text with the facts at their depths, split into passages, one rendering per question. */
export async function renderDocument(haystack: Haystack, text: string, facts: readonly PlacedFact[]): Promise<RenderedQuestion[]> {
  const withNeedles = insertNeedles(text, facts.map((f) => ({ needle: f.fact.needle, depth: f.depth })), haystack.lang);
  const passages = await documentPassages(haystack.name, withNeedles);
  return facts.map((f) => renderFull(passages, f.fact.question));
}

export type CountTokens = (texts: readonly string[]) => Promise<number[]>;

/** Tokens of a rendered prompt, ChatML included. */
export async function promptTokens(count: CountTokens, rendered: readonly RenderedQuestion[]): Promise<number[]> {
  const counts = await count(rendered.flatMap((r) => [r.systemPrompt, r.user]));
  return rendered.map((_, i) => counts[2 * i]! + counts[2 * i + 1]! + CHAT_OVERHEAD_TOKENS);
}

export interface SizedHaystack {
  /** The haystack text of this length, the same for every depth and sample. */
  text: string;
  /** Tokens of the longest prompt made from it while sizing. */
  tokens: number;
}

/**
 * The longest start of the haystack (cut at a word; Chinese at a character) whose prompts, with the
 * `sample` facts in place and every question, stay within `length` tokens less a little slack. Token
 * counts grow almost linearly with the characters, so each round aims by interpolation between the
 * longest start that fits and the shortest that does not (halving instead when that stalls).
 */
export async function sizeHaystack(haystack: Haystack, length: number, sample: readonly PlacedFact[], count: CountTokens): Promise<SizedHaystack> {
  const target = length - SLACK_PER_FACT * sample.length;
  let full = haystackText(haystack.paragraphs, Math.ceil(target * (haystack.lang === 'zh' ? 2.5 : 6)) + 200, haystack.from);
  const cut = (n: number) => cutAt(full, n, haystack.lang);
  const measure = async (n: number) => {
    const text = cut(n);
    return { n: text.length, text, tokens: Math.max(...(await promptTokens(count, await renderDocument(haystack, text, sample)))) };
  };
  let lo = await measure(1);
  if (lo.tokens > target) {
    throw new AppError('invalid_request', `A length of ${length} tokens cannot hold a document: the prompt with the least text is already ${lo.tokens} tokens.`);
  }
  let hi = await measure(full.length);
  while (hi.tokens <= target) {
    // Too short still (a corpus denser than assumed): twice as long.
    lo = hi;
    full = haystackText(haystack.paragraphs, full.length * 2, haystack.from);
    hi = await measure(full.length);
  }
  let lastSide: 'lo' | 'hi' | null = null;
  let halve = false;
  for (let round = 0; round < SIZING_ROUNDS && target - lo.tokens > 2; round++) {
    const share = halve ? 0.5 : (target - lo.tokens) / Math.max(1, hi.tokens - lo.tokens);
    let next = cut(Math.round(lo.n + (hi.n - lo.n) * share)).length;
    if (next <= lo.n || next >= hi.n) next = cut(Math.round((lo.n + hi.n) / 2)).length;
    if (next <= lo.n || next >= hi.n) break; // no word boundary left between them
    const m = await measure(next);
    const side = m.tokens <= target ? 'lo' : 'hi';
    if (side === 'lo') lo = m;
    else hi = m;
    // The same side moving twice running: halve next time, so a bad aim cannot creep.
    halve = side === lastSide;
    lastSide = side;
  }
  return { text: lo.text, tokens: lo.tokens };
}

/** The first `n` characters of the text, cut back to the end of a word (Chinese: any character). */
function cutAt(text: string, n: number, lang: NiahLanguage): string {
  if (n >= text.length) return text;
  let end = Math.max(1, n);
  if (lang === 'en') {
    const space = text.slice(0, end + 1).search(/\s\S*$/);
    if (space > 0) end = space;
  } else if (/[\uDC00-\uDFFF]/.test(text[end] ?? '')) end--;
  return text.slice(0, end).trimEnd();
}
