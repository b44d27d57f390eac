// Scale: 5,000 conversations and a 10,000-message conversation in a real SQLite file, read through
// the core. Prints timings (speed goals live in the bench); asserts only that the answers are right.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Conversation, MessagePage, Method } from '../../app/contract.js';
import { createCore, type Core } from '../../app/core.js';
import { openStore } from '../../app/store/index.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';

const CONVERSATIONS = 5000;
const LONG = 10_000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-scale-'));
let core: Core;
let longId = '';
let branchPoint = '';

before(async () => {
  const store = openStore(path.join(dataDir, 'qwen2-desk.sqlite'));
  const started = performance.now();
  store.db.transaction(() => {
    for (let i = 0; i < CONVERSATIONS; i++) {
      const c = store.conversations.create(`Conversation ${i}`, 1_000_000 + i);
      store.messages.insert({ conversationId: c.id, role: 'user', content: `question ${i}` });
      if (i % 1000 === 0) store.conversations.update(c.id, { pinned: true });
    }
    const long = store.conversations.create('Long', 500);
    longId = long.id;
    for (let i = 0; i < LONG; i++) {
      const m = store.messages.insert({ conversationId: long.id, role: i % 2 ? 'assistant' : 'user', content: `message ${i}`, status: 'done' });
      if (i === 4999) branchPoint = m.id;
    }
  })();
  // One side branch in the middle: the main branch stays active.
  const side = store.messages.insert({ conversationId: longId, role: 'user', content: 'side', parentId: branchPoint });
  store.conversations.update(longId, {});
  store.db.prepare('UPDATE conversations SET active_leaf_id = (SELECT id FROM messages WHERE conversation_id = ? AND seq = ?) WHERE id = ?').run(longId, LONG, longId);
  assert.ok(side.id);
  console.log(`seeded ${CONVERSATIONS} conversations and ${LONG} messages in ${(performance.now() - started).toFixed(0)} ms`);
  store.close();
  core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1 });
});
after(async () => {
  await core?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function timed<T>(label: string, method: Method, params: unknown): Promise<T> {
  const started = performance.now();
  const response = await core.handle(method, params);
  console.log(`${label}: ${(performance.now() - started).toFixed(1)} ms`);
  if (!response.ok) throw new Error(response.error.message);
  return response.result as T;
}

test('conversations.list with 5,000 conversations: pinned first, then newest first', async () => {
  await timed('conversations.list (cold)', 'conversations.list', {});
  const list = await timed<Conversation[]>('conversations.list', 'conversations.list', {});
  assert.equal(list.length, CONVERSATIONS + 1);
  const pinned = list.filter((c) => c.pinned);
  assert.equal(pinned.length, CONVERSATIONS / 1000);
  assert.deepEqual(list.slice(0, pinned.length), pinned);
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.pinned === list[i - 1]!.pinned) assert.ok(list[i]!.updatedAt <= list[i - 1]!.updatedAt, `order at ${i}`);
  }
  assert.equal(list.at(-1)!.title, 'Long');
});

test('messages.page through a 10,000-message conversation', async () => {
  const last = await timed<MessagePage>('messages.page (last 50)', 'messages.page', { conversationId: longId, limit: 50 });
  assert.equal(last.hasMore, true);
  assert.deepEqual(last.messages.map((m) => m.content), Array.from({ length: 50 }, (_, i) => `message ${LONG - 50 + i}`));
  let page = last;
  for (let n = 0; n < 3; n++) {
    const earlier = await timed<MessagePage>(`messages.page (50 before, #${n + 1})`, 'messages.page', { conversationId: longId, limit: 50, beforeId: page.messages[0]!.id });
    assert.equal(earlier.messages.at(-1)!.id, page.messages[0]!.parentId);
    page = earlier;
  }
  assert.equal(page.messages[0]!.content, `message ${LONG - 200}`);
  // The whole branch; the message after the branch point in the middle shows its sibling.
  const whole = await timed<MessagePage['messages']>('messages.list (whole branch of 10,000)', 'messages.list', { conversationId: longId });
  assert.deepEqual(whole.map((m) => m.content), Array.from({ length: LONG }, (_, i) => `message ${i}`));
  const child = whole[5000]!;
  assert.deepEqual([child.parentId, child.siblingIndex, child.siblingCount], [branchPoint, 0, 2]);
  const first = await timed<MessagePage>('messages.page (the first 50)', 'messages.page', { conversationId: longId, limit: 50, beforeId: whole[50]!.id });
  assert.deepEqual(first.messages.map((m) => m.id), whole.slice(0, 50).map((m) => m.id));
  assert.equal(first.hasMore, false);
  const hits = await timed<unknown[]>('search.messages ("message 99", 50 hits)', 'search.messages', { query: 'message 99' });
  assert.equal(hits.length, 50);
});
