// Fit planning through the application core with the real engine's probe: system resources, the
// plan for a library model, YaRN only above 32K, and a context that cannot run refused before loading.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { CatalogueEntry, FitPlan, LibraryModel, Message, SystemResources } from '../../app/contract.js';
import { createCore, type Core } from '../../app/core.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';

let core: Core;
let dataDir = '';
let model: LibraryModel;

async function call<T = unknown>(method: string, params: unknown = {}): Promise<T> {
  const response = await core.handle(method, params);
  if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
  return response.result as T;
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-plan-'));
  // An unreachable listing base: the catalogue must fall back to its estimates.
  core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1, downloads: { hfBase: 'http://127.0.0.1:9' } });
  const tiny = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 });
  model = await call<LibraryModel>('models.add', { path: tiny });
});
after(async () => {
  await core?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('system.resources reports the backend, memory and cores from the engine probe', async () => {
  const r = await call<SystemResources>('system.resources');
  assert.equal(r.backend, 'cpu');
  assert.ok(r.totalRam > 1024 ** 3 && r.freeRam > 0 && r.freeRam <= r.totalRam);
  assert.equal(r.cpuCores, os.availableParallelism());
});

test('models.plan: weights, KV cache and compute add up; no YaRN at 32K and below', async () => {
  const small = await call<FitPlan>('models.plan', { id: model.id, contextSize: 4096 });
  const native = await call<FitPlan>('models.plan', { id: model.id, contextSize: 32768 });
  for (const plan of [small, native]) {
    assert.equal(plan.verdict, 'cpu');
    assert.equal(plan.yarn, null);
    assert.equal(plan.totalBytes, plan.weightsBytes + plan.kvCacheBytes + plan.computeBytes);
  }
  assert.equal(native.kvCacheBytes, small.kvCacheBytes * 8, 'the KV cache grows with the context');
  assert.equal(small.maxContext, 32768);
  assert.equal(small.kvType, 'f16');
  assert.equal(small.flashAttention, true);
  const q8 = await call<FitPlan>('models.plan', { id: model.id, contextSize: 4096, kvType: 'q8_0' });
  assert.equal(q8.verdict, 'does-not-fit', 'tiny has head size 16: llama.cpp cannot quantise its KV cache');
  assert.match(q8.explanation, /head/i);
});

test('a context beyond what the model reads is refused before loading, and nothing is stored', async () => {
  const plan = await call<FitPlan>('models.plan', { id: model.id, contextSize: 65536 });
  assert.equal(plan.verdict, 'does-not-fit');
  assert.match(plan.explanation, /at most 32,768 tokens/);
  await call('models.update', { id: model.id, defaults: { contextSize: 65536 } });
  const conversation = await call<{ id: string }>('conversations.create', {});
  await assert.rejects(call('chat.send', { conversationId: conversation.id, text: 'hi', modelPath: model.path }), /does not fit.*the largest context that fits is 32,768/);
  assert.deepEqual(await call<Message[]>('messages.list', { conversationId: conversation.id }), []);
  assert.equal(core.enginePid === undefined || (await call<{ modelPath: string | null }>('engine.status')).modelPath === null, true, 'nothing was loaded');
  await call('models.update', { id: model.id, defaults: { contextSize: 2048 } });
});

test('catalogue.list: the five Qwen2 Instruct models with fit plans and a recommendation for this machine', async () => {
  const entries = await call<CatalogueEntry[]>('catalogue.list');
  assert.deepEqual(entries.map((e) => e.id).sort(), ['qwen2-0.5b-instruct', 'qwen2-1.5b-instruct', 'qwen2-57b-a14b-instruct', 'qwen2-72b-instruct', 'qwen2-7b-instruct'].sort());
  const planned = entries.flatMap((e) => e.files).filter((f) => f.fit);
  assert.ok(planned.length > 20, 'every file gets a plan');
  const huge = entries.find((e) => e.id === 'qwen2-72b-instruct')!.files.find((f) => f.quant === 'fp16')!;
  const machineRam = (await call<SystemResources>('system.resources')).totalRam;
  if (machineRam < 100 * 1024 ** 3) assert.equal(huge.fit?.verdict, 'does-not-fit');
  assert.ok(entries.some((e) => e.recommendedFile), 'something fits a machine with this much memory');
});
