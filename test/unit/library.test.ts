// The model library over a real SQLite file and real files: folder sync, split models, add by
// reference or copy (a bad file never enters), labels and defaults, delete rules.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AppError } from '../../app/contract.js';
import { ModelLibrary } from '../../app/services/library.js';
import { openStore, type Store } from '../../app/store/index.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { writeSplitModel } from '../helpers/split-model.js';

let root = '';
let tinyPath = '';
const loaded = new Set<string>();
const open: Store[] = [];

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-library-'));
  tinyPath = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0' });
});
after(() => {
  for (const s of open) s.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function setup(name: string) {
  const dir = path.join(root, name);
  const folder = path.join(dir, 'models');
  const outside = path.join(dir, 'elsewhere');
  fs.mkdirSync(folder, { recursive: true });
  fs.mkdirSync(outside, { recursive: true });
  const store = openStore(path.join(dir, 'db.sqlite'));
  open.push(store);
  let changes = 0;
  const library = new ModelLibrary({ defaultFolder: folder, store, isLoaded: (p) => loaded.has(p), onChange: () => changes++ });
  return { dir, folder, outside, store, library, changes: () => changes };
}

const code = (c: string, re: RegExp) => (e: unknown) => e instanceof AppError && e.code === c && re.test(e.message);

test('the folder is synced: new files appear as folder models with their check, vanished ones disappear', async () => {
  const { folder, library, changes } = setup('sync');
  fs.copyFileSync(tinyPath, path.join(folder, 'tiny.gguf'));
  fs.writeFileSync(path.join(folder, 'notes.gguf'), 'not a model');
  fs.writeFileSync(path.join(folder, '.tiny2.gguf.1234.part'), 'half a download');
  fs.writeFileSync(path.join(folder, 'readme.txt'), 'hello');
  // Left by a crash mid-copy two hours ago: cleaned up. A fresh one (a copy in progress) stays.
  const stale = path.join(folder, '.old.gguf.0123abcd.copy');
  const fresh = path.join(folder, '.new.gguf.89abcdef.upload');
  fs.writeFileSync(stale, 'x');
  fs.writeFileSync(fresh, 'x');
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  fs.utimesSync(stale, twoHoursAgo, twoHoursAgo);
  const list = await library.list();
  assert.deepEqual(list.map((m) => m.name).sort(), ['notes.gguf', 'tiny.gguf']);
  assert.ok(!fs.existsSync(stale) && fs.existsSync(fresh) && fs.existsSync(path.join(folder, '.tiny2.gguf.1234.part')));
  const tiny = list.find((m) => m.name === 'tiny.gguf')!;
  assert.equal(tiny.source, 'folder');
  assert.equal(tiny.problem, null);
  assert.equal(tiny.architecture, 'qwen2');
  assert.equal(tiny.summary?.quantisation, 'Q8_0');
  assert.equal(tiny.sizeBytes, fs.statSync(tinyPath).size);
  assert.deepEqual(tiny.parts, [path.join(folder, 'tiny.gguf')]);
  assert.equal(tiny.loaded, false);
  assert.equal(list.find((m) => m.name === 'notes.gguf')!.problem, 'not a GGUF file (bad magic)');
  assert.ok(changes() > 0);
  assert.equal((await library.get(tiny.id)).id, tiny.id, 'ids are stable across listings');
  fs.rmSync(path.join(folder, 'tiny.gguf'));
  assert.deepEqual((await library.list()).map((m) => m.name), ['notes.gguf']);
  await assert.rejects(library.get(tiny.id), code('not_found', /no model with id/));
});

test('a split model is one model with all its parts; a missing part is its problem', async () => {
  const { folder, library } = setup('split');
  const parts = await writeSplitModel(folder, 'big', 3);
  const [model, ...rest] = await library.list();
  assert.equal(rest.length, 0);
  assert.equal(model!.name, 'big-00001-of-00003.gguf');
  assert.deepEqual(model!.parts, parts);
  assert.equal(model!.problem, null);
  assert.deepEqual(model!.summary?.split, { count: 3, tensors: 3 });
  assert.equal(model!.sizeBytes, parts.reduce((n, p) => n + fs.statSync(p).size, 0));
  fs.rmSync(parts[1]!);
  const [broken] = await library.list();
  assert.equal(broken!.id, model!.id);
  assert.equal(broken!.problem, '1 of 3 parts of this split model are missing: big-00002-of-00003.gguf');
  await assert.rejects(library.usable(parts[0]!), code('invalid_request', /cannot be used: 1 of 3 parts/));
  // A part that is not what its name says.
  fs.copyFileSync(tinyPath, parts[1]!);
  assert.match((await library.list())[0]!.problem ?? '', /^part 2 \(big-00002-of-00003\.gguf\): holds a whole model header/);
});

test('add by reference: used where it is, kept while its file is away, never deleted', async () => {
  const { outside, library } = setup('reference');
  const file = path.join(outside, 'mine.gguf');
  fs.copyFileSync(tinyPath, file);
  const added = await library.add(file, 'reference');
  assert.equal(added.source, 'referenced');
  assert.equal(added.path, file);
  assert.equal((await library.add(file)).id, added.id, 'adding again returns the same model');
  fs.renameSync(file, `${file}.away`);
  const away = (await library.list()).find((m) => m.id === added.id)!;
  assert.equal(away.problem, 'the file is missing (moved or deleted?)');
  fs.renameSync(`${file}.away`, file);
  assert.equal((await library.usable(file)).id, added.id);
  await library.update(added.id, { labels: ['mine'] });
  await library.remove(added.id, true);
  assert.ok(fs.existsSync(file), 'a referenced file is never deleted');
  assert.deepEqual(await library.list(), []);
  // Copying a referenced model moves it into the folder and keeps its labels.
  const again = await library.add(file, 'reference');
  await library.update(again.id, { labels: ['mine'] });
  const moved = await library.add(file, 'copy');
  assert.equal(moved.id, again.id);
  assert.equal(moved.source, 'copied');
  assert.deepEqual(moved.labels, ['mine']);
  assert.notEqual(moved.path, file);
  await library.remove(moved.id, true);
  assert.deepEqual(await library.list(), []);
});

test('add by copy: the file (every part) lands in the folder atomically; a name clash is refused', async () => {
  const { folder, outside, library } = setup('copy');
  const file = path.join(outside, 'copy-me.gguf');
  fs.copyFileSync(tinyPath, file);
  const copied = await library.add(file, 'copy');
  assert.equal(copied.source, 'copied');
  assert.equal(copied.path, path.join(folder, 'copy-me.gguf'));
  assert.ok(fs.readFileSync(copied.path).equals(fs.readFileSync(file)));
  assert.ok(fs.existsSync(file), 'the original stays');
  await assert.rejects(library.add(file, 'copy'), code('failed', /copy-me\.gguf is already in the models folder/));
  const parts = await writeSplitModel(outside, 'two', 2);
  const split = await library.add(parts[1]!, 'copy');
  assert.deepEqual(split.parts, parts.map((p) => path.join(folder, path.basename(p))));
  assert.equal(split.problem, null);
  assert.deepEqual(fs.readdirSync(folder).sort(), ['copy-me.gguf', 'two-00001-of-00002.gguf', 'two-00002-of-00002.gguf'], 'no temporary file left');
});

test('a bad file never enters the library, in either mode', async () => {
  const { folder, outside, library } = setup('bad');
  const junk = path.join(outside, 'junk.gguf');
  fs.writeFileSync(junk, Buffer.alloc(100, 1));
  for (const mode of ['copy', 'reference'] as const) {
    await assert.rejects(library.add(junk, mode), code('invalid_request', /^junk\.gguf cannot be used: not a GGUF file \(bad magic\)$/));
  }
  await assert.rejects(library.add(path.join(outside, 'none.gguf')), code('not_found', /No file at/));
  const parts = await writeSplitModel(outside, 'gap', 3);
  fs.rmSync(parts[2]!);
  await assert.rejects(library.add(parts[0]!, 'copy'), code('invalid_request', /gap-00003-of-00003\.gguf is missing: part 3 of 3/));
  assert.deepEqual(fs.readdirSync(folder), []);
  assert.deepEqual(await library.list(), []);
});

test('labels and defaults are saved per model', async () => {
  const { folder, store, library } = setup('labels');
  fs.copyFileSync(tinyPath, path.join(folder, 'tiny.gguf'));
  const [model] = await library.list();
  const updated = await library.update(model!.id, { labels: [' fast ', 'fast', 'chat'], defaults: { contextSize: 8192, sampling: { temperature: 0.2 } } });
  assert.deepEqual(updated.labels, ['fast', 'chat']);
  assert.deepEqual(updated.defaults, { contextSize: 8192, sampling: { temperature: 0.2 } });
  const again = new ModelLibrary({ defaultFolder: folder, store, isLoaded: () => false });
  assert.deepEqual((await again.get(model!.id)).labels, ['fast', 'chat']);
});

test('delete: refused while loaded, needs deleteFile for a folder model, then removes the file', async () => {
  const { folder, library } = setup('delete');
  const file = path.join(folder, 'tiny.gguf');
  fs.copyFileSync(tinyPath, file);
  const [model] = await library.list();
  loaded.add(file);
  assert.equal((await library.get(model!.id)).loaded, true);
  await assert.rejects(library.remove(model!.id, true), code('busy', /is loaded in the engine/));
  loaded.delete(file);
  await assert.rejects(library.remove(model!.id), code('invalid_request', /is in the models folder/));
  assert.ok(fs.existsSync(file));
  await library.remove(model!.id, true);
  assert.ok(!fs.existsSync(file));
  assert.deepEqual(await library.list(), []);
});

test('the setting library.folder moves the models folder', async () => {
  const { dir, store, library } = setup('setting');
  const other = path.join(dir, 'other-models');
  fs.mkdirSync(other);
  fs.copyFileSync(tinyPath, path.join(other, 'there.gguf'));
  store.settings.set('library.folder', other);
  assert.equal(library.folder(), other);
  assert.deepEqual((await library.list()).map((m) => m.path), [path.join(other, 'there.gguf')]);
});
