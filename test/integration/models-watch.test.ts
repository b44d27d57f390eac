// The models folder is watched: a file copied into it (or deleted from it) is in models.list and
// announced with 'models.changed' without any request; the watch follows the folder named in
// Settings, survives the folder being deleted and made again, and models.rescan reads it anew.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { AppEvent, LibraryModel } from '../../app/contract.js';
import { createCore, type Core } from '../../app/core.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { watchModelsFolder } from '../../app/services/models-watch.js';

let core: Core;
let dataDir = '';
let tinyPath = '';

async function call<T = unknown>(method: string, params: unknown = {}): Promise<T> {
  const response = await core.handle(method, params);
  if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
  return response.result as T;
}

/** Resolves with the next models.changed (registered before the change that should cause it). */
function nextModelsChanged(timeoutMs = 20_000): Promise<AppEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no models.changed within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = core.onEvent((e) => {
      if (e.type !== 'models.changed') return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

/** Waits for models.changed events (no request in between) until the library holds exactly `names`. */
async function announcedUntil(names: string[], change: () => void): Promise<void> {
  const want = JSON.stringify([...names].sort());
  let event = nextModelsChanged();
  change();
  for (;;) {
    await event;
    event = nextModelsChanged();
    const listed = (await call<LibraryModel[]>('models.list')).map((m) => m.name).sort();
    if (JSON.stringify(listed) === want) {
      event.catch(() => {});
      return;
    }
  }
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-models-watch-'));
  core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1 });
  tinyPath = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 });
});
after(async () => {
  await core?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a file copied into the models folder is listed and announced without any request; deleting it too', async () => {
  const folder = core.info.modelsDir;
  assert.deepEqual(await call<LibraryModel[]>('models.list'), []);
  await announcedUntil(['copied.gguf'], () => fs.copyFileSync(tinyPath, path.join(folder, 'copied.gguf')));
  const [model] = await call<LibraryModel[]>('models.list');
  assert.equal(model?.source, 'folder');
  assert.equal(model?.problem, null, 'the whole file was there when it was checked');
  await announcedUntil([], () => fs.rmSync(path.join(folder, 'copied.gguf')));
});

test('files that are not models (temporary copies, download parts, other files) announce nothing', async () => {
  const folder = core.info.modelsDir;
  let announced = false;
  const off = core.onEvent((e) => {
    if (e.type === 'models.changed') announced = true;
  });
  fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a model');
  fs.writeFileSync(path.join(folder, 'x.gguf.part'), 'half a download');
  // A model file written after them: its announcement comes after any the others would have caused.
  await announcedUntil(['after.gguf'], () => fs.copyFileSync(tinyPath, path.join(folder, 'after.gguf')));
  off();
  assert.ok(announced);
  for (const name of ['notes.txt', 'x.gguf.part', 'after.gguf']) fs.rmSync(path.join(folder, name));
  await announcedUntil([], () => {});
});

test('a model file that is not GGUF is listed with its problem; models.rescan reads every header anew', async () => {
  const folder = core.info.modelsDir;
  await announcedUntil(['broken.gguf'], () => fs.writeFileSync(path.join(folder, 'broken.gguf'), 'not GGUF at all'));
  const [broken] = await call<LibraryModel[]>('models.list');
  assert.match(broken?.problem ?? '', /GGUF/i);
  const event = nextModelsChanged();
  const rescanned = await call<LibraryModel[]>('models.rescan');
  await event;
  assert.deepEqual(rescanned.map((m) => m.name), ['broken.gguf']);
  assert.match(await call('models.rescan', { extra: 1 }).then(() => '', (e: Error) => e.message), /^invalid_request/);
  await announcedUntil([], () => fs.rmSync(path.join(folder, 'broken.gguf')));
});

test('the watch survives the models folder being deleted and made again', async () => {
  const folder = core.info.modelsDir;
  await announcedUntil(['one.gguf'], () => fs.copyFileSync(tinyPath, path.join(folder, 'one.gguf')));
  await announcedUntil([], () => fs.rmSync(folder, { recursive: true, force: true }));
  await announcedUntil(['two.gguf'], () => {
    fs.mkdirSync(folder, { recursive: true });
    fs.copyFileSync(tinyPath, path.join(folder, 'two.gguf'));
  });
  // Once more, after the watch has been set up on the new folder.
  await announcedUntil(['three.gguf', 'two.gguf'], () => fs.copyFileSync(tinyPath, path.join(folder, 'three.gguf')));
  await announcedUntil([], () => {
    fs.rmSync(path.join(folder, 'two.gguf'));
    fs.rmSync(path.join(folder, 'three.gguf'));
  });
});

test('the watch follows the models folder named in Settings, and leaves the old one', async () => {
  const old = core.info.modelsDir;
  const elsewhere = path.join(dataDir, 'elsewhere', 'gguf');
  await call('settings.update', { modelsDir: elsewhere });
  await announcedUntil(['moved.gguf'], () => fs.copyFileSync(tinyPath, path.join(elsewhere, 'moved.gguf')));
  // A file in the old folder is no model of the library any more, and then the new one still reports.
  fs.copyFileSync(tinyPath, path.join(old, 'old.gguf'));
  await announcedUntil(['later.gguf', 'moved.gguf'], () => fs.copyFileSync(tinyPath, path.join(elsewhere, 'later.gguf')));
  await call('settings.update', { modelsDir: null });
  await announcedUntil(['old.gguf', 'back.gguf'], () => fs.copyFileSync(tinyPath, path.join(old, 'back.gguf')));
});

test('a closed watch rescans no more (core.close() closes it)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-models-watch-close-'));
  try {
    let closedScans = 0;
    const closed = watchModelsFolder({ folder: () => dir, rescan: async () => void closedScans++, debounceMs: 20 });
    closed.close();
    // A second watch on the same folder gets the same change after the closed one would have, with the
    // same quiet time started later: once it has rescanned, a still-open first watch would have too.
    let probed!: () => void;
    const done = new Promise<void>((resolve) => (probed = resolve));
    const probe = watchModelsFolder({ folder: () => dir, rescan: async () => probed(), debounceMs: 20 });
    fs.writeFileSync(path.join(dir, 'x.gguf'), 'x');
    await done;
    probe.close();
    assert.equal(closedScans, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
