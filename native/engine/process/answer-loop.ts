// One answer, generated straight on the context sequence: reuse the evaluated prefix, evaluate the
// rest of the prompt, then sample token by token until Qwen2's end-of-turn token, the token budget,
// or a stop.
//
// This replaces node-llama-cpp's LlamaChat.generateResponse, whose per-token bookkeeping (segments,
// function-call detection, stop-trigger search over every queued token) ran on the JS thread between
// two decodes: decode is serial with that work, so it cost ~12 % of the speed of the bare
// `sequence.evaluate` loop on a 0.5B model (bench part 1). Here a token costs a detokenize and a
// string check.
import type { LlamaContextSequence, LlamaModel, SequenceEvaluateOptions, Token } from 'node-llama-cpp';
import type { GenerateSampling } from '../shared/protocol.js';
import { StopTextFilter } from './stop-text.js';

/** LlamaChat's defaults for the repeat penalty, kept: the last 64 answer tokens, newlines spared, 1.1. */
const PENALTY_LAST_TOKENS = 64;
const DEFAULT_PENALTY = 1.1;
/** Qwen2's end of turn, in case the model writes it as plain text rather than as its special token. */
export const STOP_TEXT = '<|im_end|>';
/** Tokens held back at most while their bytes do not form whole UTF-8 characters yet. */
const MAX_HELD_TOKENS = 4;

export type StopReason = 'eogToken' | 'stopGenerationTrigger' | 'maxTokens' | 'abort';

export interface AnswerRequest {
  /** The whole prompt, as tokens. */
  tokens: Token[];
  maxTokens: number;
  sampling: GenerateSampling;
  signal: AbortSignal;
  /** Called once, when the first answer token is sampled, with the prompt tokens that were evaluated. */
  onFirstToken(promptTokensEvaluated: number): void;
  onText(text: string): void;
  /**
   * A prompt longer than one batch: called with 0 before its first batch, after each batch, and
   * with done = total when the first answer token is sampled (counts of the tokens to evaluate).
   */
  onPromptProgress?(done: number, total: number): void;
}

export interface AnswerResult {
  text: string;
  stopReason: StopReason;
  /** Answer tokens sampled (the end-of-turn token not counted). */
  tokens: number;
  /** Prompt tokens evaluated for this answer (the rest was reused from the sequence). */
  promptTokens: number;
  /** The answer's tokens as sampled (the end-of-turn token not included). */
  answerTokens: Token[];
}

export async function generateAnswer(sequence: LlamaContextSequence, model: LlamaModel, req: AnswerRequest): Promise<AnswerResult> {
  // Keep what the sequence already holds of this prompt; at least one token is evaluated, for its logits.
  const { firstDifferentIndex } = sequence.compareContextTokens(req.tokens);
  const keep = Math.min(firstDifferentIndex, req.tokens.length - 1);
  if (sequence.nextTokenIndex > keep) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  const input = req.tokens.slice(keep);
  const promptTokens = input.length;

  const answer: Token[] = [];
  const nl = model.tokens.nl;
  const s = req.sampling;
  const penalty = s.repeatPenalty ?? DEFAULT_PENALTY;
  const options: SequenceEvaluateOptions = {
    temperature: s.temperature,
    topP: s.topP,
    topK: s.topK,
    minP: s.minP,
    seed: s.seed,
    repeatPenalty:
      penalty === 1
        ? undefined
        : { penalty, maxPunishTokens: PENALTY_LAST_TOKENS, punishTokens: () => answer.slice(-PENALTY_LAST_TOKENS).filter((t) => t !== nl) },
  };

  let text = '';
  const stopFilter = new StopTextFilter(STOP_TEXT);
  const emit = (chunk: string) => {
    if (!chunk) return;
    text += chunk;
    req.onText(chunk);
  };
  let held: Token[] = [];
  let stopReason: StopReason = 'eogToken';
  if (req.maxTokens < 1) return { text, stopReason: 'maxTokens', tokens: 0, promptTokens: 0, answerTokens: [] };

  // A long prompt (a document) is evaluated one batch at a time, so a stop ends it within a batch
  // instead of after the whole prompt. What was evaluated stays: the next request reuses it.
  const chunk = Math.max(1, sequence.context.batchSize);
  const progress = input.length > chunk ? req.onPromptProgress : undefined;
  let at = 0;
  progress?.(0, input.length);
  while (input.length - at > chunk) {
    if (req.signal.aborted) return { text, stopReason: 'abort', tokens: 0, promptTokens: at, answerTokens: [] };
    await sequence.evaluateWithoutGeneratingNewTokens(input.slice(at, at + chunk));
    at += chunk;
    progress?.(at, input.length);
  }
  if (req.signal.aborted) return { text, stopReason: 'abort', tokens: 0, promptTokens: at, answerTokens: [] };

  const iterator = sequence.evaluate(input.slice(at), options);
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) break; // the end-of-turn token (not evaluated, not yielded)
      const token = next.value;
      if (answer.length === 0) {
        progress?.(input.length, input.length);
        req.onFirstToken(promptTokens);
      }
      answer.push(token);
      held.push(token);
      const chunk = model.detokenize(held, false, answer.slice(-held.length - 4, -held.length));
      // Bytes of a character split across tokens decode to U+FFFD until the rest arrives.
      if (!chunk.endsWith('\uFFFD') || held.length >= MAX_HELD_TOKENS) {
        held = [];
        const out = stopFilter.push(chunk);
        emit(out.text);
        if (out.stopped) {
          stopReason = 'stopGenerationTrigger';
          break;
        }
      }
      if (req.signal.aborted) {
        stopReason = 'abort';
        break;
      }
      if (answer.length >= req.maxTokens) {
        stopReason = 'maxTokens';
        break;
      }
    }
  } finally {
    await iterator.return();
  }
  if (stopReason !== 'stopGenerationTrigger') {
    if (held.length > 0) emit(stopFilter.push(model.detokenize(held, false)).text);
    emit(stopFilter.flush());
  }
  return { text, stopReason, tokens: answer.length, promptTokens, answerTokens: answer };
}
