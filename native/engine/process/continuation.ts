// The prompt that continues an unfinished answer: the conversation up to the answer's open turn,
// then the answer's text with no <|im_end|>. When the engine wrote that answer itself, the tokens it
// sampled are used as they are (re-tokenizing the text may split it differently), so the sequence's
// evaluated tokens match and only the new tokens are evaluated.
import type { Token } from 'node-llama-cpp';

/** The last answer the engine wrote, with the tokens it holds for it. */
export interface LastAnswer {
  /** What was loaded when it was written (a reload makes it useless). */
  loaded: object;
  /** The prompt up to and including the answer's `<|im_start|>assistant\n`. */
  opening: Token[];
  answerTokens: Token[];
  text: string;
}

export interface Continuation {
  tokens: Token[];
  opening: Token[];
  /** The answer's tokens within `tokens`, or null when they are not known apart from the prompt. */
  answerTokens: Token[] | null;
}

export function continuationTokens(opts: {
  opening: Token[];
  partial: string;
  last: LastAnswer | null;
  /** The whole prompt, tokenized from its text. */
  tokenizeWhole(): Token[];
}): Continuation {
  const { opening, partial, last } = opts;
  if (last && last.text === partial && sameTokens(last.opening, opening)) {
    return { tokens: [...opening, ...last.answerTokens], opening, answerTokens: last.answerTokens };
  }
  const tokens = opts.tokenizeWhole();
  const answerTokens = startsWith(tokens, opening) ? tokens.slice(opening.length) : null;
  return { tokens, opening, answerTokens };
}

function sameTokens(a: readonly Token[], b: readonly Token[]): boolean {
  return a.length === b.length && startsWith(a, b);
}

function startsWith(a: readonly Token[], prefix: readonly Token[]): boolean {
  if (prefix.length > a.length) return false;
  for (let i = 0; i < prefix.length; i++) if (a[i] !== prefix[i]) return false;
  return true;
}
