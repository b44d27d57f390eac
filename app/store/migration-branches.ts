// Schema step for branches (messages form a tree per conversation), pinned conversations with their
// own settings, the numbers of each answer, and full-text search over messages. Listed in
// migrations.ts; like every step there, never edit it once shipped.
import type { Database } from 'better-sqlite3';

export const branchesMigration = {
  description: 'message tree, pins, conversation settings, answer numbers and message search',
  up(db: Database): void {
    // parent_id has no foreign key: the tree is kept by the code (a subtree is deleted together,
    // see store/tree.ts), and a conversation's delete cascades to all its messages anyway.
    db.exec(`
      ALTER TABLE messages ADD COLUMN parent_id TEXT;
      ALTER TABLE messages ADD COLUMN prompt_tokens INTEGER;
      ALTER TABLE messages ADD COLUMN context_tokens INTEGER;
      ALTER TABLE messages ADD COLUMN context_size INTEGER;
      ALTER TABLE messages ADD COLUMN dropped_messages INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE messages ADD COLUMN sampling TEXT;
      ALTER TABLE conversations ADD COLUMN active_leaf_id TEXT;
      ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE conversations ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';

      -- Until now a conversation was one line: each message follows the previous one.
      UPDATE messages SET parent_id = (
        SELECT p.id FROM messages p
        WHERE p.conversation_id = messages.conversation_id AND p.seq < messages.seq
        ORDER BY p.seq DESC LIMIT 1
      );
      UPDATE conversations SET active_leaf_id = (
        SELECT m.id FROM messages m WHERE m.conversation_id = conversations.id ORDER BY m.seq DESC LIMIT 1
      );

      CREATE INDEX messages_by_parent ON messages(conversation_id, parent_id, seq);
      CREATE INDEX conversations_in_order ON conversations(pinned DESC, updated_at DESC);

      -- Contentless (the text stays in messages), rowid = messages.rowid, kept in step by triggers
      -- (also on the cascade from a deleted conversation). The trigram tokenizer matches substrings
      -- of 3+ characters, Chinese included; shorter queries use LIKE (store/search.ts).
      -- The app never runs VACUUM, which could renumber the rowids of messages.
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        body, content='', contentless_delete=1, tokenize='trigram'
      );
      INSERT INTO messages_fts (rowid, body) SELECT rowid, content FROM messages;
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, body) VALUES (new.rowid, new.content);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        DELETE FROM messages_fts WHERE rowid = old.rowid;
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
        DELETE FROM messages_fts WHERE rowid = old.rowid;
        INSERT INTO messages_fts (rowid, body) VALUES (new.rowid, new.content);
      END;
    `);
  },
};
