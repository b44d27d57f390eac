// Fits a conversation into the context deliberately, instead of node-llama-cpp's silent context
// shift: the system prompt and the newest question always stay; the oldest turns go first, a
// question together with its answers, until the prompt plus room for the answer fit. The caller
// learns how many turns were left out, so the app can say so where it happened.
import type { ChatHistoryItem } from 'node-llama-cpp';
import type { ChatTurn } from './protocol.js';

/** Room kept for the answer when the request sets no maxTokens (at most half the context). */
export const DEFAULT_ANSWER_RESERVE = 1024;
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

export function fitToContext(opts: {
  systemPrompt: string;
  turns: readonly ChatTurn[];
  contextSize: number;
  maxTokens?: number;
  counter: FitCounter;
}): FitResult {
  const { turns, contextSize, counter } = opts;
  const reserve = Math.max(1, Math.min(opts.maxTokens ?? DEFAULT_ANSWER_RESERVE, Math.floor(contextSize / 2)));
  const budget = contextSize - reserve;
  const starts = startCandidates(turns);

  // Estimate from the newest turn backwards (tokenizing only about a context's worth of text): the
  // earliest start whose turns fit.
  const system = counter.countPrompt(historyOf(opts.systemPrompt, []));
  let estimate = system;
  let next = turns.length;
  let chosen = starts.length - 1;
  for (let c = starts.length - 1; c >= 0; c--) {
    for (let i = next - 1; i >= starts[c]!; i--) estimate += counter.countText(turns[i]!.content) + TURN_OVERHEAD;
    next = starts[c]!;
    if (estimate > budget) break;
    chosen = c;
  }

  // Exact: drop one more question (with its answers) while the rendered prompt does not fit.
  for (let c = chosen; ; c++) {
    const history = historyOf(opts.systemPrompt, turns.slice(starts[c]!));
    const promptTokens = counter.countPrompt(history);
    const last = c === starts.length - 1;
    if (promptTokens <= budget || last) {
      // The newest question alone may still leave less than the reserve: answer in what is left.
      if (promptTokens >= contextSize - 1) throw new ContextOverflowError(promptTokens, contextSize);
      const room = contextSize - promptTokens - 1;
      return { droppedTurns: starts[c]!, history, promptTokens, maxAnswerTokens: Math.min(opts.maxTokens ?? room, room) };
    }
  }
}
