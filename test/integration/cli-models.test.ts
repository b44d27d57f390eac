// `qwen2-desk models …` as a person runs it: the real CLI spawned with its own data folder.
// inspect works on any file without the library; import/list/rm go through the library; pull
// downloads from a loopback server, Ctrl-C pauses it and running it again resumes it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Download, LibraryModel } from '../../app/contract.js';
import { openStore } from '../../app/store/index.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';

const root = path.resolve(import.meta.dirname, '..', '..');
let dataDir = '';
let tinyPath = '';
let server: FaultServer;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `onStdout` may return true to send Ctrl-C (SIGINT). */
function cli(args: string[], onStdout?: (text: string) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'qwen2-desk.js'), 'models', ...args], {
      cwd: root,
      env: { ...process.env, QWEN2_DESK_DATA: dataDir, QWEN2_DESK_HF_BASE: server.base },
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (c) => {
      stdout += c;
      if (!interrupted && onStdout?.(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-cli-'));
  tinyPath = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0' });
  server = await startFaultServer();
});
after(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('models inspect FILE --json reads any file header, without the library', async () => {
  const run = await cli(['inspect', tinyPath, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as LibraryModel;
  assert.equal(out.problem, null);
  assert.equal(out.summary?.architecture, 'qwen2');
  assert.equal(out.summary?.quantisation, 'Q8_0');
  assert.equal(out.sizeBytes, fs.statSync(tinyPath).size);
  assert.deepEqual(fs.readdirSync(dataDir), [], 'no database or folder was created');
  const junk = path.join(dataDir, '..', `junk-${process.pid}.gguf`);
  fs.writeFileSync(junk, 'GGUF but not really');
  const bad = await cli(['inspect', junk, '--json']);
  fs.rmSync(junk);
  assert.equal(bad.code, 1);
  assert.match((JSON.parse(bad.stdout) as LibraryModel).problem ?? '', /GGUF version|truncated|not a GGUF/);
});

test('import, list, inspect and rm go through the library', async () => {
  const outside = path.join(dataDir, 'elsewhere');
  fs.mkdirSync(outside, { recursive: true });
  const refFile = path.join(outside, 'ref.gguf');
  fs.copyFileSync(tinyPath, refFile);
  const ref = await cli(['import', refFile, '--json']);
  assert.equal(ref.code, 0, ref.stderr);
  assert.equal((JSON.parse(ref.stdout) as LibraryModel).source, 'referenced');
  const otherFile = path.join(outside, 'other.gguf');
  fs.copyFileSync(tinyPath, otherFile);
  const copy = await cli(['import', otherFile, '--copy']);
  assert.equal(copy.code, 0, copy.stderr);
  assert.match(copy.stdout, /^Added other\.gguf \(copied\) as model [0-9a-f-]{36}\.$/m);
  const list = JSON.parse((await cli(['list', '--json'])).stdout) as LibraryModel[];
  assert.deepEqual(list.map((m) => m.source).sort(), ['copied', 'referenced']);
  const table = await cli(['list']);
  assert.match(table.stdout, /^ID\s+NAME\s+SIZE\s+QUANT\s+ARCH\s+SOURCE\s+STATUS$/m);
  const copied = list.find((m) => m.source === 'copied')!;
  const text = await cli(['inspect', copied.id.slice(0, 8)]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /quantisation:\s+Q8_0/);
  const refused = await cli(['rm', copied.id]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /is in the models folder/);
  assert.equal((await cli(['rm', copied.id, '--delete-file'])).code, 0);
  assert.ok(!fs.existsSync(copied.path));
  const referenced = list.find((m) => m.source === 'referenced')!;
  assert.equal((await cli(['rm', referenced.id, '--delete-file', '--json'])).code, 0);
  assert.ok(fs.existsSync(refFile), 'a referenced file is never deleted');
  assert.deepEqual(JSON.parse((await cli(['list', '--json'])).stdout), []);
  const missing = await cli(['rm', 'nope']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No model "nope" in the library/);
});

test('pull shows progress; Ctrl-C pauses it; running it again resumes and completes', async () => {
  const bytes = fs.readFileSync(tinyPath);
  server.set('pulled.gguf', { body: bytes, bytesPerSecond: 4 * 1024 * 1024 });
  const first = await cli(['pull', 'hf:Qwen/CLI-GGUF/pulled.gguf'], (out) => /pulled\.gguf: downloading [1-9]/.test(out));
  assert.equal(first.code, 130, first.stderr);
  assert.match(first.stdout, /Paused at .* of 15\.6 MiB\. Run the same command again to resume\./);
  const store = openStore(path.join(dataDir, 'qwen2-desk.sqlite'));
  const [row] = store.downloads.list();
  store.close();
  assert.equal(row?.state, 'paused');
  assert.ok(row.receivedBytes > 0 && row.receivedBytes < bytes.length);

  server.update('pulled.gguf', { bytesPerSecond: undefined });
  const second = await cli(['pull', 'hf:Qwen/CLI-GGUF/pulled.gguf', '--sha256', sha(bytes), '--json']);
  assert.equal(second.code, 0, second.stderr);
  const done = JSON.parse(second.stdout) as Download;
  assert.equal(done.state, 'done');
  assert.equal(done.id, row.id, 'the same download was resumed');
  assert.equal(sha(fs.readFileSync(path.join(dataDir, 'models', 'pulled.gguf'))), sha(bytes));
  const ranged = server.requests.filter((q) => q.path === '/files/pulled.gguf').at(-1)!;
  assert.equal(ranged.status, 206);
  const list = JSON.parse((await cli(['list', '--json'])).stdout) as LibraryModel[];
  assert.equal(list.find((m) => m.id === done.modelId)?.source, 'downloaded');
});
