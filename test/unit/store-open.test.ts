// Opening the database: pragmas, and errors that name the file and leave it untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../app/contract.js';
import { BUSY_TIMEOUT_MS, describeOpenError, openDatabase } from '../../app/store/db.js';
import { openStore } from '../../app/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'store-open-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const tmpFile = () => join(dir, `db-${++n}.sqlite`);

function assertRefused(file: string, pattern: RegExp): void {
  assert.throws(
    () => openDatabase(file),
    (e: unknown) => {
      assert.ok(e instanceof AppError, `expected AppError, got ${String(e)}`);
      assert.equal(e.code, 'failed');
      assert.ok(e.message.includes(file), `message names the file: ${e.message}`);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

test('the connection uses WAL, foreign keys, a busy timeout and synchronous NORMAL', () => {
  const db = openDatabase(tmpFile());
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('busy_timeout', { simple: true }), BUSY_TIMEOUT_MS);
  assert.equal(db.pragma('synchronous', { simple: true }), 1); // NORMAL
  db.close();
});

test('reopening an up-to-date database keeps its data', () => {
  const file = tmpFile();
  let store = openStore(file);
  const c = store.conversations.create('Kept');
  store.close();
  store = openStore(file);
  assert.deepEqual(store.conversations.get(c.id), c);
  store.close();
});

for (const [name, bytes] of [
  ['random bytes', randomBytes(8192)],
  ['plain text', Buffer.from('these are my notes, not a database\n'.repeat(50))],
] as const) {
  test(`a file of ${name} gives an AppError and is left untouched`, () => {
    const file = tmpFile();
    writeFileSync(file, bytes);
    assertRefused(file, /damaged or is not an SQLite database/);
    assert.deepEqual(readFileSync(file), bytes);
    assert.equal(existsSync(`${file}-wal`), false);
  });
}

test('a database whose first page is damaged gives an AppError and is left untouched', () => {
  const file = tmpFile();
  const store = openStore(file);
  store.conversations.create('x');
  store.close();
  const bytes = readFileSync(file);
  randomBytes(4000).copy(bytes, 100); // keep the 100-byte header, garble the schema page
  writeFileSync(file, bytes);
  assertRefused(file, /damaged or is not an SQLite database/);
  assert.deepEqual(readFileSync(file), bytes);
});

test('a folder where the file should be gives an AppError', () => {
  const folder = join(dir, 'a-folder.sqlite');
  mkdirSync(folder);
  assertRefused(folder, /could not be read or created/);
});

test('a missing folder gives an AppError', () => {
  assertRefused(join(dir, 'missing', 'db.sqlite'), /folder does not exist/);
});

test('a native binding that cannot be loaded gives an AppError', () => {
  const file = tmpFile();
  assert.throws(
    () => openDatabase(file, { nativeBinding: join(dir, 'no-such-binding.node') }),
    (e: unknown) => e instanceof AppError && e.message.includes(file) && /SQLite module/.test(e.message),
  );
});

test('SQLITE_FULL (a real one, from max_page_count) is described as a full disk', () => {
  const db = new Database(':memory:');
  db.pragma('max_page_count = 2');
  db.exec('CREATE TABLE t (x)');
  let full: unknown;
  try {
    for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(2000));
  } catch (e) {
    full = e;
  }
  db.close();
  assert.equal((full as { code?: string }).code, 'SQLITE_FULL');
  const message = describeOpenError('/data/chat.sqlite', full);
  assert.match(message, /disk holding the database "\/data\/chat\.sqlite" is full/);
});

test('a read-only database (a real SQLITE_READONLY) is described as such', () => {
  const file = tmpFile();
  openDatabase(file).close();
  const db = new Database(file, { readonly: true });
  let readonly: unknown;
  try {
    db.exec('CREATE TABLE t (x)');
  } catch (e) {
    readonly = e;
  }
  db.close();
  assert.match(String((readonly as { code?: string }).code), /^SQLITE_READONLY/);
  assert.match(describeOpenError(file, readonly), /No permission to write the database/);
});
