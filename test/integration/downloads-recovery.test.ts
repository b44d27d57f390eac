// Downloads across restarts and on a full disk: a new service on the same SQLite file finds the
// download paused and resumes it with Range (after a clean stop, and after the process was killed
// with SIGKILL); a full disk (a real 1 MiB tmpfs) pauses with "the disk is full (needs X more)".
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Download } from '../../app/contract.js';
import { INTERRUPTED } from '../../app/services/downloads/service.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { filesIn, makeRig, settled } from '../helpers/downloads.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';

let server: FaultServer;
let tiny: Buffer;
const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-dlr-'));
  dirs.push(d);
  return d;
};

before(async () => {
  server = await startFaultServer();
  tiny = fs.readFileSync(await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0' }));
});
after(async () => {
  await server.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test('after a clean stop, a new service on the same database resumes the download with Range', async () => {
  server.set('r1.gguf', { body: tiny, bytesPerSecond: 8 * MiB });
  const dir = tempDir();
  const first = makeRig({ dir, hfBase: server.base });
  const { id } = await first.downloads.start(server.url('r1.gguf'), sha(tiny));
  await first.until(id, (d) => d.receivedBytes >= 2 * MiB);
  await first.close();

  server.update('r1.gguf', { bytesPerSecond: undefined });
  const second = makeRig({ dir, hfBase: server.base });
  try {
    const found = second.downloads.get(id);
    assert.equal(found.state, 'paused');
    assert.equal(found.error, null);
    assert.ok(found.receivedBytes >= 2 * MiB);
    second.downloads.resume(id);
    const done = await second.until(id, settled);
    assert.equal(done.state, 'done', JSON.stringify(done));
    assert.equal(sha(fs.readFileSync(path.join(second.folder, 'r1.gguf'))), sha(tiny));
    const last = server.requests.filter((q) => q.path === '/files/r1.gguf').at(-1)!;
    assert.equal(last.range, `bytes=${found.receivedBytes}-`);
    assert.equal(last.status, 206);
  } finally {
    await second.close();
  }
});

test('after the process was killed mid-download, the next start finds it paused and resumes it', async () => {
  server.set('r2.gguf', { body: tiny, bytesPerSecond: 6 * MiB });
  const dir = tempDir();
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../helpers/download-child.ts', import.meta.url)), dir, server.base, 'hf:Qwen/Kill-GGUF/r2.gguf'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let seen: Download | null = null;
  for await (const line of readline.createInterface({ input: child.stdout! })) {
    seen = JSON.parse(line) as Download;
    if (seen.receivedBytes >= 3 * MiB) break;
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  assert.ok(seen);

  const rig = makeRig({ dir, hfBase: server.base });
  try {
    const found = rig.downloads.get(seen.id);
    assert.equal(found.state, 'paused');
    assert.equal(found.error, INTERRUPTED);
    const partial = filesIn(rig.folder);
    assert.equal(partial.length, 1);
    assert.match(partial[0]!, /^\.r2\.gguf\..*\.part$/);
    const onDisk = fs.statSync(path.join(rig.folder, partial[0]!)).size;
    assert.ok(onDisk >= 3 * MiB);
    assert.deepEqual(await rig.library.list(), [], 'the partial file is not a model');
    server.update('r2.gguf', { bytesPerSecond: undefined });
    rig.downloads.resume(seen.id);
    const done = await rig.until(seen.id, settled);
    assert.equal(done.state, 'done', JSON.stringify(done));
    assert.equal(sha(fs.readFileSync(path.join(rig.folder, 'r2.gguf'))), sha(tiny));
    const last = server.requests.filter((q) => q.path === '/files/r2.gguf').at(-1)!;
    assert.equal(last.range, `bytes=${onDisk}-`);
    assert.equal(last.status, 206);
  } finally {
    await rig.close();
  }
});

test('a full disk fails the download with "disk full: the disk is full (needs X more)" and nothing reaches the library', async (t) => {
  const dir = tempDir();
  const small = path.join(dir, 'small-disk');
  fs.mkdirSync(small);
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small], { encoding: 'utf8' });
  if (mount.status !== 0) {
    t.skip(`cannot mount a 1 MiB tmpfs to fill up (${(mount.stderr || mount.error?.message || '').trim()}); needs root`);
    return;
  }
  const rig = makeRig({ dir, hfBase: server.base, folder: small });
  try {
    // Size known from Content-Length: refused before a byte is written.
    server.set('big.gguf', { body: tiny });
    const known = await rig.until((await rig.downloads.start(server.url('big.gguf'))).id, settled);
    assert.equal(known.state, 'failed');
    assert.equal(known.reason, 'disk-full');
    assert.match(known.error ?? '', /^disk full: the disk is full \(needs 14\.\d MiB more\); free some space and retry$/);
    assert.equal(fs.statSync(path.join(small, filesIn(small)[0] ?? 'none'), { throwIfNoEntry: false })?.size ?? 0, 0);
    await rig.downloads.cancel(known.id);

    // Size unknown (no Content-Length): the write itself fails with ENOSPC.
    server.set('chunked.gguf', { body: tiny, chunked: true });
    const unknown = await rig.until((await rig.downloads.start(server.url('chunked.gguf'))).id, settled);
    assert.equal(unknown.state, 'failed');
    assert.equal(unknown.error, 'disk full: the disk is full; free some space and retry');
    assert.deepEqual(await rig.library.list(), []);
    assert.ok(!filesIn(small).some((f) => f.endsWith('.gguf')), 'no model file appeared');
    await rig.downloads.cancel(unknown.id);
    assert.deepEqual(filesIn(small), [], 'cancel removed the partial file');
  } finally {
    await rig.close();
    spawnSync('umount', [small]);
  }
});
