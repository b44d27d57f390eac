// The saved context states folder on a real disk: one file per conversation, keys that change with
// the model file, its load settings and the documents, deletion, and the bounds (the oldest go first).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { StateFiles } from '../../app/services/documents/state-files.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'state-files-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeState(states: StateFiles, id: string, bytes: number, ageMs: number): void {
  const bin = states.fileFor(id);
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  fs.writeFileSync(bin, Buffer.alloc(bytes));
  fs.writeFileSync(bin.replace(/\.bin$/, '.json'), '{}');
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(bin, when, when);
}

test('one file per conversation; odd ids become a hash, never a path', () => {
  const states = new StateFiles(path.join(dir, 'a'));
  assert.equal(states.fileFor('0b6c1f9e-4a7e-4c1b-9a43-2f0e4f7d1c11'), path.join(dir, 'a', '0b6c1f9e-4a7e-4c1b-9a43-2f0e4f7d1c11.bin'));
  const odd = states.fileFor('../../etc/passwd');
  assert.equal(path.dirname(odd), path.join(dir, 'a'));
  assert.match(path.basename(odd), /^[0-9a-f]{64}\.bin$/);
});

test('the key changes with the model file, the load settings and the documents', async () => {
  const states = new StateFiles(path.join(dir, 'b'));
  const model = path.join(dir, 'model.gguf');
  fs.writeFileSync(model, 'GGUF');
  const input = { modelPath: model, contextSize: 8192, kvType: 'f16' as const, flashAttention: true, documents: [{ id: 'd1', sha256: 'aa' }] };
  const key = await states.keyFor(input);
  assert.equal(await states.keyFor(input), key, 'stable');
  const others = [
    { ...input, contextSize: 16384 },
    { ...input, kvType: 'q8_0' as const },
    { ...input, flashAttention: false },
    { ...input, documents: [{ id: 'd1', sha256: 'bb' }] },
    { ...input, documents: [...input.documents, { id: 'd2', sha256: 'cc' }] },
  ];
  for (const other of others) assert.notEqual(await states.keyFor(other), key);
  fs.utimesSync(model, new Date(), new Date(Date.now() + 60_000));
  assert.notEqual(await states.keyFor(input), key, 'the model file changed on disk');
  await assert.rejects(states.keyFor({ ...input, modelPath: path.join(dir, 'gone.gguf') }), /ENOENT/);
});

test('invalidate deletes a conversation state and its leftovers', async () => {
  const states = new StateFiles(path.join(dir, 'c'));
  writeState(states, 'c1', 10, 0);
  fs.writeFileSync(`${states.fileFor('c1')}.loading`, 'x');
  writeState(states, 'c2', 10, 0);
  await states.invalidate('c1');
  assert.deepEqual(fs.readdirSync(states.dir).sort(), ['c2.bin', 'c2.json']);
  await states.invalidate('never-saved');
});

test('prune keeps the newest states within maxFiles and maxBytes, and removes stale temporary files', async () => {
  const states = new StateFiles(path.join(dir, 'd'), { maxFiles: 3, maxBytes: 2500 });
  writeState(states, 'newest', 1000, 1_000);
  writeState(states, 'second', 1000, 2_000);
  writeState(states, 'third', 1000, 3_000); // over 2,500 bytes together: goes
  writeState(states, 'fourth', 10, 4_000); // beyond 3 files: goes
  const stale = `${states.fileFor('x')}.tmp`;
  const fresh = `${states.fileFor('y')}.tmp`;
  fs.writeFileSync(stale, 'x');
  fs.writeFileSync(fresh, 'y');
  fs.utimesSync(stale, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
  const deleted = await states.prune();
  assert.deepEqual(deleted.map((f) => path.basename(f)).sort(), ['fourth.bin', 'third.bin', 'x.bin.tmp']);
  assert.deepEqual(fs.readdirSync(states.dir).sort(), ['newest.bin', 'newest.json', 'second.bin', 'second.json', 'y.bin.tmp']);
  assert.deepEqual(await new StateFiles(path.join(dir, 'missing')).prune(), [], 'no folder yet: nothing to do');
});
