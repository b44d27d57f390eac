// Settings: JSON values by key.
import type { Database } from 'better-sqlite3';

export type Settings = ReturnType<typeof createSettings>;

export function createSettings(db: Database) {
  const q = {
    get: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    set: db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ),
    delete: db.prepare('DELETE FROM settings WHERE key = ?'),
  };

  return {
    /** The stored value, or undefined when the key is not set (or its value is not valid JSON). */
    get(key: string): unknown {
      const row = q.get.get(key);
      if (!row) return undefined;
      try {
        return JSON.parse(row.value) as unknown;
      } catch {
        return undefined;
      }
    },
    /** Stores any JSON-serialisable value (not undefined). */
    set(key: string, value: unknown): void {
      const json = JSON.stringify(value);
      if (json === undefined) throw new TypeError(`Setting "${key}": the value cannot be stored as JSON.`);
      q.set.run(key, json, Date.now());
    },
    delete(key: string): boolean {
      return q.delete.run(key).changes > 0;
    },
  };
}
