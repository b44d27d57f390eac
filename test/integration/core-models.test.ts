// The model manager through the application core: every request validated and answered, events
// for the renderer, a loaded model (real engine process) cannot be deleted, downloads over loopback.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { AppEvent, Download, LibraryModel, Message } from '../../app/contract.js';
import { createCore, type Core } from '../../app/core.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';

let core: Core;
let dataDir = '';
let tinyPath = '';
let server: FaultServer;
const events: AppEvent[] = [];

async function call<T = unknown>(method: string, params: unknown = {}): Promise<T> {
  const response = await core.handle(method, params);
  if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
  return response.result as T;
}

function next<T extends AppEvent>(pick: (e: AppEvent) => e is T): Promise<T> {
  return new Promise((resolve) => {
    const off = core.onEvent((e) => {
      if (pick(e)) {
        off();
        resolve(e);
      }
    });
  });
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-core-models-'));
  server = await startFaultServer();
  core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1, downloads: { hfBase: server.base, stallMs: 5000 } });
  core.onEvent((e) => events.push(e));
  tinyPath = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0' });
});
after(async () => {
  await core?.close();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('models.add/inspect/update/list answer with LibraryModel and emit models.changed', async () => {
  const file = path.join(dataDir, 'outside.gguf');
  fs.copyFileSync(tinyPath, file);
  const before = events.length;
  const added = await call<LibraryModel>('models.add', { path: file });
  assert.equal(added.source, 'referenced');
  assert.ok(events.slice(before).some((e) => e.type === 'models.changed'));
  const updated = await call<LibraryModel>('models.update', { id: added.id, labels: ['test'], defaults: { contextSize: 2048, systemPrompt: 'Be brief.' } });
  assert.deepEqual(updated.defaults, { contextSize: 2048, systemPrompt: 'Be brief.' });
  assert.deepEqual((await call<LibraryModel>('models.inspect', { id: added.id })).labels, ['test']);
  assert.equal((await call<LibraryModel[]>('models.list')).length, 1);
  await assert.rejects(call('models.update', { id: added.id, defaults: { contextSize: 100 } }), /invalid_request/);
  await assert.rejects(call('models.inspect', { id: 'nope' }), /not_found/);
  await assert.rejects(call('models.add', { path: path.join(dataDir, 'none.gguf') }), /not_found: No file at/);
});

test('a model the engine has loaded is marked loaded and cannot be deleted', async () => {
  const file = path.join(core.info.modelsDir, 'loaded.gguf');
  fs.copyFileSync(tinyPath, file);
  const model = (await call<LibraryModel[]>('models.list')).find((m) => m.path === file)!;
  const conversation = await call<{ id: string }>('conversations.create');
  const finished = next((e): e is Extract<AppEvent, { type: 'chat.finished' }> => e.type === 'chat.finished');
  await call('chat.send', { conversationId: conversation.id, text: 'hi', modelPath: file, sampling: { maxTokens: 2 } });
  const message: Message = (await finished).message;
  assert.equal(message.status, 'done', message.error ?? '');
  assert.equal((await call<LibraryModel>('models.inspect', { id: model.id })).loaded, true);
  await assert.rejects(call('models.delete', { id: model.id, deleteFile: true }), /busy: loaded\.gguf is loaded in the engine/);
  assert.ok(fs.existsSync(file));
});

test('downloads.* run through the core with download.updated events and end in the library', async () => {
  server.set('core.gguf', { body: fs.readFileSync(tinyPath), bytesPerSecond: 16 * 1024 * 1024 });
  const done = next((e): e is Extract<AppEvent, { type: 'download.updated' }> => e.type === 'download.updated' && e.download.state === 'done');
  const started = await call<Download>('downloads.start', { uri: 'hf:Qwen/Core-GGUF:core.gguf' });
  assert.equal(started.state, 'downloading');
  const paused = await call<Download>('downloads.pause', { id: started.id });
  assert.equal(paused.state, 'paused');
  await call<Download>('downloads.resume', { id: started.id });
  const finished = (await done).download;
  assert.equal(finished.id, started.id);
  const model = (await call<LibraryModel[]>('models.list')).find((m) => m.id === finished.modelId);
  assert.equal(model?.source, 'downloaded');
  assert.deepEqual((await call<Download[]>('downloads.list')).map((d) => d.state), ['done']);
  await assert.rejects(call('downloads.cancel', { id: started.id }), /invalid_request: .*finished; delete the model instead/);
  await assert.rejects(call('downloads.start', { uri: 'hf:bad' }), /invalid_request/);
  await assert.rejects(call('downloads.start', { uri: 'hf:A/B/x.gguf', sha256: 'XYZ' }), /invalid_request/);
});
