// Keeps a growing answer in memory and writes it to SQLite in batches: at most once every
// flushMs while text arrives, and at once on finish. A crash loses at most ~flushMs of text;
// what was committed before stays. A write that fails (the disk is full, the database is busy)
// loses nothing: the text and the final status stay in memory and are written again, with a
// growing pause (up to maxRetryMs), until they are stored or the message is gone.
import { AppError, type Message } from '../contract.js';
import type { Finish, Messages, StatsInput } from './messages.js';

export interface AnswerWriter {
  /** Adds new text; it reaches the database within ~flushMs. */
  append(text: string): void;
  /**
   * Writes the full text with its final status now and returns the stored message. When that write
   * fails it throws, and the writer keeps trying: onLateFinish receives the message once it is stored.
   */
  finish(status: Finish['status'], stats?: StatsInput | null, error?: string | null): Message;
  /** Tries once more to write what is unsaved, then stops trying (at shutdown). True when all is stored. */
  dispose(): boolean;
  /** All text so far. */
  readonly text: string;
  /** True when everything (text and, once finished, the final status) is in the database. */
  readonly saved: boolean;
}

export interface AnswerWriterOptions {
  flushMs?: number;
  /** Text the message already holds (default ''). */
  initialText?: string;
  /** Longest pause between two tries of a failed write (default 2000 ms). */
  maxRetryMs?: number;
  /** A write failed: return true to try it again at once (space was just freed, say). */
  onWriteError?(error: unknown): boolean;
  /** A finish that had failed was stored later: the stored message. */
  onLateFinish?(message: Message): void;
}

export function createAnswerWriter(
  messages: Pick<Messages, 'setContent' | 'finish'>,
  messageId: string,
  { flushMs = 200, initialText = '', maxRetryMs = 2000, onWriteError, onLateFinish }: AnswerWriterOptions = {},
): AnswerWriter {
  let text = initialText;
  let dirty = false;
  /** Set by finish(): the final write, until it is stored. */
  let final: Omit<Finish, 'content'> | null = null;
  let finished = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let pause = flushMs;

  /** One write of what is unsaved (the final state once finished); the stored message after a final write. */
  function write(): Message | null {
    if (final) {
      const message = messages.finish(messageId, { ...final, content: text });
      final = null;
      dirty = false;
      return message;
    }
    messages.setContent(messageId, text);
    dirty = false;
    return null;
  }

  /** write(), tried again at once when onWriteError says so; throws when it still fails. */
  function writeNow(): Message | null {
    try {
      return write();
    } catch (error) {
      if (gone(error) || !onWriteError?.(error)) throw error;
      return write();
    }
  }

  function flush(): void {
    timer = null;
    if (stopped || (!dirty && !final)) return;
    const late = final !== null;
    try {
      const message = writeNow();
      pause = flushMs;
      if (late && message) onLateFinish?.(message);
    } catch (error) {
      if (gone(error)) {
        stopped = true; // the message was deleted: its text has nowhere to go
        return;
      }
      pause = Math.min(pause * 2, maxRetryMs);
      schedule(pause);
    }
  }

  function schedule(ms = flushMs): void {
    if (timer || stopped) return;
    timer = setTimeout(flush, ms);
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
      finished = true;
      if (timer) clearTimeout(timer);
      timer = null;
      final = { status, stats, error };
      try {
        return writeNow()!;
      } catch (err) {
        if (!gone(err)) schedule(pause);
        throw err;
      }
    },
    dispose(): boolean {
      if (timer) clearTimeout(timer);
      timer = null;
      if (!stopped && (dirty || final)) {
        try {
          const late = final !== null;
          const message = write();
          if (late && message) onLateFinish?.(message);
        } catch {
          // still cannot be written: what was stored before stays
        }
      }
      stopped = true;
      return !dirty && !final;
    },
    get text(): string {
      return text;
    },
    get saved(): boolean {
      return !dirty && !final;
    },
  };
}

/** The message no longer exists (deleted with its conversation): retrying cannot help. */
const gone = (error: unknown): boolean => error instanceof AppError && error.code === 'not_found';
