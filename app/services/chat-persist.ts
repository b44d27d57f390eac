// Storing an answer of a conversation, the step a caller without a stored conversation skips:
// the question and the empty answer (with the title of a new conversation) before the answer is
// generated, the documents' plan with it, and at the end its final text, status, honest numbers,
// why it stopped or why it failed.
import type { AppEvent, Conversation, Message, MessageStats, Sampling } from '../contract.js';
import type { AnswerWriter, Store } from '../store/index.js';
import type { GenerateOutcome } from '../engine.js';
import { stopReasonOf } from './chat-answer.js';
import type { PlannedSources } from './chat-documents.js';
import type { DocumentsController } from './documents/controller.js';
import { isStorageFull } from './disk.js';

const TITLE_LENGTH = 60;
const DEFAULT_TITLE = 'New conversation';

/** What to answer: a new question (after `parentId`; undefined = the end of the active branch) or one already stored. */
export type Question = { text: string; parentId: string | null | undefined } | { existing: Message };

export interface BeginInput {
  conversation: Conversation;
  question: Question;
  /** Continuing this finished answer (with an existing question): the same message streams again. */
  continued?: Message | undefined;
  /** Stored with a new answer: the model's name and the sampling it runs with. */
  modelName: string;
  sampling: Sampling;
}

/**
 * Stores the question and the answer about to be written (streaming), and the new end of the
 * branch, together or not at all; a conversation's first question also gives it its title.
 */
export function beginAnswer(store: Store, input: BeginInput): { user: Message; assistant: Message } {
  const { conversation, question, continued } = input;
  return store.db.transaction(() => {
    if (continued && 'existing' in question) {
      store.conversations.touch(conversation.id);
      return { user: question.existing, assistant: store.messages.reopen(continued.id) };
    }
    const user =
      'existing' in question
        ? question.existing
        : store.messages.insert({ conversationId: conversation.id, role: 'user', content: question.text, status: 'done', parentId: question.parentId });
    const assistant = store.messages.insert({
      conversationId: conversation.id, role: 'assistant', status: 'streaming', model: input.modelName, parentId: user.id, sampling: input.sampling,
    });
    if (!('existing' in question) && user.parentId === null && conversation.title === DEFAULT_TITLE) {
      store.conversations.rename(conversation.id, titleFrom(question.text));
    }
    store.conversations.touch(conversation.id);
    return { user, assistant };
  })();
}

/** Stores the documents' plan with the answer `messageId` and announces it (documents.answer). */
export function saveSources(controller: DocumentsController, emit: (event: AppEvent) => void, planned: PlannedSources, messageId: string): void {
  const sources = { ...planned, messageId };
  controller.answers.save(sources);
  emit({ type: 'documents.answer', conversationId: sources.conversationId, sources });
}

/** Stores how the answer ended and hands the stored message to `finished`. */
export function finishAnswer(
  store: Store, writer: AnswerWriter, messageId: string, result: GenerateOutcome, finished: (m: Message) => void,
  /** Continuing a finished answer: its stats so far (the new numbers are added to them). */
  continues?: { stats: MessageStats | null },
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

function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line || DEFAULT_TITLE;
}
