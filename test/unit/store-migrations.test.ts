// Migrations: from nothing, from every earlier version (generic over the migrations array),
// refusal of newer and foreign databases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../app/contract.js';
import { applyMigrations, latestVersion, migrations, type Migration } from '../../app/store/migrations.js';
import { openStore } from '../../app/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'store-migrations-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const tmpFile = () => join(dir, `db-${++n}.sqlite`);

type Db = Database.Database;
type Row = Record<string, unknown>;

/** Values for columns whose contents are constrained by the code reading them; others are generated. */
const KNOWN: Record<string, (i: number) => unknown> = {
  'messages.role': (i) => ['user', 'assistant', 'system'][i % 3],
  'messages.status': (i) => ['done', 'stopped', 'error'][i % 3],
  'settings.value': (i) => JSON.stringify({ sample: i }),
  'models.parts': (i) => JSON.stringify([`/models/m${i}.gguf`]),
  'models.source': (i) => ['folder', 'copied', 'downloaded', 'referenced'][i % 4],
  'models.labels': (i) => JSON.stringify([`label${i}`]),
  'models.defaults': (i) => JSON.stringify({ contextSize: 4096 * (i + 1) }),
  'downloads.state': (i) => ['paused', 'done', 'failed'][i % 3],
  'downloads.sha256': (i) => String(i).repeat(64).slice(0, 64),
  'documents.kind': (i) => ['pdf', 'docx', 'markdown'][i % 3],
  'documents.status': () => 'ready',
  'documents.sha256': (i) => String(i).repeat(64).slice(0, 64),
  'passages.heading': (i) => (i % 2 ? null : `Chapter ${i}`),
  'conversations.settings': (i) => JSON.stringify({ systemPrompt: `Prompt ${i}` }),
  'conversations.pinned': (i) => i % 2,
  'conversations.active_leaf_id': () => null,
  'messages.parent_id': () => null,
  'messages.sampling': (i) => (i % 2 ? null : JSON.stringify({ temperature: 0.5 })),
};
const ROWS_PER_TABLE = 3;

const tablesOf = (db: Db): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );

/** Tables ordered so that every table comes after the tables it references. */
function byDependency(db: Db): string[] {
  const left = new Set(tablesOf(db));
  const ordered: string[] = [];
  while (left.size) {
    const ready = [...left].find((t) =>
      (db.pragma(`foreign_key_list("${t}")`) as { table: string }[]).every((fk) => fk.table === t || !left.has(fk.table)),
    );
    assert.ok(ready, 'foreign keys form a cycle');
    left.delete(ready);
    ordered.push(ready);
  }
  return ordered;
}

/** Virtual tables (full-text indexes) and their shadow tables: filled by triggers, never by hand. */
function isIndexTable(db: Db, table: string): boolean {
  const virtual = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'").all() as { name: string }[]).map(
    (r) => r.name,
  );
  return virtual.some((v) => table === v || table.startsWith(`${v}_`));
}

/** Inserts representative rows into every table, whatever the schema at this version. */
function seed(db: Db): void {
  for (const table of byDependency(db).filter((t) => !isIndexTable(db, t))) {
    const cols = db.pragma(`table_info("${table}")`) as { name: string; type: string }[];
    const fks = db.pragma(`foreign_key_list("${table}")`) as { table: string; from: string; to: string }[];
    const insert = db.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c.name}"`).join(',')}) VALUES (${cols.map(() => '?').join(',')})`);
    for (let i = 0; i < ROWS_PER_TABLE; i++) {
      const values = cols.map((c) => {
        const fk = fks.find((f) => f.from === c.name);
        if (fk) {
          const parents = db.prepare(`SELECT "${fk.to}" AS v FROM "${fk.table}" ORDER BY rowid`).all() as { v: unknown }[];
          return parents[i % parents.length]!.v;
        }
        const known = KNOWN[`${table}.${c.name}`];
        if (known) return known(i);
        if (/INT/i.test(c.type)) return 1000 + i;
        if (/REAL|FLOA|DOUB/i.test(c.type)) return i + 0.25;
        return `${table}.${c.name}#${i}`;
      });
      insert.run(...values);
    }
  }
}

function snapshot(db: Db, tables: string[], columnsOf: Map<string, string[]>): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const t of tables) {
    const cols = columnsOf.get(t)!.map((c) => `"${c}"`).join(',');
    out[t] = db.prepare(`SELECT ${cols} FROM "${t}" ORDER BY rowid`).all() as Row[];
  }
  return out;
}

