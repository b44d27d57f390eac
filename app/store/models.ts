// The model library's rows: one per model (a split model is one row listing all its parts).
// JSON columns that cannot be read (written by hand, or damaged) read as empty values.
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { ModelDefaults, type LibraryModel } from '../contract.js';

export type ModelSource = LibraryModel['source'];
const SOURCES: readonly ModelSource[] = ['folder', 'copied', 'downloaded', 'referenced'];

export interface ModelRecord {
  id: string;
  /** The model's file, or the first part of a split model. */
  path: string;
  parts: string[];
  source: ModelSource;
  labels: string[];
  defaults: ModelDefaults;
  addedAt: number;
}

interface Row {
  id: string;
  path: string;
  parts: string;
  source: string;
  labels: string;
  defaults: string;
  added_at: number;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

const toRecord = (r: Row): ModelRecord => {
  const parts = strings(parseJson(r.parts));
  const defaults = ModelDefaults.safeParse(parseJson(r.defaults));
  return {
    id: r.id,
    path: r.path,
    parts: parts.length ? parts : [r.path],
    source: (SOURCES as string[]).includes(r.source) ? (r.source as ModelSource) : 'referenced',
    labels: strings(parseJson(r.labels)),
    defaults: defaults.success ? defaults.data : {},
    addedAt: r.added_at,
  };
};

export interface NewModel {
  path: string;
  parts: string[];
  source: ModelSource;
  labels?: string[];
  defaults?: ModelDefaults;
  addedAt?: number;
}

export type Models = ReturnType<typeof createModels>;

export function createModels(db: Database) {
  const q = {
    list: db.prepare<[], Row>('SELECT * FROM models ORDER BY added_at, rowid'),
    get: db.prepare<[string], Row>('SELECT * FROM models WHERE id = ?'),
    byPath: db.prepare<[string], Row>('SELECT * FROM models WHERE path = ?'),
    insert: db.prepare(
      `INSERT INTO models (id, path, parts, source, labels, defaults, added_at)
       VALUES (@id, @path, @parts, @source, @labels, @defaults, @addedAt)`,
    ),
    setParts: db.prepare('UPDATE models SET parts = ? WHERE id = ?'),
    relocate: db.prepare('UPDATE models SET path = @path, parts = @parts, source = @source WHERE id = @id'),
    setSource: db.prepare('UPDATE models SET source = ? WHERE id = ?'),
    setLabels: db.prepare('UPDATE models SET labels = ? WHERE id = ?'),
    setDefaults: db.prepare('UPDATE models SET defaults = ? WHERE id = ?'),
    delete: db.prepare('DELETE FROM models WHERE id = ?'),
  };

  function get(id: string): ModelRecord | null {
    const row = q.get.get(id);
    return row ? toRecord(row) : null;
  }

  function byPath(path: string): ModelRecord | null {
    const row = q.byPath.get(path);
    return row ? toRecord(row) : null;
  }

  return {
    /** Oldest first. */
    list(): ModelRecord[] {
      return q.list.all().map(toRecord);
    },
    get,
    byPath,
    /** Inserts a model, or returns the existing row for that path (its source becomes `source` unless it is 'folder'). */
    upsert(m: NewModel): ModelRecord {
      return db.transaction((): ModelRecord => {
        const existing = byPath(m.path);
        if (existing) {
          if (m.source !== 'folder' && existing.source !== m.source) q.setSource.run(m.source, existing.id);
          if (JSON.stringify(existing.parts) !== JSON.stringify(m.parts)) q.setParts.run(JSON.stringify(m.parts), existing.id);
          return get(existing.id)!;
        }
        const id = randomUUID();
        q.insert.run({
          id,
          path: m.path,
          parts: JSON.stringify(m.parts),
          source: m.source,
          labels: JSON.stringify(m.labels ?? []),
          defaults: JSON.stringify(m.defaults ?? {}),
          addedAt: m.addedAt ?? Date.now(),
        });
        return get(id)!;
      }).immediate();
    },
    /** Points a model at new files (its labels and defaults stay); a row already there for that path gives way. */
    relocate(id: string, m: Pick<NewModel, 'path' | 'parts' | 'source'>): ModelRecord {
      return db.transaction((): ModelRecord => {
        const other = byPath(m.path);
        if (other && other.id !== id) q.delete.run(other.id);
        q.relocate.run({ id, path: m.path, parts: JSON.stringify(m.parts), source: m.source });
        return get(id)!;
      }).immediate();
    },
    setParts(id: string, parts: string[]): void {
      q.setParts.run(JSON.stringify(parts), id);
    },
    setLabels(id: string, labels: string[]): void {
      q.setLabels.run(JSON.stringify(labels), id);
    },
    setDefaults(id: string, defaults: ModelDefaults): void {
      q.setDefaults.run(JSON.stringify(defaults), id);
    },
    delete(id: string): boolean {
      return q.delete.run(id).changes > 0;
    },
  };
}
