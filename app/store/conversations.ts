// Conversations: list, get, create, rename, delete (its messages go with it), touch.
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { AppError, type Conversation } from '../contract.js';

export const DEFAULT_TITLE = 'New conversation';

interface Row {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
}

const toConversation = (r: Row): Conversation => ({
  id: r.id,
  title: r.title,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type Conversations = ReturnType<typeof createConversations>;

export function createConversations(db: Database) {
  const q = {
    list: db.prepare<[], Row>('SELECT * FROM conversations ORDER BY updated_at DESC, rowid DESC'),
    get: db.prepare<[string], Row>('SELECT * FROM conversations WHERE id = ?'),
    insert: db.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)'),
    rename: db.prepare('UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?'),
    delete: db.prepare('DELETE FROM conversations WHERE id = ?'),
    touch: db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?'),
  };

  function get(id: string): Conversation | null {
    const row = q.get.get(id);
    return row ? toConversation(row) : null;
  }

  function mustGet(id: string): Conversation {
    const found = get(id);
    if (!found) throw new AppError('not_found', `There is no conversation with id "${id}".`);
    return found;
  }

  return {
    /** Most recently updated first. */
    list(): Conversation[] {
      return q.list.all().map(toConversation);
    },
    get,
    create(title?: string, now: number = Date.now()): Conversation {
      const id = randomUUID();
      q.insert.run(id, title?.trim() || DEFAULT_TITLE, now, now);
      return mustGet(id);
    },
    /** Throws AppError('not_found') when there is no such conversation. */
    rename(id: string, title: string, now: number = Date.now()): Conversation {
      const clean = title.trim();
      if (!clean) throw new AppError('invalid_request', 'A conversation title cannot be empty.');
      if (q.rename.run(clean, now, id).changes === 0) mustGet(id);
      return mustGet(id);
    },
    /** Deletes the conversation and all its messages; false when there was none. */
    delete(id: string): boolean {
      return q.delete.run(id).changes > 0;
    },
    /** Marks the conversation as just used (it moves to the top of list()). */
    touch(id: string, updatedAt: number = Date.now()): void {
      if (q.touch.run(updatedAt, id).changes === 0) mustGet(id);
    },
  };
}
