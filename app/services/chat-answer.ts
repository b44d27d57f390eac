// An answer in the app's terms: the turns sent to the engine (from the branch), the engine's
// sampling and answer limit, and the stored reason for its end.
import { DEFAULT_ANSWER_LIMIT, type Message, type Sampling, type StopReason } from '../contract.js';
import type { ChatTurn } from '../engine.js';

/** An answer in progress in a conversation. */
export interface Running {
  /** Aborted to stop the answer: while the prompt is being prepared (documents counted, planned, retrieved) or generated. */
  stop: AbortController;
  done: Promise<void>;
}

/**
 * The engine's sampling and answer limit from the resolved sampling: a limit someone set goes as
 * maxTokens (it also sizes the room kept for the answer); the default limit only stops the answer;
 * 0 is no limit.
 */
export function engineSampling(sampling: Sampling): { sampling: Sampling; answerLimit?: number } {
  const { maxTokens, ...rest } = sampling;
  if (maxTokens === undefined) return { sampling: rest, answerLimit: DEFAULT_ANSWER_LIMIT };
  return { sampling: maxTokens === 0 ? rest : sampling };
}

/** The engine's reason for the end of a finished answer, as stored. */
export function stopReasonOf(engineReason: string): StopReason | null {
  if (engineReason === 'maxTokens') return 'limit';
  if (engineReason === 'contextFull') return 'context-full';
  if (engineReason === 'eogToken' || engineReason === 'stopGenerationTrigger') return 'end';
  return null;
}

/** The rendered prompt of an answer (CoreOptions.debug.onPrompt: tests and diagnostics). */
export interface PromptCapture {
  conversationId: string;
  messageId: string;
  text: string;
  /** Tokens of the whole prompt, and those that had to be evaluated (the rest was reused). */
  promptTokensTotal: number;
  promptTokens: number;
  /** What happened to the saved context state: 'kept' in memory, 'loaded' from disk, ... */
  state: string;
}

/** The branch as chat turns (questions and answers with text), and where each turn is on the branch. */
export function turnsOf(path: readonly Message[]): { turns: ChatTurn[]; pathIndexOfTurn: number[] } {
  const turns: ChatTurn[] = [];
  const pathIndexOfTurn: number[] = [];
  path.forEach((m, i) => {
    if ((m.role === 'user' || m.role === 'assistant') && m.content.length > 0) {
      turns.push({ role: m.role, content: m.content });
      pathIndexOfTurn.push(i);
    }
  });
  return { turns, pathIndexOfTurn };
}
