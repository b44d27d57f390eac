// Conversations, messages and settings over a real SQLite file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../app/contract.js';
import { openStore, type Store } from '../../app/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'store-repos-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function withStore(fn: (store: Store, file: string) => void): () => void {
  return () => {
    const file = join(dir, `db-${++n}.sqlite`);
    const store = openStore(file);
    try {
      fn(store, file);
    } finally {
      store.close();
    }
  };
}
const notFound = (e: unknown) => e instanceof AppError && e.code === 'not_found';

test('conversations: create, get, rename, touch, list newest first, delete', withStore(({ conversations }) => {
  const a = conversations.create(undefined, 1000);
  assert.equal(a.title, 'New conversation');
  assert.deepEqual(a, { id: a.id, title: 'New conversation', createdAt: 1000, updatedAt: 1000, pinned: false, settings: {}, activeLeafId: null });
  assert.match(a.id, /^[0-9a-f-]{36}$/);
  const b = conversations.create('  Second  ', 2000);
  assert.equal(b.title, 'Second');
  assert.notEqual(a.id, b.id);
  assert.deepEqual(conversations.list().map((c) => c.id), [b.id, a.id]);

  conversations.touch(a.id, 3000);
  assert.deepEqual(conversations.list().map((c) => c.id), [a.id, b.id]);
  assert.equal(conversations.get(a.id)?.updatedAt, 3000);

  const renamed = conversations.rename(b.id, 'Renamed', 4000);
  assert.deepEqual(renamed, { ...b, title: 'Renamed', updatedAt: 4000 });
  assert.deepEqual(conversations.get(b.id), renamed);
  assert.throws(() => conversations.rename(b.id, '   '), (e: unknown) => e instanceof AppError && e.code === 'invalid_request');
  assert.throws(() => conversations.rename('nope', 'x'), notFound);
  assert.throws(() => conversations.touch('nope'), notFound);

  assert.equal(conversations.delete(a.id), true);
  assert.equal(conversations.delete(a.id), false);
  assert.equal(conversations.get(a.id), null);
  assert.deepEqual(conversations.list().map((c) => c.id), [b.id]);
}));

test('messages: insert in order, defaults, setContent, finish with stats', withStore(({ conversations, messages }) => {
  const c = conversations.create();
  const user = messages.insert({ conversationId: c.id, role: 'user', content: 'Hello?', createdAt: 10 });
  assert.deepEqual(user, {
    id: user.id, conversationId: c.id, role: 'user', content: 'Hello?', status: 'done',
    error: null, model: null, stats: null, createdAt: 10, parentId: null, droppedMessages: 0, sampling: null, stopReason: null,
  });
  const answer = messages.insert({ conversationId: c.id, role: 'assistant', model: 'qwen2-0.5b.gguf' });
  assert.equal(answer.status, 'streaming');
  assert.equal(answer.content, '');
  assert.equal(answer.model, 'qwen2-0.5b.gguf');

  messages.setContent(answer.id, 'Hi');
  assert.equal(messages.get(answer.id)?.content, 'Hi');
  const stats = { tokens: 12, tokensPerSecond: 34.5, timeToFirstTokenMs: 120 };
  const done = messages.finish(answer.id, { status: 'done', content: 'Hi there.', stats });
  assert.deepEqual(done, { ...answer, content: 'Hi there.', status: 'done', stats: { ...stats, promptTokens: null, contextTokens: null, contextSize: null } });
  assert.equal(answer.parentId, user.id, 'a new message follows the end of the active branch');

  const failed = messages.insert({ conversationId: c.id, role: 'assistant' });
  const err = messages.finish(failed.id, { status: 'error', content: 'partial', error: 'The engine crashed.' });
  assert.equal(err.error, 'The engine crashed.');
  assert.equal(err.stats, null);

  // Another conversation's messages do not mix in; order is insertion order even with equal times.
  const other = conversations.create();
  messages.insert({ conversationId: other.id, role: 'user', content: 'elsewhere', createdAt: 10 });
  const third = messages.insert({ conversationId: c.id, role: 'user', content: 'again', createdAt: 10 });
  assert.deepEqual(messages.list(c.id).map((m) => m.id), [user.id, answer.id, failed.id, third.id]);
  assert.deepEqual(messages.list(other.id).map((m) => m.content), ['elsewhere']);

  assert.equal(messages.get('nope'), null);
  assert.throws(() => messages.insert({ conversationId: 'nope', role: 'user', content: 'x' }), notFound);
  assert.throws(() => messages.setContent('nope', 'x'), notFound);
  assert.throws(() => messages.finish('nope', { status: 'done', content: '' }), notFound);
}));

test('deleting a conversation deletes its messages (cascade)', withStore(({ db, conversations, messages }) => {
  const keep = conversations.create();
  const gone = conversations.create();
  messages.insert({ conversationId: keep.id, role: 'user', content: 'stay' });
  for (let i = 0; i < 5; i++) messages.insert({ conversationId: gone.id, role: 'user', content: `go ${i}` });
  conversations.delete(gone.id);
  const rows = db.prepare('SELECT conversation_id AS c FROM messages').all() as { c: string }[];
  assert.deepEqual(rows, [{ c: keep.id }]);
}));

test('markStreamingAsInterrupted flags only answers left streaming and keeps their text', withStore(({ conversations, messages }) => {
  const c = conversations.create();
  const done = messages.insert({ conversationId: c.id, role: 'assistant' });
  messages.finish(done.id, { status: 'done', content: 'complete' });
  const a = messages.insert({ conversationId: c.id, role: 'assistant' });
  messages.setContent(a.id, 'half an ans');
  const b = messages.insert({ conversationId: c.id, role: 'assistant' });
  assert.equal(messages.markStreamingAsInterrupted(), 2);
  assert.deepEqual(
    messages.list(c.id).map((m) => [m.status, m.content]),
    [['done', 'complete'], ['interrupted', 'half an ans'], ['interrupted', '']],
  );
  assert.equal(messages.get(b.id)?.status, 'interrupted');
  assert.equal(messages.markStreamingAsInterrupted(), 0);
}));

test('settings: JSON values by key, overwrite, delete, persisted', withStore(({ settings }, file) => {
  assert.equal(settings.get('missing'), undefined);
  settings.set('sampling', { temperature: 0.7, topK: 40 });
  settings.set('lastModel', '/models/qwen2.gguf');
  settings.set('count', 3);
  settings.set('count', 4);
  settings.set('nothing', null);
  assert.deepEqual(settings.get('sampling'), { temperature: 0.7, topK: 40 });
  assert.equal(settings.get('count'), 4);
  assert.equal(settings.get('nothing'), null);
  assert.throws(() => settings.set('bad', undefined), TypeError);
  assert.equal(settings.delete('count'), true);
  assert.equal(settings.get('count'), undefined);
  const second = new Database(file, { readonly: true });
  const row = second.prepare("SELECT value FROM settings WHERE key = 'lastModel'").get() as { value: string };
  assert.equal(JSON.parse(row.value), '/models/qwen2.gguf');
  second.close();
}));
