// `qwen2-desk bench` runs bench/run.ts of the development tree as its own process, and says in one line
// that the benchmark is not there when the installation has no bench/ folder (a packaged app).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runBenchCommand } from '../../main/commands/bench.js';

const root = path.resolve(import.meta.dirname, '..', '..');

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'qwen2-desk.js'), ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('bench --help is answered by the benchmark itself, run from the tree', async () => {
  const run = await cli(['bench', '--help']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Usage: qwen2-desk bench/);
});

test("the benchmark's exit code comes back through the CLI", async () => {
  const run = await cli(['bench', '--no-such-flag']);
  assert.equal(run.code, 2);
});

test('without bench/ the command says where the benchmark is and fails', async (t) => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-no-bench-'));
  t.after(() => fs.rmSync(empty, { recursive: true, force: true }));
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
  let code: number;
  try {
    code = await runBenchCommand(['--quick'], empty);
  } finally {
    process.stderr.write = write;
  }
  assert.equal(code, 1);
  assert.match(written.join(''), /development tree.*npm run bench/);
});
