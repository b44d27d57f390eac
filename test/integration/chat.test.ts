// The application core end to end under Node: real SQLite file, real engine process on a tiny
// synthetic model, the contract's validation, and recovery from an engine killed mid-answer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { AppEvent, Message } from '../../app/contract.js';
import { createCore, type Core } from '../../app/core.js';
import { openStore } from '../../app/store/index.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';

let core: Core;
let dataDir = '';
let modelPath = '';
const events: AppEvent[] = [];

async function call<T = unknown>(method: string, params: unknown = {}): Promise<T> {
  const response = await core.handle(method, params);
  if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
  return response.result as T;
}

function nextFinished(conversationId: string): Promise<Message> {
  return new Promise((resolve) => {
    const off = core.onEvent((e) => {
      if (e.type === 'chat.finished' && e.conversationId === conversationId) {
        off();
        resolve(e.message);
      }
    });
  });
}

function deltasOf(messageId: string): string {
  return events.filter((e) => e.type === 'chat.delta' && e.messageId === messageId).map((e) => (e as { text: string }).text).join('');
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-chat-'));
  core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1 });
  core.onEvent((e) => events.push(e));
  const cached = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 });
  modelPath = path.join(core.info.modelsDir, 'tiny-qwen2.gguf');
  fs.copyFileSync(cached, modelPath);
  fs.writeFileSync(path.join(core.info.modelsDir, 'notes.gguf'), 'this is not a model');
});
after(async () => {
  await core?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the models folder lists usable GGUF files and says why others are refused', async () => {
  const models = await call<Array<{ name: string; architecture: string | null; problem: string | null }>>('models.list');
  const tiny = models.find((m) => m.name === 'tiny-qwen2.gguf');
  const junk = models.find((m) => m.name === 'notes.gguf');
  assert.equal(tiny?.architecture, 'qwen2');
  assert.equal(tiny?.problem, null);
  assert.match(junk?.problem ?? '', /not a GGUF/i);
  await assert.rejects(call('chat.send', { conversationId: 'x', text: 'hi', modelPath: path.join(core.info.modelsDir, 'notes.gguf') }), /not_found/);
});

test('a question is stored, the answer streams as deltas and is stored with its stats', async () => {
  const conversation = await call<{ id: string }>('conversations.create', {});
  const finished = nextFinished(conversation.id);
  const sent = await call<{ userMessage: Message; assistantMessage: Message }>('chat.send', {
    conversationId: conversation.id, text: 'Hello there', modelPath, sampling: { maxTokens: 10, temperature: 0 },
  });
  assert.equal(sent.assistantMessage.status, 'streaming');
  const answer = await finished;
  assert.equal(answer.status, 'done');
  assert.ok(answer.content.length > 0);
  assert.equal(answer.content, deltasOf(answer.id));
  assert.ok((answer.stats?.tokens ?? 0) > 0);
  const stored = await call<Message[]>('messages.list', { conversationId: conversation.id });
  assert.deepEqual(stored.map((m) => [m.role, m.status]), [['user', 'done'], ['assistant', 'done']]);
  assert.equal(stored[1]!.content, answer.content);
  const list = await call<Array<{ id: string; title: string }>>('conversations.list');
  assert.equal(list.find((c) => c.id === conversation.id)?.title, 'Hello there', 'titled from the first question');
});

test('kill -9 of the engine mid-answer: the partial answer is stored as interrupted, the next question works', async () => {
  const conversation = await call<{ id: string }>('conversations.create', { title: 'crash' });
  const finished = nextFinished(conversation.id);
  const sent = await call<{ assistantMessage: Message }>('chat.send', {
    conversationId: conversation.id, text: 'Write a long story', modelPath, sampling: { maxTokens: 5000, temperature: 1, seed: 5 },
  });
  while (deltasOf(sent.assistantMessage.id).length < 5) await new Promise((r) => setTimeout(r, 5));
  process.kill(core.enginePid!, 'SIGKILL');
  const answer = await finished;
  assert.equal(answer.status, 'interrupted');
  assert.match(answer.error ?? '', /stopped unexpectedly/);
  assert.ok(answer.content.length >= 5);
  assert.equal(answer.content, deltasOf(answer.id));
  assert.ok(events.some((e) => e.type === 'engine.status' && e.status.state === 'crashed'));

  const again = nextFinished(conversation.id);
  await call('chat.send', { conversationId: conversation.id, text: 'Are you back?', modelPath, sampling: { maxTokens: 4 } });
  assert.equal((await again).status, 'done');
  const stored = await call<Message[]>('messages.list', { conversationId: conversation.id });
  assert.deepEqual(stored.map((m) => m.status), ['done', 'interrupted', 'done', 'done']);
  assert.equal(stored[1]!.content, answer.content, 'the interrupted text is in SQLite');
});

test('stop keeps the partial answer as stopped', async () => {
  const conversation = await call<{ id: string }>('conversations.create', {});
  const finished = nextFinished(conversation.id);
  const sent = await call<{ assistantMessage: Message }>('chat.send', { conversationId: conversation.id, text: 'Go on and on', modelPath, sampling: { maxTokens: 5000 } });
  while (deltasOf(sent.assistantMessage.id).length < 3) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(await call('chat.stop', { conversationId: conversation.id }), { stopped: true });
  const answer = await finished;
  assert.equal(answer.status, 'stopped');
  assert.ok(answer.content.length >= 3);
});

test('invalid requests get specific errors and change nothing', async () => {
  const before = await call<unknown[]>('conversations.list');
  for (const [method, params, pattern] of [
    ['conversations.delete', {}, /invalid_request.*id/],
    ['conversations.rename', { id: 'a', title: '' }, /invalid_request/],
    ['chat.send', { conversationId: 'a', text: 'x', modelPath, sampling: { temperature: 'hot' } }, /invalid_request.*sampling\.temperature/],
    ['chat.send', { conversationId: 'a', text: 'x', modelPath, extra: 1 }, /invalid_request/],
    ['no.such.method', {}, /unknown_method/],
    ['conversations.delete', { id: 'does-not-exist' }, /not_found/],
  ] as const) {
    await assert.rejects(call(method, params), pattern);
  }
  assert.deepEqual(await call('conversations.list'), before);
});

test('a restart marks answers left streaming as interrupted and keeps their text', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-restart-')), 'db.sqlite');
  const store = openStore(file);
  const c = store.conversations.create('left behind');
  const m = store.messages.insert({ conversationId: c.id, role: 'assistant', status: 'streaming' });
  store.messages.setContent(m.id, 'half an ans');
  store.close();
  const dir = path.dirname(file);
  fs.renameSync(file, path.join(dir, 'qwen2-desk.sqlite'));
  const restarted = await createCore({ dataDir: dir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1 });
  try {
    const response = await restarted.handle('messages.list', { conversationId: c.id });
    assert.ok(response.ok);
    const [message] = (response as { result: Message[] }).result;
    assert.equal(message!.status, 'interrupted');
    assert.equal(message!.content, 'half an ans');
  } finally {
    await restarted.close();
  }
});
