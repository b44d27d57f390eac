// The models folder is configurable (settings.update modelsDir): the library follows it at once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { AppEvent, AppInfo, AppSettings, LibraryModel } from '../../app/contract.js';
import { createCore, type Core } from '../../app/core.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';

let core: Core;
let dataDir = '';
const events: AppEvent[] = [];

async function call<T = unknown>(method: string, params: unknown = {}): Promise<T> {
  const response = await core.handle(method, params);
  if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
  return response.result as T;
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-models-dir-'));
  core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1 });
  core.onEvent((e) => events.push(e));
});
after(async () => {
  await core?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a new models folder is created, used at once, and null goes back to the default', async () => {
  const initial = await call<AppSettings>('settings.get');
  assert.equal(initial.modelsDir, path.join(dataDir, 'models'));
  const elsewhere = path.join(dataDir, 'elsewhere', 'gguf');
  const before = events.length;
  const changed = await call<AppSettings>('settings.update', { modelsDir: elsewhere });
  assert.equal(changed.modelsDir, elsewhere);
  assert.ok(fs.statSync(elsewhere).isDirectory(), 'created');
  assert.ok(events.slice(before).some((e) => e.type === 'models.changed'));
  fs.copyFileSync(await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 }), path.join(elsewhere, 'tiny.gguf'));
  const models = await call<LibraryModel[]>('models.list');
  assert.deepEqual(models.map((m) => m.path), [path.join(elsewhere, 'tiny.gguf')]);
  assert.equal((await call<AppInfo>('app.info')).modelsDir, elsewhere);

  await assert.rejects(call('settings.update', { modelsDir: 'relative/dir' }), /invalid_request: The models folder must be an absolute path/);
  assert.equal((await call<AppSettings>('settings.get')).modelsDir, elsewhere, 'a refused change changes nothing');
  const reset = await call<AppSettings>('settings.update', { modelsDir: null });
  assert.equal(reset.modelsDir, path.join(dataDir, 'models'));
  assert.deepEqual(await call<LibraryModel[]>('models.list'), []);
});
