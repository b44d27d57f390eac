// Saving new engine settings stops the idle engine on purpose: its status says so (restartWith: what
// the next answer starts it with) instead of reading like a failure, and shows nothing of the old
// process; the next answer starts the engine with them and the note goes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { EngineStatus, Message } from '../../app/contract.js';
import { startChatCore, type ChatCore } from '../helpers/chat-core.js';

let t: ChatCore;
before(async () => {
  t = await startChatCore();
});
after(() => t?.close());

async function answer(conversationId: string, text: string): Promise<Message> {
  const finished = t.nextFinished(conversationId);
  await t.call('chat.send', { conversationId, text, modelPath: t.modelPath, sampling: { maxTokens: 2 } });
  return finished;
}

test('saving threads: stopped with restartWith {2 threads}, not the old process; the next answer runs with 2', async () => {
  const c = await t.call('conversations.create', {});
  await answer(c.id, 'warm up');
  assert.equal((await t.call('engine.status', {})).restartWith, null);

  const statuses: EngineStatus[] = [];
  const off = t.core.onEvent((e) => {
    if (e.type === 'engine.status') statuses.push(e.status);
  });
  await t.call('settings.update', { engineThreads: 2 });
  const stopped = await t.call('engine.status', {});
  assert.equal(stopped.state, 'stopped');
  assert.deepEqual(stopped.restartWith, { backend: 'cpu', threads: 2 });
  assert.deepEqual([stopped.error, stopped.backend, stopped.threads, stopped.modelPath], [null, null, null, null]);
  assert.deepEqual(statuses.at(-1)?.restartWith, { backend: 'cpu', threads: 2 }, 'announced to the renderer');

  const a = await answer(c.id, 'after the change');
  assert.equal(a.status, 'done');
  const running = await t.call('engine.status', {});
  assert.equal(running.threads, 2);
  assert.equal(running.restartWith, null);
  off();

  // Automatic threads while no engine runs yet (after the restart it is stopped again): threads null.
  await t.call('settings.update', { engineThreads: 0 });
  assert.deepEqual((await t.call('engine.status', {})).restartWith, { backend: 'cpu', threads: null });
  // Saving the same values again changes nothing.
  await t.call('settings.update', { engineThreads: 0 });
  assert.deepEqual((await t.call('engine.status', {})).restartWith, { backend: 'cpu', threads: null });
});
