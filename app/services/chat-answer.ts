// The two ends of an answer: the turns sent to the engine (from the branch), and what is stored
// when it ends (final text, status, honest numbers, or why it failed).
import { DEFAULT_ANSWER_LIMIT, type KvCacheType, type LibraryModel, type Message, type MessageStats, type Sampling, type StopReason } from '../contract.js';
import type { AnswerWriter, Store } from '../store/index.js';
import type { AnswerSettings } from './chat-settings.js';
import type { ChatTurn, GenerateOutcome } from '../engine.js';
import { isStorageFull } from './disk.js';

/** An answer in progress in a conversation. */
export interface Running {
  /** Aborted to stop the answer: while the prompt is being prepared (documents counted, planned, retrieved) or generated. */
  stop: AbortController;
  done: Promise<void>;
}

/** What one answer is written with. */
export interface AnswerJob {
  conversationId: string;
  model: LibraryModel;
  load: { contextSize: number; kvType: KvCacheType; flashAttention: boolean };
  loadKey: string;
  settings: AnswerSettings;
  userId: string;
  assistantId: string;
  writer: AnswerWriter;
  running: Running;
  /** Continuing this finished answer: its stats so far (the new numbers are added to them). */
  continues?: { stats: MessageStats | null };
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

/** Stores how the answer ended and hands the stored message to `finished`. */
export function finishAnswer(
  store: Store, writer: AnswerWriter, messageId: string, result: GenerateOutcome, finished: (m: Message) => void, continues?: AnswerJob['continues'],
): void {
  let message: Message;
  try {
    if (result.kind === 'done') {
      const status = result.stopReason === 'abort' ? 'stopped' : 'done';
      const s = result.stats;
      // contextSize 0: stopped before the engine had the request, so nothing was measured there.
      const measured = s.contextSize > 0;
      const before = continues?.stats;
      message = writer.finish(status, {
        // A continued answer: its tokens in all; the time to its first token is the original's.
        tokens: s.tokens + (before?.tokens ?? 0),
        tokensPerSecond: s.tokens > 1 || !before ? s.tokensPerSecond : before.tokensPerSecond,
        timeToFirstTokenMs: before ? before.timeToFirstTokenMs : s.timeToFirstTokenMs,
        promptTokens: measured ? s.promptTokens : (before?.promptTokens ?? null),
        contextTokens: measured ? s.contextTokens : (before?.contextTokens ?? null),
        contextSize: measured ? s.contextSize : (before?.contextSize ?? null),
      });
      const reason = status === 'done' ? stopReasonOf(result.stopReason) : null;
      // Stored after the finish, so a failure here never keeps the answer from being finished.
      try {
        if (reason) message = store.messages.setStopReason(messageId, reason);
      } catch {
        // the answer is stored; only why it ended is not
      }
    } else if (result.kind === 'crashed') {
      const why = `${result.message} The partial answer is kept; the next message starts a fresh engine.`;
      message = writer.finish('interrupted', null, why);
    } else {
      message = writer.finish('error', null, result.message);
    }
  } catch (error) {
    // The store itself failed (disk full, say): tell the renderer at once, keep the app running. The
    // writer keeps trying to store the answer; when it manages, the stored message is announced again.
    const stored = store.messages.get(messageId);
    if (!stored) return;
    const why = isStorageFull(error) ? ANSWER_NOT_SAVED_DISK_FULL : `The answer could not be saved: ${(error as Error).message}`;
    message = { ...stored, content: writer.text, status: isStorageFull(error) ? 'interrupted' : 'error', error: why };
  }
  finished(message);
}

export const ANSWER_NOT_SAVED_DISK_FULL =
  'The disk is full: the answer could not be saved completely. It is saved as soon as there is room again, while the app runs.';
