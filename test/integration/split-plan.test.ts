// A split model (name-0000k-of-0000N.gguf, later parts holding only split.* keys) is one model:
// the library, models.plan through the core and `qwen2-desk models inspect` take its shape from
// part 1 and its tensors, parameters and size from all parts. (Chatting with split files made by
// llama-gguf-split itself: test/integration/llama-made-chat.test.ts.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FitPlan, LibraryModel } from '../../app/contract.js';
import { createCore, type Core } from '../../app/core.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { writeSplitModel } from '../helpers/split-model.js';

const root = path.resolve(import.meta.dirname, '..', '..');
let core: Core;
let dataDir = '';
let parts: string[] = [];

async function call<T = unknown>(method: string, params: unknown = {}): Promise<T> {
  const response = await core.handle(method, params);
  if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
  return response.result as T;
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'qwen2-desk.js'), 'models', ...args], {
      cwd: root, env: { ...process.env, QWEN2_DESK_DATA: path.join(dataDir, 'cli-data') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-split-plan-'));
  core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1 });
  parts = await writeSplitModel(core.info.modelsDir, 'tri', 3);
});
after(async () => {
  await core?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the library lists one model whose parameters and size are those of all parts', async () => {
  const [model, ...rest] = await call<LibraryModel[]>('models.list');
  assert.equal(rest.length, 0);
  assert.equal(model!.problem, null);
  assert.deepEqual(model!.parts, parts);
  assert.equal(model!.summary?.parameterCount, 3 * 128, 'each part holds one 128-element tensor');
  assert.equal(model!.sizeBytes, parts.reduce((sum, p) => sum + fs.statSync(p).size, 0));
});

test('models.plan plans a split model with the tensors of every part', async () => {
  const [model] = await call<LibraryModel[]>('models.list');
  const plan = await call<FitPlan>('models.plan', { id: model!.id, contextSize: 2048 });
  assert.equal(plan.verdict, 'cpu');
  // Weights: the three 512-byte F32 tensors (no token_embd in this skeleton model).
  assert.equal(plan.weightsBytes, 3 * 512);
  assert.equal(plan.totalBytes, plan.weightsBytes + plan.kvCacheBytes + plan.computeBytes);
});

test('models inspect PART --json reads the whole model from any of its parts', async () => {
  const size = parts.reduce((sum, p) => sum + fs.statSync(p).size, 0);
  for (const part of [parts[0]!, parts[2]!]) {
    const run = await cli(['inspect', part, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as LibraryModel;
    assert.equal(out.problem, null);
    assert.equal(out.path, parts[0]);
    assert.deepEqual(out.parts, parts);
    assert.equal(out.sizeBytes, size);
    assert.equal(out.summary?.parameterCount, 384);
    assert.equal(out.summary?.sizeBytes, size);
    assert.deepEqual(out.summary?.split, { count: 3, tensors: 3 });
  }
  const text = await cli(['inspect', parts[1]!]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /split:\s+3 parts/);
  assert.match(text.stdout, /parameters:\s+0\.0 M/);
});

test('a part replaced by another model’s part makes the model unusable, with the part named', async () => {
  const other = await writeSplitModel(dataDir, 'other', 2);
  const dir = path.join(dataDir, 'mixed');
  fs.mkdirSync(dir);
  const mixed = parts.map((p) => path.join(dir, path.basename(p)));
  fs.copyFileSync(parts[0]!, mixed[0]!);
  fs.copyFileSync(other[1]!, mixed[1]!);
  fs.copyFileSync(parts[2]!, mixed[2]!);
  const run = await cli(['inspect', mixed[0]!, '--json']);
  assert.equal(run.code, 1);
  assert.match((JSON.parse(run.stdout) as LibraryModel).problem ?? '', /tri-00002-of-00003\.gguf: part 2 of 3 says the model has 2 parts, part 1 says 3/);
  fs.rmSync(mixed[2]!);
  const missing = await cli(['inspect', mixed[0]!, '--json']);
  assert.equal(missing.code, 1);
  assert.equal((JSON.parse(missing.stdout) as LibraryModel).problem, '1 of 3 parts of this split model are missing: tri-00003-of-00003.gguf');
});
