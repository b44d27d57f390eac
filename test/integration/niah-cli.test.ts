// `qwen2-desk niah` as a person runs it: the real CLI spawned with its own data folder, on the tiny
// synthetic model (random weights: the shape of the output is checked, not the answers).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';

const root = path.resolve(import.meta.dirname, '..', '..');
let dataDir = '';
let model = '';

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'niah-cli-'));
  model = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 });
});
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function niah(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'qwen2-desk.js'), 'niah', ...args, '--data', dataDir, '--threads', '1', '--backend', 'cpu'], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('--json: the model, one cell per length × depth with correct of total, and the run\'s stats; exit 0', async () => {
  const r = await niah([model, '--lengths', '256,384', '--depths', '0,1', '--samples', '2', '--max-tokens', '4', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { model: { path: string }; status: string; cells: unknown[]; stats: Record<string, number> };
  assert.equal(out.model.path, model);
  assert.equal(out.status, 'done');
  assert.deepEqual(out.cells.map((c) => Object.keys(c as object).sort()), Array(4).fill(['correct', 'depth', 'length', 'total']));
  assert.deepEqual(out.cells.map((c) => { const { length, depth, total } = c as Record<string, number>; return [length, depth, total]; }), [[256, 0, 2], [256, 1, 2], [384, 0, 2], [384, 1, 2]]);
  assert.ok(out.stats.promptTokens! > out.stats.evaluatedTokens! && out.stats.reusedTokens! > 0);
  assert.match(r.stderr, /4 cells, 8 questions, about [\d,]+ of [\d,]+ prompt tokens to evaluate/);
});

test('a table without --json; the model by its library name once added', async () => {
  const r = await niah([path.basename(model), '--lengths', '256', '--depths', '0,0.5', '--max-tokens', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^length\s+0%\s+50%$/m);
  assert.match(r.stdout, /^256\s+\d\/1\s+\d\/1$/m);
  assert.match(r.stdout, /reused from the KV cache/);
});

test('bad usage exits 2, an unknown model 1', async () => {
  const noLengths = await niah([model]);
  assert.equal(noLengths.code, 2);
  assert.match(noLengths.stderr, /needs --lengths/);
  const badDepth = await niah([model, '--lengths', '256', '--depths', '0,2']);
  assert.equal(badDepth.code, 2);
  assert.match(badDepth.stderr, /"depths.1"/);
  const notNumbers = await niah([model, '--lengths', '256,abc']);
  assert.equal(notNumbers.code, 2);
  const unknown = await niah(['no-such-model', '--lengths', '256']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /No model "no-such-model"/);
});
