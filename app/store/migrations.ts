// The database schema, as an ordered list of versioned steps. Each step runs in its own
// transaction together with the bump of PRAGMA user_version, so a crash leaves the database at
// one version or the next, never in between. To change the schema, APPEND a migration; never
// edit one that has shipped. (foreign_keys cannot be switched inside a transaction: a step that
// rebuilds a table must do so in a way that keeps every foreign key valid.)
import type { Database } from 'better-sqlite3';
import { AppError } from '../contract.js';
import { branchesMigration } from './migration-branches.js';
import { niahMigration } from './migration-niah.js';

export interface Migration {
  /** 1, 2, 3, ... in order; the database's user_version after this step. */
  version: number;
  description: string;
  up(db: Database): void;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'conversations and messages',
    up(db) {
      db.exec(`
        CREATE TABLE conversations (
          id         TEXT PRIMARY KEY,
          title      TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE messages (
          id              TEXT PRIMARY KEY,
          conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
          role            TEXT NOT NULL,
          content         TEXT NOT NULL DEFAULT '',
          status          TEXT NOT NULL,
          error           TEXT,
          model           TEXT,
          created_at      INTEGER NOT NULL,
          seq             INTEGER NOT NULL
        );
        CREATE INDEX messages_by_conversation ON messages(conversation_id, seq);
      `);
    },
  },
  {
    version: 2,
    description: 'message stats and settings',
    up(db) {
      db.exec(`
        ALTER TABLE messages ADD COLUMN tokens INTEGER;
        ALTER TABLE messages ADD COLUMN tokens_per_second REAL;
        ALTER TABLE messages ADD COLUMN ttft_ms REAL;
        CREATE TABLE settings (
          key        TEXT PRIMARY KEY,
          value      TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
      `);
    },
  },
  {
    version: 3,
    description: 'model library and downloads',
    up(db) {
      db.exec(`
        CREATE TABLE models (
          id       TEXT PRIMARY KEY,
          path     TEXT NOT NULL UNIQUE,
          parts    TEXT NOT NULL DEFAULT '[]',
          source   TEXT NOT NULL,
          labels   TEXT NOT NULL DEFAULT '[]',
          defaults TEXT NOT NULL DEFAULT '{}',
          added_at INTEGER NOT NULL
        );
        CREATE TABLE downloads (
          id             TEXT PRIMARY KEY,
          uri            TEXT NOT NULL,
          url            TEXT NOT NULL,
          file_name      TEXT NOT NULL,
          dest_path      TEXT NOT NULL,
          temp_path      TEXT NOT NULL,
          state          TEXT NOT NULL,
          received_bytes INTEGER NOT NULL DEFAULT 0,
          total_bytes    INTEGER,
          sha256         TEXT,
          etag           TEXT,
          error          TEXT,
          model_id       TEXT REFERENCES models(id) ON DELETE SET NULL,
          created_at     INTEGER NOT NULL,
          updated_at     INTEGER NOT NULL
        );
        CREATE INDEX downloads_by_state ON downloads(state);
      `);
    },
  },
  {
    version: 4,
    description: 'documents, passages and their full-text index',
    up(db) {
      // passages_fts is contentless (the text lives in passages) with cheap deletes, and kept in
      // step by triggers, so a cascade from a deleted conversation or document removes its rows.
      // The trigram tokenizer matches substrings, which works for Chinese and Japanese as well.
      db.exec(`
        CREATE TABLE documents (
          id              TEXT PRIMARY KEY,
          conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
          name            TEXT NOT NULL,
          kind            TEXT NOT NULL,
          mime            TEXT NOT NULL,
          size_bytes      INTEGER NOT NULL,
          sha256          TEXT NOT NULL,
          chars           INTEGER NOT NULL,
          page_count      INTEGER,
          token_count     INTEGER,
          token_model     TEXT,
          status          TEXT NOT NULL DEFAULT 'ready',
          created_at      INTEGER NOT NULL,
          text            TEXT NOT NULL -- last: reading the other columns never walks its overflow pages
        );
        CREATE INDEX documents_by_conversation ON documents(conversation_id, created_at);
        CREATE TABLE passages (
          id          INTEGER PRIMARY KEY,
          document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          seq         INTEGER NOT NULL,
          start_char  INTEGER NOT NULL,
          end_char    INTEGER NOT NULL,
          page        INTEGER,
          heading     TEXT,
          text        TEXT NOT NULL
        );
        CREATE UNIQUE INDEX passages_by_document ON passages(document_id, seq);
        CREATE VIRTUAL TABLE passages_fts USING fts5(
          text, heading, content='', contentless_delete=1, tokenize='trigram'
        );
        CREATE TRIGGER passages_fts_insert AFTER INSERT ON passages BEGIN
          INSERT INTO passages_fts (rowid, text, heading) VALUES (new.id, new.text, new.heading);
        END;
        CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN
          DELETE FROM passages_fts WHERE rowid = old.id;
        END;
        CREATE TRIGGER passages_fts_update AFTER UPDATE OF text, heading ON passages BEGIN
          DELETE FROM passages_fts WHERE rowid = old.id;
          INSERT INTO passages_fts (rowid, text, heading) VALUES (new.id, new.text, new.heading);
        END;
      `);
    },
  },
  { version: 5, ...branchesMigration },
  {
    version: 6,
    description: 'how each answer used the documents: mode, explanation, suggested context, citations',
    up(db) {
      db.exec(`
        CREATE TABLE answer_sources (
          message_id        TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
          conversation_id   TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
          created_at        INTEGER NOT NULL,
          data              TEXT NOT NULL -- JSON: AnswerSources without the three columns above
        );
        CREATE INDEX answer_sources_by_conversation ON answer_sources(conversation_id, created_at);
      `);
    },
  },
  {
    version: 7,
    description: "why each answer ended: 'end', 'limit' or 'context-full' (NULL: stopped, failed, or written before)",
    up(db) {
      db.exec('ALTER TABLE messages ADD COLUMN stop_reason TEXT');
    },
  },
  { version: 8, ...niahMigration },
];

export function latestVersion(list: readonly Migration[] = migrations): number {
  return list.length === 0 ? 0 : list[list.length - 1]!.version;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Throws AppError when the database was written by a newer version of the app. */
export function refuseNewer(db: Database, list: readonly Migration[] = migrations): void {
  const current = schemaVersion(db);
  const latest = latestVersion(list);
  if (current > latest) {
    throw new AppError(
      'failed',
      `The database "${db.name}" was written by a newer version of Qwen2 Desk (schema version ${current}; ` +
        `this version understands up to ${latest}). Update Qwen2 Desk to open it; the file was left untouched.`,
    );
  }
}

/** Brings the database up to the last migration of `list`. Returns the versions before and after. */
export function applyMigrations(db: Database, list: readonly Migration[] = migrations): { from: number; to: number } {
  checkOrder(list);
  refuseNewer(db, list);
  const from = schemaVersion(db);
  for (const step of list) {
    if (step.version <= from) continue;
    // IMMEDIATE takes the write lock first, so two processes opening the same file cannot both
    // run a step; the version is checked again under the lock.
    db.transaction(() => {
      if (schemaVersion(db) >= step.version) return;
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  }
  return { from, to: schemaVersion(db) };
}

function checkOrder(list: readonly Migration[]): void {
  list.forEach((step, i) => {
    if (step.version !== i + 1) {
      throw new Error(`Migration #${i} has version ${step.version}; versions must be 1, 2, 3, ... in order.`);
    }
  });
}
