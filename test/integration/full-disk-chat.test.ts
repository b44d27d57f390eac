// A disk that fills up while an answer streams (a real tmpfs, the real core and engine): the space
// reserve is released so the answer goes on being saved; once that is used up too, the answer's end is
// announced at once as interrupted by the full disk, the app keeps answering, new answers are refused
// with a clear message, and as soon as there is room again the whole answer is stored with its real
// end and announced again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { AppEvent, Message } from '../../app/contract.js';
import { mountSmallDisk, startDiskCore, waitFor, type DiskCore, type SmallDisk } from '../helpers/full-disk.js';

type Finished = Extract<AppEvent, { type: 'chat.finished' }>;
type Storage = Extract<AppEvent, { type: 'storage.changed' }>;

let disk: SmallDisk | null = null;
let app: DiskCore | null = null;
test.after(async () => {
  await app?.core.close();
  disk?.unmount();
});

test('an answer whose save fails on a full disk ends as interrupted by the full disk at once, and is stored whole once there is room', { timeout: 120_000 }, async (t) => {
  disk = mountSmallDisk(t, '24m');
  if (!disk) return;
  const dataDir = path.join(disk.dir, 'data');
  app = await startDiskCore(dataDir, { disk: { reserveBytes: 1024 * 1024, pollMs: 100 } });
  const { call, failure, events } = app;
  assert.ok(fs.statSync(path.join(dataDir, '.space-reserve')).size >= 1024 * 1024, 'the reserve is held');
  assert.equal((await call('app.info', {})).saveProblem, null);
  const model = await call('models.add', { path: app.modelPath });
  const c = await call('conversations.create', {});

  const sent = await call('chat.send', { conversationId: c.id, text: 'Go on and on', modelPath: model.path, sampling: { maxTokens: 20_000 } });
  const id: string = sent.assistantMessage.id;
  const deltas = () => events.filter((e) => e.type === 'chat.delta' && e.messageId === id).map((e) => (e as { text: string }).text).join('');
  await waitFor(() => deltas().length > 0, 'the first delta');

  disk.fill();
  // The next batch of the answer finds the disk full: the reserve is released, the app says the disk is full.
  const full = await app.event((e): e is Storage => e.type === 'storage.changed' && e.saveProblem !== null, 'storage.changed (full)');
  assert.equal(full.saveProblem!.kind, 'disk-full');
  assert.match(full.saveProblem!.message, /^The disk is full: nothing new can be saved/);
  assert.equal(fs.existsSync(path.join(dataDir, '.space-reserve')), false, 'the reserve was released');
  assert.match((await call('app.info', {})).saveProblem?.message ?? '', /disk is full/);
  disk.fill(); // and the freed reserve is taken too: nothing can be saved any more

  const before = events.length;
  await call('chat.stop', { conversationId: c.id });
  const first = await waitFor(() => events.slice(before).find((e): e is Finished => e.type === 'chat.finished' && e.message.id === id), 'chat.finished');
  assert.equal(first.message.status, 'interrupted');
  assert.match(first.message.error ?? '', /^The disk is full: the answer could not be saved completely/);
  const text = deltas();
  assert.equal(first.message.content, text, 'the announced answer holds all the streamed text');

  // The app keeps running: history reads, and a new answer is refused with the reason.
  assert.equal((await call('conversations.list', {})).length, 1);
  assert.match(await failure('chat.send', { conversationId: c.id, text: 'Again', modelPath: model.path }), /^failed: The disk is full: nothing new can be saved/);

  disk.free();
  const second = await waitFor(
    () => events.slice(before).filter((e): e is Finished => e.type === 'chat.finished' && e.message.id === id)[1],
    'the second chat.finished once there is room',
  );
  assert.equal(second.message.status, 'stopped');
  assert.equal(second.message.content, text);
  const stored = (await call('messages.list', { conversationId: c.id })) as Message[];
  assert.deepEqual(stored.map((m) => [m.role, m.status]), [['user', 'done'], ['assistant', 'stopped']]);
  assert.equal(stored[1]!.content, text, 'the whole answer is in SQLite');
  assert.ok(stored[1]!.stats, 'with its numbers');

  await app.event((e): e is Storage => e.type === 'storage.changed' && e.saveProblem === null, 'storage.changed (room again)');
  assert.ok(fs.statSync(path.join(dataDir, '.space-reserve')).size >= 1024 * 1024, 'the reserve is held again');
  const next = await call('chat.send', { conversationId: c.id, text: 'Again', modelPath: model.path, sampling: { maxTokens: 4 } });
  await waitFor(() => events.find((e) => e.type === 'chat.finished' && e.message.id === next.assistantMessage.id), 'the next answer');
});
