// Answers: asking, regenerating, editing a question, continuing and stopping an answer, and the
// events an answer streams.
import { z } from 'zod';
import { Id, ModelPath, Sampling } from './common.js';
import type { BranchMessage, Message } from './conversations.js';
import { method, returns } from './method.js';

/** What every request that starts an answer may say about it. */
const answerOptions = {
  modelPath: ModelPath,
  systemPrompt: z.string().max(100_000).optional(),
  sampling: Sampling.optional(),
};

const QuestionText = z.string().min(1).max(1_000_000);

export const chatRequests = {
  'chat.send': method(
    z.object({ conversationId: Id, text: QuestionText, ...answerOptions }).strict(),
    returns<{ userMessage: BranchMessage; assistantMessage: BranchMessage }>(),
  ),
  /** A new answer to the same question, as a sibling of `messageId` (an answer), or a new answer to `messageId` (a question). */
  'chat.regenerate': method(z.object({ messageId: Id, ...answerOptions }).strict(), returns<{ assistantMessage: BranchMessage }>()),
  /** A new version of the question `messageId` (a sibling of it) and its answer; the old branch stays. */
  'chat.edit': method(
    z.object({ messageId: Id, text: QuestionText, ...answerOptions }).strict(),
    returns<{ userMessage: BranchMessage; assistantMessage: BranchMessage }>(),
  ),
  /**
   * Generates more of the finished answer `messageId` into the same message (the prompt ends with its
   * text, no end-of-turn), up to the answer limit again.
   */
  'chat.continue': method(
    z.object({ messageId: Id, modelPath: ModelPath, sampling: Sampling.optional() }).strict(),
    returns<{ assistantMessage: BranchMessage }>(),
  ),
  'chat.stop': method(z.object({ conversationId: Id }).strict(), returns<{ stopped: boolean }>()),
} as const;

export type ChatEvent =
  /** Only the new text of one answer: never the whole conversation. */
  | { type: 'chat.delta'; conversationId: string; messageId: string; text: string }
  | { type: 'chat.finished'; conversationId: string; message: Message }
  /**
   * The answer `messageId` is still reading a long prompt (a document): `done` of `total` prompt tokens
   * evaluated, and the time left at the speed so far (null until measured). Throttled; ends with done = total.
   */
  | { type: 'chat.prompt-progress'; conversationId: string; messageId: string; done: number; total: number; etaMs: number | null };
