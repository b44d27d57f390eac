// Messages of a conversation, in the order they were added (seq), mapped to the contract's Message.
// Each message has a parent (the message it follows), so a conversation is a tree; the branch
// operations are in tree.ts. A new message becomes the end of the conversation's active branch.
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { AppError, Sampling, StopReason, type Message, type MessageStats, type MessageStatus } from '../contract.js';

export interface MessageRow {
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
  parent_id: string | null;
  prompt_tokens: number | null;
  context_tokens: number | null;
  context_size: number | null;
  dropped_messages: number;
  sampling: string | null;
  stop_reason: string | null;
}

export const toMessage = (r: MessageRow): Message => ({
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
      : {
          tokens: r.tokens,
          tokensPerSecond: r.tokens_per_second ?? 0,
          timeToFirstTokenMs: r.ttft_ms ?? 0,
          promptTokens: r.prompt_tokens,
          contextTokens: r.context_tokens,
          contextSize: r.context_size,
        },
  createdAt: r.created_at,
  parentId: r.parent_id,
  droppedMessages: r.dropped_messages,
  sampling: parseSampling(r.sampling),
  stopReason: StopReason.safeParse(r.stop_reason).data ?? null,
});

/** Stored sampling that no longer parses (hand-edited, say) reads as unknown rather than failing. */
function parseSampling(json: string | null): Sampling | null {
  if (json === null) return null;
  try {
    const parsed = Sampling.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface NewMessage {
  conversationId: string;
  role: Message['role'];
  /** Default '' (an assistant answer starts empty). */
  content?: string;
  /** Default 'streaming' for an assistant message, 'done' otherwise. */
  status?: MessageStatus;
  model?: string | null;
  createdAt?: number;
  /** The message it follows; undefined: the end of the active branch; null: a first message. */
  parentId?: string | null;
  /** For answers: the sampling they are generated with. */
  sampling?: Sampling | null;
}

/** What an answer's finish stores: the three measured since 0.1, the rest when known. */
export type StatsInput = Pick<MessageStats, 'tokens' | 'tokensPerSecond' | 'timeToFirstTokenMs'> & Partial<MessageStats>;

export interface Finish {
  status: Exclude<MessageStatus, 'streaming'>;
  content: string;
  error?: string | null;
  stats?: StatsInput | null;
}

export type Messages = ReturnType<typeof createMessages>;

/** The error of an answer found 'streaming' at start-up: the app stopped (crashed, killed) while writing it. */
export const INTERRUPTED_BY_CLOSE = 'The app closed while this answer was being written; the text saved until then is kept.';

export function createMessages(db: Database) {
  const q = {
    list: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq'),
    get: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE id = ?'),
    conversationExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM conversations WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO messages (id, conversation_id, role, content, status, error, model, created_at, seq, parent_id, sampling)
       VALUES (@id, @conversationId, @role, @content, @status, NULL, @model, @createdAt,
               (SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE conversation_id = @conversationId), @parentId, @sampling)`,
    ),
    leaf: db.prepare<[{ cid: string }], { id: string | null }>(
      `SELECT coalesce(
         (SELECT m.id FROM conversations c JOIN messages m ON m.id = c.active_leaf_id AND m.conversation_id = c.id WHERE c.id = @cid),
         (SELECT id FROM messages WHERE conversation_id = @cid ORDER BY seq DESC LIMIT 1)) AS id`,
    ),
    setLeaf: db.prepare('UPDATE conversations SET active_leaf_id = ? WHERE id = ?'),
    setFitted: db.prepare('UPDATE messages SET dropped_messages = ?, context_size = ? WHERE id = ?'),
    setContent: db.prepare('UPDATE messages SET content = ? WHERE id = ?'),
    setStopReason: db.prepare('UPDATE messages SET stop_reason = ? WHERE id = ?'),
    reopen: db.prepare("UPDATE messages SET status = 'streaming', error = NULL, stop_reason = NULL WHERE id = ?"),
    finish: db.prepare(
      `UPDATE messages SET status = @status, content = @content, error = @error,
         tokens = @tokens, tokens_per_second = @tokensPerSecond, ttft_ms = @ttftMs, prompt_tokens = @promptTokens,
         context_tokens = @contextTokens, context_size = coalesce(@contextSize, context_size)
       WHERE id = @id`,
    ),
    interrupt: db.prepare("UPDATE messages SET status = 'interrupted', error = coalesce(error, ?) WHERE status = 'streaming'"),
  };

  function get(id: string): Message | null {
    const row = q.get.get(id);
    return row ? toMessage(row) : null;
  }

  function activeLeafId(conversationId: string): string | null {
    return q.leaf.get({ cid: conversationId })?.id ?? null;
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
    /**
     * Adds a message after `parentId` (default: the end of the active branch) and makes it the end
     * of the active branch. Throws AppError('not_found') when the conversation or parent does not exist.
     */
    insert: db.transaction((m: NewMessage): Message => {
      if (!q.conversationExists.get(m.conversationId)) {
        throw new AppError('not_found', `There is no conversation with id "${m.conversationId}".`);
      }
      const parentId = m.parentId === undefined ? activeLeafId(m.conversationId) : m.parentId;
      if (parentId !== null && get(parentId)?.conversationId !== m.conversationId) {
        throw new AppError('not_found', `There is no message with id "${parentId}" in this conversation.`);
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
        parentId,
        sampling: m.sampling ? JSON.stringify(m.sampling) : null,
      });
      q.setLeaf.run(id, m.conversationId);
      return mustGet(id);
    }),
    /** The end of the active branch: the stored one while it exists, else the newest message; null when empty. */
    activeLeafId,
    setActiveLeaf(conversationId: string, id: string | null): void {
      q.setLeaf.run(id, conversationId);
    },
    /** How the prompt of an answer was fitted to the context (known before its first token). */
    setFitted(id: string, droppedMessages: number, contextSize: number): void {
      if (q.setFitted.run(droppedMessages, contextSize, id).changes === 0) mustGet(id);
    },
    setContent(id: string, content: string): void {
      if (q.setContent.run(content, id).changes === 0) mustGet(id);
    },
    /** Why a finished answer ended (stored after its finish); returns the stored message. */
    setStopReason(id: string, reason: StopReason | null): Message {
      q.setStopReason.run(reason, id);
      return mustGet(id);
    },
    /** A finished answer that is being continued: streaming again, its error and stop reason cleared. */
    reopen(id: string): Message {
      if (q.reopen.run(id).changes === 0) mustGet(id);
      return mustGet(id);
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
        promptTokens: f.stats?.promptTokens ?? null,
        contextTokens: f.stats?.contextTokens ?? null,
        contextSize: f.stats?.contextSize ?? null,
      });
      return mustGet(id);
    },
    /** At start-up: answers left 'streaming' by a crash become 'interrupted' (text kept, with why). Returns how many. */
    markStreamingAsInterrupted(): number {
      return q.interrupt.run(INTERRUPTED_BY_CLOSE).changes;
    },
  };
}
