// Download rows: where a file comes from, where it goes, how far it got. The bytes on disk (the
// temporary file) are the truth about progress; received_bytes is the last value seen.
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { DownloadState } from '../contract.js';

const STATES: readonly DownloadState[] = ['queued', 'downloading', 'paused', 'verifying', 'done', 'failed', 'cancelled'];

export interface DownloadRecord {
  id: string;
  uri: string;
  url: string;
  fileName: string;
  destPath: string;
  tempPath: string;
  state: DownloadState;
  receivedBytes: number;
  totalBytes: number | null;
  sha256: string | null;
  /** The server's validator for the file: its ETag, else its Last-Modified date (sent back in If-Range). */
  etag: string | null;
  error: string | null;
  modelId: string | null;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  uri: string;
  url: string;
  file_name: string;
  dest_path: string;
  temp_path: string;
  state: string;
  received_bytes: number;
  total_bytes: number | null;
  sha256: string | null;
  etag: string | null;
  error: string | null;
  model_id: string | null;
  created_at: number;
  updated_at: number;
}

const toRecord = (r: Row): DownloadRecord => ({
  id: r.id,
  uri: r.uri,
  url: r.url,
  fileName: r.file_name,
  destPath: r.dest_path,
  tempPath: r.temp_path,
  // An unknown state (hand-edited row) reads as paused: it can be resumed or cancelled.
  state: (STATES as string[]).includes(r.state) ? (r.state as DownloadState) : 'paused',
  receivedBytes: r.received_bytes,
  totalBytes: r.total_bytes,
  sha256: r.sha256,
  etag: r.etag,
  error: r.error,
  modelId: r.model_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type NewDownload = Pick<DownloadRecord, 'uri' | 'url' | 'fileName' | 'destPath' | 'tempPath' | 'sha256'> & {
  id?: string;
  state?: DownloadState;
  createdAt?: number;
};

export type DownloadPatch = Partial<
  Pick<DownloadRecord, 'state' | 'receivedBytes' | 'totalBytes' | 'etag' | 'error' | 'modelId' | 'url' | 'sha256'>
>;

const COLUMN: Record<keyof DownloadPatch, string> = {
  state: 'state',
  receivedBytes: 'received_bytes',
  totalBytes: 'total_bytes',
  etag: 'etag',
  error: 'error',
  modelId: 'model_id',
  url: 'url',
  sha256: 'sha256',
};

export type Downloads = ReturnType<typeof createDownloads>;

export function createDownloads(db: Database) {
  const q = {
    list: db.prepare<[], Row>('SELECT * FROM downloads ORDER BY created_at, rowid'),
    get: db.prepare<[string], Row>('SELECT * FROM downloads WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO downloads (id, uri, url, file_name, dest_path, temp_path, state, received_bytes, total_bytes,
         sha256, etag, error, model_id, created_at, updated_at)
       VALUES (@id, @uri, @url, @fileName, @destPath, @tempPath, @state, 0, NULL, @sha256, NULL, NULL, NULL, @createdAt, @createdAt)`,
    ),
    interrupt: db.prepare(
      `UPDATE downloads SET state = 'paused', error = ?, updated_at = ?
       WHERE state IN ('queued', 'downloading', 'verifying')`,
    ),
    delete: db.prepare('DELETE FROM downloads WHERE id = ?'),
  };

  function get(id: string): DownloadRecord | null {
    const row = q.get.get(id);
    return row ? toRecord(row) : null;
  }

  return {
    /** Oldest first. */
    list(): DownloadRecord[] {
      return q.list.all().map(toRecord);
    },
    get,
    insert(d: NewDownload): DownloadRecord {
      const id = d.id ?? randomUUID();
      q.insert.run({ ...d, id, state: d.state ?? 'queued', createdAt: d.createdAt ?? Date.now() });
      return get(id)!;
    },
    /** Changes some fields; returns the row after the change (null when there is no such download). */
    update(id: string, patch: DownloadPatch, now: number = Date.now()): DownloadRecord | null {
      const keys = (Object.keys(patch) as (keyof DownloadPatch)[]).filter((k) => patch[k] !== undefined);
      const sets = [...keys.map((k) => `${COLUMN[k]} = @${k}`), 'updated_at = @now'].join(', ');
      const values: Record<string, unknown> = { id, now };
      for (const k of keys) values[k] = patch[k];
      db.prepare(`UPDATE downloads SET ${sets} WHERE id = @id`).run(values);
      return get(id);
    },
    /** At start-up: downloads cut off by a crash or a quit become 'paused' (resumable). Returns how many. */
    markActiveAsPaused(reason: string, now: number = Date.now()): number {
      return q.interrupt.run(reason, now).changes;
    },
    delete(id: string): boolean {
      return q.delete.run(id).changes > 0;
    },
  };
}
