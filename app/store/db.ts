// Opens (or creates) the SQLite database file and brings its schema up to date.
// Any failure becomes an AppError naming the file; the file itself is never deleted or replaced.
import Database from 'better-sqlite3';
import { AppError } from '../contract.js';
import { applyMigrations, latestVersion, refuseNewer, schemaVersion } from './migrations.js';

export type { Database } from 'better-sqlite3';

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running ABI (Electron); omitted under Node. */
  nativeBinding?: string;
  /** How long a statement waits for another connection's write lock; default BUSY_TIMEOUT_MS. */
  busyTimeoutMs?: number;
}

export const BUSY_TIMEOUT_MS = 5000;

export function openDatabase(file: string, opts: OpenOptions = {}): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
    // Read-only checks first: reading the header fails on a file that is not a database, and a
    // newer or foreign database is refused before anything (even the journal mode) is written.
    refuseNewer(db);
    refuseForeign(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    applyMigrations(db);
    return db;
  } catch (err) {
    try {
      db?.close();
    } catch {
      // closing a connection that failed to open: nothing more to do
    }
    if (err instanceof AppError) throw err;
    const appError = new AppError('failed', describeOpenError(file, err));
    appError.cause = err;
    throw appError;
  }
}

/**
 * Opens the database for reading only, on a disk with no room left: the normal open cannot create the
 * WAL index (-shm) there. With exclusive locking set before the first read SQLite keeps the WAL index
 * in memory instead, so history (including what a crashed run left in the -wal file) can be read.
 * query_only refuses every write; the schema must already be current (nothing can be migrated).
 */
export function openDatabaseReadOnly(file: string, opts: OpenOptions = {}): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('query_only = ON');
    db.pragma('foreign_keys = ON');
    refuseNewer(db);
    refuseForeign(db, file);
    if (schemaVersion(db) !== latestVersion()) {
      throw new AppError('failed', `The database "${file}" needs an update that cannot be written: ${describeOpenError(file, { code: 'SQLITE_FULL' })}`);
    }
    return db;
  } catch (err) {
    try {
      db?.close();
    } catch {
      // closing a connection that failed to open: nothing more to do
    }
    if (err instanceof AppError) throw err;
    const appError = new AppError('failed', describeOpenError(file, err));
    appError.cause = err;
    throw appError;
  }
}

/**
 * Reads the schema (so a damaged first page fails here, not later) and refuses a database at
 * version 0 that already has tables: it belongs to some other program.
 */
function refuseForeign(db: Database.Database, file: string): void {
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").get() as { n: number };
  if (schemaVersion(db) === 0 && row.n > 0) {
    throw new AppError(
      'failed',
      `"${file}" is an SQLite database that was not made by Qwen2 Desk. It was left untouched; ` +
        'choose another file or move this one away.',
    );
  }
}

/** A specific, human message for an error met while opening `file`. */
export function describeOpenError(file: string, err: unknown): string {
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '';
  const detail = err instanceof Error ? err.message : String(err);
  const untouched = 'The file was left untouched.';
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return (
      `The database "${file}" is damaged or is not an SQLite database (${detail}). ${untouched} ` +
      'Move or rename it and restart Qwen2 Desk to begin with a new, empty database.'
    );
  }
  if (code === 'SQLITE_FULL' || /disk is full|ENOSPC/i.test(detail)) {
    return `The disk holding the database "${file}" is full. Free some space and try again. ${untouched}`;
  }
  if (code === 'SQLITE_PERM' || code === 'SQLITE_AUTH' || code.startsWith('SQLITE_READONLY')) {
    return `No permission to write the database "${file}" (it or its folder is read-only). Check its permissions.`;
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return `Cannot open the database "${file}": it could not be read or created (is it a folder, or is its folder not writable?).`;
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return `The database "${file}" is locked by another program (is another copy of Qwen2 Desk running?).`;
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return `A disk error occurred while reading the database "${file}" (${detail}). ${untouched}`;
  }
  if (/directory does not exist/i.test(detail)) {
    return `Cannot create the database "${file}": its folder does not exist.`;
  }
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|bindings/i.test(detail)) {
    return `Could not load the SQLite module needed to open "${file}" (${detail}).`;
  }
  return `Cannot open the database "${file}": ${detail}`;
}
