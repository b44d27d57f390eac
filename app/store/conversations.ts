// Conversations: list (pinned first), get, create, rename, update (pin, settings), delete (its
// messages go with it), touch.
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { AppError, ConversationSettings, type Conversation } from '../contract.js';

export const DEFAULT_TITLE = 'New conversation';

interface Row {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
  pinned: number;
  settings: string;
  active_leaf_id: string | null;
}

const toConversation = (r: Row): Conversation => ({
  id: r.id,
  title: r.title,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  pinned: r.pinned !== 0,
  settings: parseSettings(r.settings),
  activeLeafId: r.active_leaf_id,
});

/** Settings that no longer parse read as their valid fields (the stored text is left as it is). */
export function parseSettings(json: string): ConversationSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return {};
  }
  const whole = ConversationSettings.safeParse(raw);
  if (whole.success) return whole.data;
  const out: Record<string, unknown> = {};
  if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw)) {
      if (ConversationSettings.safeParse({ [key]: value }).success) out[key] = value;
    }
  }
  return out as ConversationSettings;
}

export interface ConversationPatch {
  pinned?: boolean;
  settings?: ConversationSettings;
}

export type Conversations = ReturnType<typeof createConversations>;

export function createConversations(db: Database) {
  const q = {
    list: db.prepare<[], Row>('SELECT * FROM conversations ORDER BY pinned DESC, updated_at DESC, rowid DESC'),
    setPinned: db.prepare('UPDATE conversations SET pinned = ? WHERE id = ?'),
    setSettings: db.prepare('UPDATE conversations SET settings = ? WHERE id = ?'),
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
    /** Pinned first, then most recently updated first. */
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
    /** Pins or unpins and replaces the settings (what the patch leaves out is unchanged); not a use: updatedAt stays. */
    update: db.transaction((id: string, patch: ConversationPatch): Conversation => {
      mustGet(id);
      if (patch.pinned !== undefined) q.setPinned.run(patch.pinned ? 1 : 0, id);
      if (patch.settings !== undefined) q.setSettings.run(JSON.stringify(patch.settings), id);
      return mustGet(id);
    }),
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
