// Starting on a full disk (a real tmpfs, the real core): with the space reserve still there, the app
// releases it and starts normally, saying the disk is full; with no reserve left, it starts read-only:
// history is shown, every write is refused with "the disk is full", and app.info says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Message } from '../../app/contract.js';
import { mountSmallDisk, startDiskCore, waitFor, type DiskCore, type SmallDisk } from '../helpers/full-disk.js';

let disk: SmallDisk | null = null;
let app: DiskCore | null = null;
test.after(async () => {
  await app?.core.close();
  disk?.unmount();
});

const RESERVE = 1024 * 1024;

test('a start on a full disk shows history: writable after releasing the reserve, else read-only', { timeout: 120_000 }, async (t) => {
  disk = mountSmallDisk(t, '16m');
  if (!disk) return;
  const dataDir = path.join(disk.dir, 'data');
  const reserveFile = path.join(dataDir, '.space-reserve');

  // History: one question and its answer.
  app = await startDiskCore(dataDir, { disk: { reserveBytes: RESERVE } });
  const model = await app.call('models.add', { path: app.modelPath });
  const c = await app.call('conversations.create', {});
  const sent = await app.call('chat.send', { conversationId: c.id, text: 'Hello', modelPath: model.path, sampling: { maxTokens: 4 } });
  await waitFor(() => app!.events.find((e) => e.type === 'chat.finished' && e.message.id === sent.assistantMessage.id), 'the answer');
  await app.core.close();
  app = null;

  // 1. Full, with the reserve there: it is released and the app starts (saying the disk is full).
  disk.fill();
  app = await startDiskCore(dataDir, { disk: { reserveBytes: RESERVE } });
  assert.equal(fs.existsSync(reserveFile), false, 'the reserve was released');
  assert.equal((await app.call('app.info', {})).saveProblem?.kind, 'disk-full');
  assert.match((await app.call('app.info', {})).saveProblem?.message ?? '', /^The disk is full: nothing new can be saved/);
  assert.equal(((await app.call('messages.list', { conversationId: c.id })) as Message[]).length, 2);
  assert.match(await app.failure('chat.send', { conversationId: c.id, text: 'More', modelPath: model.path }), /^failed: The disk is full: nothing new can be saved/);
  await app.core.close();
  app = null;

  // 2. Full, and no reserve left (what it freed is taken too): read-only.
  disk.fill();
  app = await startDiskCore(dataDir, { disk: { reserveBytes: RESERVE } });
  const info = await app.call('app.info', {});
  assert.equal(info.saveProblem?.kind, 'read-only');
  assert.match(info.saveProblem?.message ?? '', /^The disk is full: nothing new can be saved\. History is shown read-only/);
  const conversations = await app.call('conversations.list', {});
  assert.deepEqual(conversations.map((x: { id: string }) => x.id), [c.id]);
  const history = (await app.call('messages.list', { conversationId: c.id })) as Message[];
  assert.deepEqual(history.map((m) => [m.role, m.content.length > 0]), [['user', true], ['assistant', true]]);
  assert.ok((await app.call('search.messages', { query: 'Hello' })).length >= 1, 'search works');
  for (const [method, params] of [
    ['chat.send', { conversationId: c.id, text: 'More', modelPath: model.path }],
    ['conversations.create', {}],
    ['conversations.rename', { id: c.id, title: 'Renamed' }],
    ['settings.update', { theme: 'dark' }],
    ['documents.attach', { conversationId: c.id, path: app.modelPath }],
  ] as const) {
    assert.match(await app.failure(method, params), /^failed: The disk is full: nothing new can be saved/, method);
  }
  assert.equal((await app.call('conversations.list', {}))[0].title, conversations[0].title, 'nothing was changed');
});
