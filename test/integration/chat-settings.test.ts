// Per-conversation settings, presets and app settings through the core with the real engine:
// sampling precedence (request > conversation > preset > model > Qwen2), the system prompt that
// reaches the engine, pinning, and engine options that restart the engine once it is idle.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Message } from '../../app/contract.js';
import { createCore } from '../../app/core.js';
import { DATA_LOCATION_FILE, resolveDataDir } from '../../app/services/app-settings.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { startChatCore, type ChatCore } from '../helpers/chat-core.js';

let t: ChatCore;
const defaultDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-default-'));
before(async () => {
  t = await startChatCore({ dataLocationFile: path.join(defaultDir, DATA_LOCATION_FILE) });
});
after(async () => {
  await t?.close();
  fs.rmSync(defaultDir, { recursive: true, force: true });
});

async function answer(conversationId: string, text: string, sampling: Record<string, number> = {}): Promise<Message> {
  const finished = t.nextFinished(conversationId);
  await t.call('chat.send', { conversationId, text, modelPath: t.modelPath, sampling: { maxTokens: 3, ...sampling } });
  return finished;
}

test('presets: save, list, replace, delete; bad input changes nothing', async () => {
  const a = await t.call('presets.save', { name: ' Translator ', systemPrompt: 'Translate to French.' });
  assert.equal(a.name, 'Translator');
  const b = await t.call('presets.save', { name: 'Coder', systemPrompt: 'Write code.', sampling: { temperature: 0.2 } });
  assert.deepEqual((await t.call('presets.list', {})).map((p) => p.name), ['Translator', 'Coder']);
  const replaced = await t.call('presets.save', { id: a.id, name: 'Traducteur', systemPrompt: 'En français.' });
  assert.equal(replaced.createdAt, a.createdAt);
  assert.deepEqual((await t.call('presets.list', {})).map((p) => [p.name, p.systemPrompt]), [['Traducteur', 'En français.'], ['Coder', 'Write code.']]);
  assert.match(await t.failure('presets.save', { name: '', systemPrompt: 'x' }), /^invalid_request.*name/);
  assert.match(await t.failure('presets.save', { id: 'nope', name: 'x', systemPrompt: 'x' }), /^not_found/);
  assert.match(await t.failure('presets.save', { name: 'x', systemPrompt: 'x', sampling: { repeatPenalty: 5 } }), /^invalid_request.*sampling\.repeatPenalty/);
  await t.call('presets.delete', { id: b.id });
  assert.match(await t.failure('presets.delete', { id: b.id }), /^not_found/);
  assert.deepEqual((await t.call('presets.list', {})).map((p) => p.id), [a.id]);
  await t.call('presets.delete', { id: a.id });
});

test('sampling: request > conversation > preset > model defaults > Qwen2 defaults, as stored on the answer', async () => {
  const model = (await t.call('models.list', {})).find((m) => m.path === t.modelPath)!;
  await t.call('models.update', { id: model.id, defaults: { sampling: { temperature: 0.3, topK: 5, minP: 0.05 } } });
  const preset = await t.call('presets.save', { name: 'p', systemPrompt: 'Be brief.', sampling: { topP: 0.5, topK: 7 } });
  const c = await t.call('conversations.create', {});
  const updated = await t.call('conversations.update', { id: c.id, settings: { presetId: preset.id, sampling: { temperature: 0.9 } } });
  assert.deepEqual(updated.settings, { presetId: preset.id, sampling: { temperature: 0.9 } });
  assert.equal(updated.updatedAt, c.updatedAt, 'settings are not a use of the conversation');

  const first = await answer(c.id, 'one', { seed: 1 });
  assert.deepEqual(first.sampling, { temperature: 0.9, topP: 0.5, topK: 7, minP: 0.05, repeatPenalty: 1.05, maxTokens: 3, seed: 1 });
  const second = await answer(c.id, 'two', { temperature: 0.1, repeatPenalty: 1 });
  assert.deepEqual(second.sampling, { temperature: 0.1, topP: 0.5, topK: 7, minP: 0.05, repeatPenalty: 1, maxTokens: 3 });
  // A deleted preset no longer applies; the model's defaults and Qwen2's fill in.
  await t.call('presets.delete', { id: preset.id });
  const third = await answer(c.id, 'three');
  assert.deepEqual(third.sampling, { temperature: 0.9, topP: 0.8, topK: 5, minP: 0.05, repeatPenalty: 1.05, maxTokens: 3 });
  // Nothing set anywhere: Qwen2-Instruct's published settings.
  await t.call('models.update', { id: model.id, defaults: {} });
  const plain = await t.call('conversations.create', {});
  assert.deepEqual((await answer(plain.id, 'hi')).sampling, { temperature: 0.7, topP: 0.8, topK: 20, repeatPenalty: 1.05, maxTokens: 3 });
  assert.match(await t.failure('conversations.update', { id: c.id, settings: { sampling: { minP: 2 } } }), /^invalid_request.*settings\.sampling\.minP/);
  assert.deepEqual((await t.call('conversations.list', {})).find((x) => x.id === c.id)?.settings, updated.settings, 'a refused update changes nothing');
});

