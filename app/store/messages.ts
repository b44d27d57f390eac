// Messages of a conversation, in the order they were added (seq), mapped to the contract's Message.
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { AppError, type Message, type MessageStats, type MessageStatus } from '../contract.js';

interface Row {
  id: string;
  conversation_id: string;
  role: Message['role'];
  content: string;
  status: MessageStatus;
  error: string | null;
  model: string | null;
  created_at: number;
  seq: number;
  tokens: number | null;
  tokens_per_second: number | null;
  ttft_ms: number | null;
}

const toMessage = (r: Row): Message => ({
  id: r.id,
  conversationId: r.conversation_id,
  role: r.role,
  content: r.content,
  status: r.status,
  error: r.error,
  model: r.model,
  stats:
    r.tokens === null
      ? null
      : { tokens: r.tokens, tokensPerSecond: r.tokens_per_second ?? 0, timeToFirstTokenMs: r.ttft_ms ?? 0 },
  createdAt: r.created_at,
});

export interface NewMessage {
  conversationId: string;
  role: Message['role'];
  /** Default '' (an assistant answer starts empty). */
  content?: string;
  /** Default 'streaming' for an assistant message, 'done' otherwise. */
  status?: MessageStatus;
  model?: string | null;
  createdAt?: number;
}

export interface Finish {
  status: Exclude<MessageStatus, 'streaming'>;
  content: string;
  error?: string | null;
  stats?: MessageStats | null;
}

export type Messages = ReturnType<typeof createMessages>;

export function createMessages(db: Database) {
  const q = {
    list: db.prepare<[string], Row>('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq'),
    get: db.prepare<[string], Row>('SELECT * FROM messages WHERE id = ?'),
    conversationExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM conversations WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO messages (id, conversation_id, role, content, status, error, model, created_at, seq)
       VALUES (@id, @conversationId, @role, @content, @status, NULL, @model, @createdAt,
               (SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE conversation_id = @conversationId))`,
    ),
    setContent: db.prepare('UPDATE messages SET content = ? WHERE id = ?'),
    finish: db.prepare(
      `UPDATE messages SET status = @status, content = @content, error = @error,
         tokens = @tokens, tokens_per_second = @tokensPerSecond, ttft_ms = @ttftMs
       WHERE id = @id`,
    ),
    interrupt: db.prepare("UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'"),
  };

  function get(id: string): Message | null {
    const row = q.get.get(id);
    return row ? toMessage(row) : null;
  }

  function mustGet(id: string): Message {
    const found = get(id);
    if (!found) throw new AppError('not_found', `There is no message with id "${id}".`);
    return found;
  }

  return {
    /** The conversation's messages, oldest first. */
    list(conversationId: string): Message[] {
      return q.list.all(conversationId).map(toMessage);
    },
    get,
    /** Throws AppError('not_found') when the conversation does not exist. */
    insert(m: NewMessage): Message {
      if (!q.conversationExists.get(m.conversationId)) {
        throw new AppError('not_found', `There is no conversation with id "${m.conversationId}".`);
      }
      const id = randomUUID();
      q.insert.run({
        id,
        conversationId: m.conversationId,
        role: m.role,
        content: m.content ?? '',
        status: m.status ?? (m.role === 'assistant' ? 'streaming' : 'done'),
        model: m.model ?? null,
        createdAt: m.createdAt ?? Date.now(),
      });
      return mustGet(id);
    },
    setContent(id: string, content: string): void {
      if (q.setContent.run(content, id).changes === 0) mustGet(id);
    },
    /** Stores the final text, status, error and stats of a message and returns it. */
    finish(id: string, f: Finish): Message {
      q.finish.run({
        id,
        status: f.status,
        content: f.content,
        error: f.error ?? null,
        tokens: f.stats?.tokens ?? null,
        tokensPerSecond: f.stats?.tokensPerSecond ?? null,
        ttftMs: f.stats?.timeToFirstTokenMs ?? null,
      });
      return mustGet(id);
    },
    /** At start-up: answers left 'streaming' by a crash become 'interrupted' (text kept). Returns how many. */
    markStreamingAsInterrupted(): number {
      return q.interrupt.run().changes;
    },
  };
}
