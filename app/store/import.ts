// Writes a whole conversation (a tree of messages, already validated and given new ids) in one
// transaction: it appears complete or not at all.
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Conversation, MessageStats, Message, Sampling } from '../contract.js';

export interface ImportedMessage {
  id: string;
  parentId: string | null;
  role: Message['role'];
  content: string;
  status: Exclude<Message['status'], 'streaming'>;
  error: string | null;
  model: string | null;
  createdAt: number;
  stats: MessageStats | null;
  droppedMessages: number;
  sampling: Sampling | null;
}

/** A conversation as stored, before it has an id of its own here. */
export type ImportedConversation = Omit<Conversation, 'id'>;

/** Messages must come parents first. Returns the new conversation's id. */
export function insertConversation(db: Database, c: ImportedConversation, messages: readonly ImportedMessage[]): string {
  const conversation = db.prepare(
    `INSERT INTO conversations (id, title, created_at, updated_at, pinned, settings, active_leaf_id)
     VALUES (@id, @title, @createdAt, @updatedAt, @pinned, @settings, @activeLeafId)`,
  );
  const message = db.prepare(
    `INSERT INTO messages (id, conversation_id, role, content, status, error, model, created_at, seq, parent_id,
       tokens, tokens_per_second, ttft_ms, prompt_tokens, context_tokens, context_size, dropped_messages, sampling)
     VALUES (@id, @conversationId, @role, @content, @status, @error, @model, @createdAt, @seq, @parentId,
       @tokens, @tokensPerSecond, @ttftMs, @promptTokens, @contextTokens, @contextSize, @droppedMessages, @sampling)`,
  );
  const id = randomUUID();
  db.transaction(() => {
    conversation.run({ id, title: c.title, createdAt: c.createdAt, updatedAt: c.updatedAt, pinned: c.pinned ? 1 : 0, settings: JSON.stringify(c.settings), activeLeafId: c.activeLeafId });
    messages.forEach((m, i) => {
      message.run({
        id: m.id,
        conversationId: id,
        role: m.role,
        content: m.content,
        status: m.status,
        error: m.error,
        model: m.model,
        createdAt: m.createdAt,
        seq: i + 1,
        parentId: m.parentId,
        tokens: m.stats?.tokens ?? null,
        tokensPerSecond: m.stats?.tokensPerSecond ?? null,
        ttftMs: m.stats?.timeToFirstTokenMs ?? null,
        promptTokens: m.stats?.promptTokens ?? null,
        contextTokens: m.stats?.contextTokens ?? null,
        contextSize: m.stats?.contextSize ?? null,
        droppedMessages: m.droppedMessages,
        sampling: m.sampling ? JSON.stringify(m.sampling) : null,
      });
    });
  })();
  return id;
}