test('the system prompt that reaches the engine: conversation > preset > default (seen in the context meter)', async () => {
  const long = `${'Answer every question with great care and attention. '.repeat(8)}`;
  const preset = await t.call('presets.save', { name: 'long', systemPrompt: long });
  const withPreset = await t.call('conversations.create', {});
  await t.call('conversations.update', { id: withPreset.id, settings: { presetId: preset.id } });
  const withOwn = await t.call('conversations.create', {});
  await t.call('conversations.update', { id: withOwn.id, settings: { presetId: preset.id, systemPrompt: 'Be short.' } });
  const plain = await t.call('conversations.create', {});
  const sampling = { temperature: 0, maxTokens: 2 };
  const [a, b, c] = [await answer(withPreset.id, 'Hi', sampling), await answer(withOwn.id, 'Hi', sampling), await answer(plain.id, 'Hi', sampling)];
  const used = (m: Message) => m.stats!.contextTokens! - m.stats!.tokens;
  assert.ok(used(a) > used(c) + 60, `the preset's long prompt was sent (${used(a)} vs ${used(c)} tokens)`);
  assert.ok(Math.abs(used(b) - used(c)) < 6, `the conversation's own short prompt wins over the preset (${used(b)} vs ${used(c)})`);
});

test('pinned conversations come first; pinning is not a use', async () => {
  const older = await t.call('conversations.create', { title: 'older' });
  await new Promise((r) => setTimeout(r, 5));
  const newer = await t.call('conversations.create', { title: 'newer' });
  let list = await t.call('conversations.list', {});
  assert.ok(list.findIndex((c) => c.id === newer.id) < list.findIndex((c) => c.id === older.id));
  const pinned = await t.call('conversations.update', { id: older.id, pinned: true });
  assert.equal(pinned.pinned, true);
  list = await t.call('conversations.list', {});
  assert.equal(list[0]!.id, older.id);
  assert.ok(t.events.some((e) => e.type === 'conversation.updated' && e.conversation.id === older.id && e.conversation.pinned));
  await t.call('conversations.update', { id: older.id, pinned: false });
  list = await t.call('conversations.list', {});
  assert.ok(list.findIndex((c) => c.id === newer.id) < list.findIndex((c) => c.id === older.id));
  assert.match(await t.failure('conversations.update', { id: 'nope', pinned: true }), /^not_found/);
});

test('app settings: stored and validated; backend and threads restart the engine when idle; the data folder applies at the next start', async () => {
  const initial = await t.call('settings.get', {});
  assert.deepEqual(
    { ...initial, dataDir: undefined, modelsDir: undefined },
    { language: 'system', theme: 'system', defaultModelPath: null, engineBackend: 'cpu', engineThreads: 1, dataDir: undefined, nextDataDir: null, modelsDir: undefined },
  );
  assert.equal(initial.dataDir, t.dataDir);
  assert.equal(initial.modelsDir, path.join(t.dataDir, 'models'));
  const c = await t.call('conversations.create', {});
  await answer(c.id, 'warm up');
  assert.equal((await t.call('engine.status', {})).threads, 1);
  const pid = t.core.enginePid;

  const changed = await t.call('settings.update', { language: 'zh-CN', theme: 'dark', defaultModelPath: t.modelPath, engineThreads: 2, engineBackend: 'cpu' });
  assert.deepEqual([changed.language, changed.theme, changed.defaultModelPath, changed.engineThreads], ['zh-CN', 'dark', t.modelPath, 2]);
  assert.equal((await t.call('engine.status', {})).state, 'stopped', 'the idle engine stopped to take the new options');
  await answer(c.id, 'after the change');
  const status = await t.call('engine.status', {});
  assert.equal(status.threads, 2);
  assert.notEqual(t.core.enginePid, pid);

  for (const bad of [{ language: 'fr' }, { engineThreads: -1 }, { engineBackend: 'tpu' }, { nextDataDir: 'relative/dir' }, { theme: 'dark', extra: 1 }]) {
    assert.match(await t.failure('settings.update', bad), /^invalid_request/, JSON.stringify(bad));
  }
  assert.deepEqual(await t.call('settings.get', {}), changed, 'refused updates change nothing');

  const elsewhere = path.join(defaultDir, 'moved-data');
  assert.equal((await t.call('settings.update', { nextDataDir: elsewhere })).nextDataDir, elsewhere);
  assert.equal(resolveDataDir(defaultDir), elsewhere, 'the launcher finds the folder for the next start');
  assert.equal((await t.call('settings.get', {})).dataDir, t.dataDir, 'the folder in use does not change now');

  // The next start on the same data, without command-line options, uses the stored engine options.
  const next = await createCore({ dataDir: t.dataDir, launcher: forkLauncher, engineEntry: engineEntryFile() });
  try {
    const response = await next.handle('settings.get', {});
    assert.ok(response.ok);
    assert.deepEqual((response.result as { engineThreads: number; language: string }).engineThreads, 2);
  } finally {
    await next.close();
  }
  await t.call('settings.update', { nextDataDir: null });
  assert.equal(resolveDataDir(defaultDir), defaultDir);
});
