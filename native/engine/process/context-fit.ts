// Fits a conversation into the context deliberately, instead of node-llama-cpp's silent context
// shift: the system prompt and the newest question always stay; the oldest turns go first, a
// question together with its answers, until the prompt plus room for the answer fit. The caller
// learns how many turns were left out, so the app can say so where it happened.
import type { ChatHistoryItem } from 'node-llama-cpp';
import { DEFAULT_ANSWER_RESERVE } from '../shared/defaults.js';
import type { ChatTurn } from '../shared/protocol.js';

/** <|im_start|>role\n … <|im_end|>\n around each turn, for the estimate only (the final count is exact). */
const TURN_OVERHEAD = 5;

export interface FitCounter {
  /** Exact: the whole prompt as the chat template renders it. */
  countPrompt(history: ChatHistoryItem[]): number;
  /** The tokens of one turn's text (for the estimate). */
  countText(text: string): number;
}

export interface FitResult {
  /** The turns of the request that were left out (the first `droppedTurns`). */
  droppedTurns: number;
  history: ChatHistoryItem[];
  /** Tokens of the prompt that is sent (all of it, not only what must be evaluated). */
  promptTokens: number;
  /** The most tokens the answer may have without overflowing the context. */
  maxAnswerTokens: number;
}

export class ContextOverflowError extends Error {
  constructor(promptTokens: number, contextSize: number) {
    super(
      `The message is too long for the context: with the system prompt it takes ${promptTokens} tokens and the context holds ` +
        `${contextSize}. Shorten it, or give the model a larger context in its settings.`,
    );
    this.name = 'ContextOverflowError';
  }
}

export function historyOf(systemPrompt: string, turns: readonly ChatTurn[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [{ type: 'system', text: systemPrompt }];
  for (const turn of turns) {
    history.push(turn.role === 'user' ? { type: 'user', text: turn.content } : { type: 'model', response: [turn.content] });
  }
  history.push({ type: 'model', response: [] });
  return history;
}

/** Where the history may start: at 0 or at a question, never after the newest question. */
export function startCandidates(turns: readonly ChatTurn[]): number[] {
  let lastUser = -1;
  turns.forEach((t, i) => {
    if (t.role === 'user') lastUser = i;
  });
  const starts = [0];
  for (let i = 1; i <= lastUser; i++) if (turns[i]!.role === 'user') starts.push(i);
  return starts;
}

/**
 * Share of the room for turns that a conversation keeps when it overflows again. Dropping only
 * the oldest question each time would change the prompt's start at every message, so nothing of
 * the evaluated context could be reused (a full prompt evaluation per message); dropping down to
 * half keeps the same start, and its evaluated prefix, for many messages.
 */
export const REFILL_SHARE = 0.5;

export function fitToContext(opts: {
  systemPrompt: string;
  turns: readonly ChatTurn[];
  contextSize: number;
  maxTokens?: number;
  counter: FitCounter;
  /** The start (dropped turns) of this conversation's previous answer: kept while it still fits. */
  keepFrom?: number;
}): FitResult {
  const { turns, contextSize, counter } = opts;
  const reserve = Math.max(1, Math.min(opts.maxTokens ?? DEFAULT_ANSWER_RESERVE, Math.floor(contextSize / 2)));
  const budget = contextSize - reserve;
  const starts = startCandidates(turns);
  const fitted = (start: number, history: ChatHistoryItem[], promptTokens: number): FitResult => {
    // The newest question alone may still leave less than the reserve: answer in what is left.
    if (promptTokens >= contextSize - 1) throw new ContextOverflowError(promptTokens, contextSize);
    const room = contextSize - promptTokens - 1;
    return { droppedTurns: start, history, promptTokens, maxAnswerTokens: Math.min(opts.maxTokens ?? room, room) };
  };

  if (opts.keepFrom !== undefined && starts.includes(opts.keepFrom)) {
    const history = historyOf(opts.systemPrompt, turns.slice(opts.keepFrom));
    const promptTokens = counter.countPrompt(history);
    if (promptTokens <= budget) return fitted(opts.keepFrom, history, promptTokens);
  }

  // Estimate from the newest turn backwards (tokenizing only about a context's worth of text): the
  // earliest start whose turns fit the target (the whole budget, or part of it when refilling).
  const system = counter.countPrompt(historyOf(opts.systemPrompt, []));
  const target = opts.keepFrom !== undefined ? system + Math.floor((budget - system) * REFILL_SHARE) : budget;
  let estimate = system;
  let next = turns.length;
  let chosen = starts.length - 1;
  for (let c = starts.length - 1; c >= 0; c--) {
    for (let i = next - 1; i >= starts[c]!; i--) estimate += counter.countText(turns[i]!.content) + TURN_OVERHEAD;
    next = starts[c]!;
    if (estimate > target) break;
    chosen = c;
  }

  // Exact: drop one more question (with its answers) while the rendered prompt does not fit.
  for (let c = chosen; ; c++) {
    const history = historyOf(opts.systemPrompt, turns.slice(starts[c]!));
    const promptTokens = counter.countPrompt(history);
    if (promptTokens <= budget || c === starts.length - 1) return fitted(starts[c]!, history, promptTokens);
  }
}
