// Retrieval: ranks the conversation's passages for a question with BM25 and fills a token budget.
// Terms of 3+ characters are ranked by FTS5's bm25() over the trigram index; 2-character terms
// (short CJK words) are found by substring and scored with the same BM25 formula here; the two
// scores add up. When nothing matches, the beginnings of the documents are used instead.
import type { Documents, PassageRecord } from '../../store/index.js';
import { ftsMatch, queryTerms } from './fts-query.js';

/** Token counts of many texts in one call (one engine round trip for all the candidates). */
export type CountTokens = (texts: readonly string[]) => readonly number[] | Promise<readonly number[]>;

export interface RetrieveOptions {
  conversationId: string;
  question: string;
  /** Tokens the passages may use in the prompt, their headers included. */
  budgetTokens: number;
  countTokens: CountTokens;
  /** Tokens each passage's header ("[3] report.pdf, page 2 — Results") costs; default 24. */
  headerTokens?: number;
  /** How many ranked passages to consider; default 200. */
  maxCandidates?: number;
}

export interface RetrievedPassage extends PassageRecord {
  /** Higher is better; 0 for passages taken without a match (fallback). */
  score: number;
  tokens: number;
}

export interface Retrieval {
  /** Best first. */
  passages: RetrievedPassage[];
  usedTokens: number;
  /** The FTS5 query run (null when the question had no terms for it) and the substring terms. */
  query: string | null;
  shortTerms: string[];
  /** True when nothing matched and the passages are the documents' beginnings. */
  fallback: boolean;
}

const K1 = 1.2;
const B = 0.75;
const SHORT_SCAN_LIMIT = 20_000;
const FALLBACK_PER_DOCUMENT = 64;

export async function retrieve(documents: Documents, opts: RetrieveOptions): Promise<Retrieval> {
  const terms = queryTerms(opts.question);
  const query = ftsMatch(terms.fts);
  const limit = opts.maxCandidates ?? 200;
  const scores = new Map<number, number>();
  if (query) {
    for (const hit of documents.search(opts.conversationId, query, limit)) scores.set(hit.id, -hit.rank);
  }
  if (terms.short.length) {
    for (const [id, score] of shortTermScores(documents, opts.conversationId, terms.short)) {
      scores.set(id, (scores.get(id) ?? 0) + score);
    }
  }
  const ranked = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit);
  const candidates: Array<PassageRecord & { score: number }> = [];
  for (const [id, score] of ranked) {
    const p = documents.passage(id);
    if (p) candidates.push({ ...p, score });
  }
  const fallback = candidates.length === 0;
  if (fallback) {
    for (const p of documents.leading(opts.conversationId, FALLBACK_PER_DOCUMENT)) candidates.push({ ...p, score: 0 });
  }
  const { passages, usedTokens } = await fillBudget(candidates, opts);
  return { passages, usedTokens, query, shortTerms: terms.short, fallback };
}

/**
 * Takes passages in order while they fit; one that does not fit is skipped, not the rest. Every
 * candidate is counted in one call, none when not even one passage could fit.
 */
export async function fillBudget<P extends { text: string }>(
  candidates: readonly P[],
  opts: Pick<RetrieveOptions, 'budgetTokens' | 'countTokens' | 'headerTokens'>,
): Promise<{ passages: Array<P & { tokens: number }>; usedTokens: number }> {
  const header = opts.headerTokens ?? 24;
  const passages: Array<P & { tokens: number }> = [];
  if (candidates.length === 0 || opts.budgetTokens < header + 1) return { passages, usedTokens: 0 };
  const counts = await opts.countTokens(candidates.map((p) => p.text));
  let used = 0;
  for (const [i, p] of candidates.entries()) {
    if (opts.budgetTokens - used < header + 1) break;
    const tokens = (counts[i] ?? 0) + header;
    if (used + tokens > opts.budgetTokens) continue;
    passages.push({ ...p, tokens });
    used += tokens;
  }
  return { passages, usedTokens: used };
}

/** BM25 for terms the trigram index cannot hold, over the conversation's passages. */
function shortTermScores(documents: Documents, conversationId: string, terms: readonly string[]): Map<number, number> {
  const { count, avgChars } = documents.stats(conversationId);
  const rows = documents.containing(conversationId, terms, SHORT_SCAN_LIMIT);
  const matchers = terms.map(matcherFor);
  const tf = rows.map((r) => matchers.map((m) => m(r.text)));
  const out = new Map<number, number>();
  terms.forEach((_, t) => {
    const df = tf.filter((counts) => counts[t]! > 0).length;
    if (df === 0) return;
    const idf = Math.log(1 + (count - df + 0.5) / (df + 0.5));
    rows.forEach((row, r) => {
      const f = tf[r]![t]!;
      if (f === 0) return;
      const norm = 1 - B + (B * row.text.length) / Math.max(1, avgChars);
      out.set(row.id, (out.get(row.id) ?? 0) + (idf * f * (K1 + 1)) / (f + K1 * norm));
    });
  });
  return out;
}

/** Counts a term: CJK as a plain substring, other scripts as a whole word, ignoring case. */
function matcherFor(term: string): (text: string) => number {
  if (/^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u.test(term)) {
    return (text) => {
      let n = 0;
      for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + term.length)) n++;
      return n;
    };
  }
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu');
  return (text) => text.match(re)?.length ?? 0;
}