/** The shape of the schema: columns, indexes and foreign keys of every table. */
function schemaOf(db: Db): unknown {
  return tablesOf(db).map((t) => ({
    table: t,
    columns: db.pragma(`table_info("${t}")`),
    foreignKeys: db.pragma(`foreign_key_list("${t}")`),
    indexes: (db.pragma(`index_list("${t}")`) as { name: string }[])
      .map((ix) => ({ ...ix, columns: db.pragma(`index_info("${ix.name}")`) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

function buildAt(file: string, version: number): Db {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  applyMigrations(db, migrations.slice(0, version));
  return db;
}

function latestSchema(): unknown {
  const store = openStore(tmpFile());
  try {
    return schemaOf(store.db);
  } finally {
    store.close();
  }
}

test('migration versions are 1, 2, 3, ... and the latest is the last one', () => {
  migrations.forEach((m, i) => assert.equal(m.version, i + 1));
  assert.equal(latestVersion(), migrations.length);
  assert.ok(migrations.length >= 2);
});

test('a new file and an empty (zero-byte) file are created at the latest version', () => {
  const empty = tmpFile();
  writeFileSync(empty, '');
  for (const file of [tmpFile(), empty]) {
    const store = openStore(file);
    assert.equal(store.db.pragma('user_version', { simple: true }), latestVersion());
    assert.deepEqual(store.conversations.list(), []);
    store.close();
  }
});

for (let k = 0; k < migrations.length; k++) {
  test(`a database at version ${k} is migrated to the latest version with its data intact`, () => {
    const file = tmpFile();
    const old = buildAt(file, k);
    assert.equal(old.pragma('user_version', { simple: true }), k);
    seed(old);
    const tables = tablesOf(old).filter((t) => !isIndexTable(old, t)); // index contents derive from their tables
    const columnsOf = new Map(tables.map((t) => [t, (old.pragma(`table_info("${t}")`) as { name: string }[]).map((c) => c.name)]));
    const before = snapshot(old, tables, columnsOf);
    old.close();

    const store = openStore(file);
    try {
      assert.equal(store.db.pragma('user_version', { simple: true }), latestVersion());
      assert.deepEqual(snapshot(store.db, tables, columnsOf), before, 'rows of every older table are unchanged');
      assert.deepEqual(schemaOf(store.db), latestSchema(), 'schema equals that of a new database');
      // The repositories read the migrated rows.
      const conversations = store.conversations.list();
      assert.equal(conversations.length, before['conversations']?.length ?? 0);
      for (const c of conversations) {
        for (const m of store.messages.list(c.id)) {
          assert.equal(m.conversationId, c.id);
          assert.equal(typeof m.content, 'string');
        }
      }
      const allMessages = conversations.flatMap((c) => store.messages.list(c.id));
      assert.equal(allMessages.length, before['messages']?.length ?? 0);
      assert.equal(store.models.list().length, before['models']?.length ?? 0);
      assert.equal(store.downloads.list().length, before['downloads']?.length ?? 0);
      assert.equal(store.conversations.delete(conversations[0]?.id ?? 'none'), conversations.length > 0);
    } finally {
      store.close();
    }
  });
}

test('a database from a newer version is refused and left untouched', () => {
  const file = tmpFile();
  const db = buildAt(file, latestVersion());
  db.pragma(`user_version = ${latestVersion() + 1}`);
  db.close();
  const bytes = readFileSync(file);
  assert.throws(
    () => openStore(file),
    (e: unknown) =>
      e instanceof AppError && e.code === 'failed' && e.message.includes(file) && /newer version/.test(e.message),
  );
  assert.deepEqual(readFileSync(file), bytes);
});

test('an SQLite database made by another program is refused and left untouched', () => {
  const file = tmpFile();
  const db = new Database(file);
  db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
  db.close();
  const bytes = readFileSync(file);
  assert.throws(() => openStore(file), (e: unknown) => e instanceof AppError && /not made by Qwen2 Desk/.test(e.message));
  assert.deepEqual(readFileSync(file), bytes);
});

test('a failing migration rolls back and leaves the database at the previous version', () => {
  const file = tmpFile();
  const db = buildAt(file, 1);
  const broken: Migration[] = [
    ...migrations.slice(0, 1),
    { version: 2, description: 'broken', up: (d) => d.exec('CREATE TABLE half (x); SELECT no_such_function();') },
  ];
  assert.throws(() => applyMigrations(db, broken), /no_such_function/);
  assert.equal(db.pragma('user_version', { simple: true }), 1);
  assert.deepEqual(tablesOf(db), ['conversations', 'messages']);
  db.close();
});

test('migrations out of order are rejected', () => {
  const db = new Database(':memory:');
  assert.throws(() => applyMigrations(db, [migrations[1]!]), /versions must be 1, 2, 3/);
  db.close();
});
