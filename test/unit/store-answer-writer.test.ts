// The answer writer batches a streaming answer into few writes, visible to other connections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { Message } from '../../app/contract.js';
import { createAnswerWriter, openStore, type Store } from '../../app/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'store-writer-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A store with one streaming answer, and a trigger that counts writes of message content. */
function setup() {
  const file = join(dir, `db-${++n}.sqlite`);
  const store: Store = openStore(file);
  store.db.exec(`
    CREATE TABLE test_writes (at INTEGER);
    CREATE TABLE test_block (x);
    CREATE TRIGGER test_count AFTER UPDATE OF content ON messages BEGIN INSERT INTO test_writes VALUES (1); END;
    CREATE TRIGGER test_fail BEFORE UPDATE OF content ON messages WHEN (SELECT count(*) FROM test_block) > 0
      BEGIN SELECT RAISE(ABORT, 'blocked by test'); END;
  `);
  const c = store.conversations.create();
  const answer = store.messages.insert({ conversationId: c.id, role: 'assistant' });
  const writes = () => (store.db.prepare('SELECT count(*) AS n FROM test_writes').get() as { n: number }).n;
  const other = new Database(file, { readonly: true });
  const seen = () => other.prepare('SELECT content, status FROM messages WHERE id = ?').get(answer.id) as { content: string; status: string };
  const block = (on: boolean) => store.db.exec(on ? 'INSERT INTO test_block VALUES (1)' : 'DELETE FROM test_block');
  const close = () => {
    other.close();
    store.close();
  };
  return { store, answer, writes, seen, block, close };
}

test('a burst of appends is written once, after flushMs, not per token', async () => {
  const { store, answer, writes, seen, close } = setup();
  const w = createAnswerWriter(store.messages, answer.id, { flushMs: 50 });
  for (let i = 0; i < 1000; i++) w.append(`t${i} `);
  assert.equal(writes(), 0);
  assert.equal(seen().content, '');
  await sleep(120);
  assert.equal(writes(), 1);
  assert.equal(seen().content, w.text);
  await sleep(120);
  assert.equal(writes(), 1, 'nothing new, nothing written');
  close();
});

test('a steady stream is written at most once per flushMs', async () => {
  const { store, answer, writes, seen, close } = setup();
  const flushMs = 50;
  const w = createAnswerWriter(store.messages, answer.id, { flushMs });
  const started = Date.now();
  let appends = 0;
  while (Date.now() - started < 600) {
    w.append('tok ');
    appends++;
    await sleep(2);
  }
  const elapsed = Date.now() - started;
  const written = writes();
  assert.ok(written >= 3, `expected several writes while streaming, got ${written}`);
  assert.ok(written <= Math.ceil(elapsed / flushMs) + 1, `${written} writes in ${elapsed} ms is more than one per ${flushMs} ms`);
  assert.ok(appends > written * 3, `${appends} appends, ${written} writes`);
  assert.ok(w.text.startsWith(seen().content) && seen().content.length > 0);
  const final = w.finish('done');
  assert.equal(final.content, 'tok '.repeat(appends));
  close();
});

test('text is visible to a second connection after flushMs, and at once on finish', async () => {
  const { store, answer, seen, writes, close } = setup();
  const w = createAnswerWriter(store.messages, answer.id, { flushMs: 100 });
  w.append('Hello');
  assert.deepEqual(seen(), { content: '', status: 'streaming' });
  await sleep(160);
  assert.deepEqual(seen(), { content: 'Hello', status: 'streaming' });
  w.append(', world');
  assert.equal(w.text, 'Hello, world');
  assert.equal(seen().content, 'Hello');
  const stats = { tokens: 3, tokensPerSecond: 20, timeToFirstTokenMs: 50 };
  const message = w.finish('stopped', stats);
  assert.deepEqual(seen(), { content: 'Hello, world', status: 'stopped' });
  assert.deepEqual(message.stats, { ...stats, promptTokens: null, contextTokens: null, contextSize: null });
  const after = writes();
  await sleep(160);
  assert.equal(writes(), after, 'no timer write after finish');
  assert.throws(() => w.append('late'), /already finished/);
  assert.throws(() => w.finish('done'), /already finished/);
  close();
});

test('a failed write is retried later; a failed finish is written by the writer itself once it can be', async () => {
  const { store, answer, seen, block, close } = setup();
  let late: (m: Message) => void = () => {};
  const stored = new Promise<Message>((resolve) => (late = resolve));
  const w = createAnswerWriter(store.messages, answer.id, { flushMs: 30, maxRetryMs: 60, onLateFinish: (m) => late(m) });
  block(true);
  w.append('kept in memory');
  await sleep(80); // at least one flush fails; the process goes on
  assert.equal(seen().content, '');
  assert.throws(() => w.finish('done'), /blocked by test/);
  assert.equal(w.saved, false);
  assert.throws(() => w.finish('done'), /already finished/);
  block(false);
  const message = await stored;
  assert.deepEqual([message.status, message.content], ['done', 'kept in memory']);
  assert.deepEqual(seen(), { content: 'kept in memory', status: 'done' });
  assert.equal(w.saved, true);
  close();
});

test('a write that fails is tried again at once when onWriteError says room was made; a deleted answer is not retried', async () => {
  const { store, answer, seen, block, close } = setup();
  let errors = 0;
  const w = createAnswerWriter(store.messages, answer.id, {
    flushMs: 1000,
    onWriteError: () => {
      errors++;
      block(false); // e.g. the space reserve was released
      return true;
    },
  });
  w.append('all of it');
  block(true);
  assert.equal(w.finish('done').status, 'done', 'the second try, at once, stored it');
  assert.equal(errors, 1);
  assert.deepEqual(seen(), { content: 'all of it', status: 'done' });

  const other = store.messages.insert({ conversationId: answer.conversationId, role: 'assistant' });
  const gone = createAnswerWriter(store.messages, other.id, { flushMs: 10, onWriteError: () => assert.fail('not retried') });
  gone.append('text');
  store.db.prepare('DELETE FROM messages WHERE id = ?').run(other.id);
  assert.throws(() => gone.finish('done'), /no message/);
  assert.equal(gone.dispose(), false, 'nothing to write it to');
  close();
});
