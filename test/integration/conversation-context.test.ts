// A context length per conversation (conversations.update settings.contextSize): its answers run at
// it, whatever the model's default; other conversations keep the model's; documents are measured
// against it; bad values are refused and change nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Message } from '../../app/contract.js';
import { startChatCore, type ChatCore } from '../helpers/chat-core.js';

let t: ChatCore;
before(async () => {
  t = await startChatCore();
});
after(() => t?.close());

async function answer(conversationId: string, text: string): Promise<Message> {
  const finished = t.nextFinished(conversationId);
  await t.call('chat.send', { conversationId, text, modelPath: t.modelPath, sampling: { maxTokens: 2, temperature: 0 } });
  return finished;
}

test('a conversation with context length 1024 answers at 1024; one without it at the model default', async () => {
  const [model] = await t.call('models.list', {});
  await t.call('models.update', { id: model!.id, defaults: { contextSize: 2048 } });
  const own = await t.call('conversations.create', {});
  const updated = await t.call('conversations.update', { id: own.id, settings: { contextSize: 1024 } });
  assert.equal(updated.settings.contextSize, 1024);
  assert.equal((await t.call('conversations.list', {})).find((c) => c.id === own.id)?.settings.contextSize, 1024, 'stored');

  const a = await answer(own.id, 'Hello');
  assert.equal(a.status, 'done');
  assert.equal(a.stats?.contextSize, 1024);
  assert.equal((await t.call('engine.status', {})).contextSize, 1024, 'the engine runs at it');

  const other = await t.call('conversations.create', {});
  const b = await answer(other.id, 'Hello');
  assert.equal(b.stats?.contextSize, 2048, "the model's default");
  assert.equal((await t.call('engine.status', {})).contextSize, 2048);

  // Back to the model default: the setting is left out.
  await t.call('conversations.update', { id: own.id, settings: {} });
  assert.equal((await answer(own.id, 'Again')).stats?.contextSize, 2048);
  await t.call('models.update', { id: model!.id, defaults: {} });
});

test('documents of the conversation are measured against its own context length', async () => {
  const c = await t.call('conversations.create', {});
  await t.call('conversations.update', { id: c.id, settings: { contextSize: 1024 } });
  const file = path.join(t.dataDir, 'note.txt');
  fs.writeFileSync(file, 'A short note about ocelots.\n');
  await t.call('documents.attach', { conversationId: c.id, path: file, modelPath: t.modelPath });
  const [doc] = await t.call('documents.list', { conversationId: c.id, modelPath: t.modelPath });
  assert.equal(doc?.contextSize, 1024);
  await t.call('conversations.update', { id: c.id, settings: { contextSize: 8192 } });
  const [again] = await t.call('documents.list', { conversationId: c.id, modelPath: t.modelPath });
  assert.equal(again?.contextSize, 8192);
});

test('a context length out of range or not a whole number is refused and changes nothing', async () => {
  const c = await t.call('conversations.create', {});
  await t.call('conversations.update', { id: c.id, settings: { contextSize: 4096 } });
  for (const bad of [100, 511, 131073, 1024.5, -1, '1024', null]) {
    assert.match(await t.failure('conversations.update', { id: c.id, settings: { contextSize: bad } }), /^invalid_request.*contextSize/, String(bad));
  }
  assert.equal((await t.call('conversations.list', {})).find((x) => x.id === c.id)?.settings.contextSize, 4096);
});
