// Keeps a growing answer in memory and writes it to SQLite in batches: at most once every
// flushMs while text arrives, and at once on finish. A crash loses at most ~flushMs of text;
// what was committed before stays.
import type { Message } from '../contract.js';
import type { Finish, Messages, StatsInput } from './messages.js';

export interface AnswerWriter {
  /** Adds new text; it reaches the database within ~flushMs. */
  append(text: string): void;
  /** Writes the full text with its final status now and returns the stored message. */
  finish(status: Finish['status'], stats?: StatsInput | null, error?: string | null): Message;
  /** All text so far. */
  readonly text: string;
}

export interface AnswerWriterOptions {
  flushMs?: number;
  /** Text the message already holds (default ''). */
  initialText?: string;
}

export function createAnswerWriter(
  messages: Pick<Messages, 'setContent' | 'finish'>,
  messageId: string,
  { flushMs = 200, initialText = '' }: AnswerWriterOptions = {},
): AnswerWriter {
  let text = initialText;
  let dirty = false;
  let finished = false;
  let timer: NodeJS.Timeout | null = null;

  function flush(): void {
    timer = null;
    if (!dirty || finished) return;
    try {
      messages.setContent(messageId, text);
      dirty = false;
    } catch {
      // e.g. the database is busy or the disk is full: keep the text and try again later;
      // finish() writes it all and reports the error if it still fails.
      schedule();
    }
  }

  function schedule(): void {
    if (!timer) timer = setTimeout(flush, flushMs);
  }

  return {
    append(chunk: string): void {
      if (finished) throw new Error(`Answer ${messageId} is already finished.`);
      if (!chunk) return;
      text += chunk;
      dirty = true;
      schedule();
    },
    finish(status, stats, error): Message {
      if (finished) throw new Error(`Answer ${messageId} is already finished.`);
      if (timer) clearTimeout(timer);
      timer = null;
      let message: Message;
      try {
        message = messages.finish(messageId, { status, content: text, stats, error });
      } catch (err) {
        if (dirty) schedule(); // keep saving the text; the caller may call finish() again
        throw err;
      }
      finished = true;
      dirty = false;
      return message;
    },
    get text(): string {
      return text;
    },
  };
}
