// Downloads over real HTTP from a loopback server that misbehaves on demand: completion and
// checksums, connection loss and resume, pause/resume, ignored Range, stalls, 404, cancel, two at
// once, bad bytes. Real SQLite, real files; nothing half-written ever reaches the library.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Download } from '../../app/contract.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { filesIn, makeRig, settled, type Rig } from '../helpers/downloads.js';

let server: FaultServer;
let tiny: Buffer;
let other: Buffer;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;
const rigs: Rig[] = [];
const rig = (o: { stallMs?: number } = {}) => {
  const r = makeRig({ hfBase: server.base, ...o });
  rigs.push(r);
  return r;
};

before(async () => {
  server = await startFaultServer();
  tiny = fs.readFileSync(await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0' }));
  other = fs.readFileSync(await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q4_0' }));
});
after(async () => {
  for (const r of rigs) {
    await r.close();
    fs.rmSync(r.dir, { recursive: true, force: true });
  }
  await server.close();
});

/** The library holds exactly this downloaded file, with these bytes, and nothing else is in the folder. */
async function assertLibraryHas(r: Rig, d: Download, name: string, bytes: Buffer): Promise<void> {
  assert.equal(d.state, 'done', JSON.stringify(d));
  assert.equal(d.error, null);
  assert.deepEqual(filesIn(r.folder), [name], 'no temporary file is left');
  assert.equal(sha(fs.readFileSync(path.join(r.folder, name))), sha(bytes));
  const model = (await r.library.list()).find((m) => m.id === d.modelId);
  assert.equal(model?.source, 'downloaded');
  assert.equal(model?.problem, null);
  assert.equal(model?.summary?.architecture, 'qwen2');
}

async function assertNothingKept(r: Rig): Promise<void> {
  assert.deepEqual(filesIn(r.folder), []);
  assert.deepEqual(await r.library.list(), []);
}

test('an hf: URI downloads (through a redirect), its SHA-256 is checked and it becomes a library model', async () => {
  server.set('a.gguf', { body: tiny });
  const r = rig();
  const started = await r.downloads.start('hf:Qwen/Test-GGUF/a.gguf', sha(tiny));
  assert.equal(started.fileName, 'a.gguf');
  const done = await r.until(started.id, settled);
  await assertLibraryHas(r, done, 'a.gguf', tiny);
  assert.equal(done.receivedBytes, tiny.length);
  assert.equal(done.totalBytes, tiny.length);
  assert.ok(r.events.some((e) => e.type === 'models.changed'));
  assert.deepEqual(server.requests.filter((q) => q.path.includes('a.gguf')).map((q) => q.status), [302, 200]);
  await assert.rejects(r.downloads.start('hf:Qwen/Test-GGUF:a.gguf'), /a\.gguf is already in the models folder/);
});

test('a wrong SHA-256 fails the download and removes the file', async () => {
  server.set('b.gguf', { body: tiny });
  const r = rig();
  const d = await r.until((await r.downloads.start(server.url('b.gguf'), '0'.repeat(64))).id, settled);
  assert.equal(d.state, 'failed');
  assert.match(d.error ?? '', /^checksum mismatch: expected SHA-256 0{64}, got [0-9a-f]{64}/);
  assert.equal(d.reason, 'checksum');
  await assertNothingKept(r);
});

test('a dropped connection fails with the reason and keeps its bytes; retry continues with Range and ends with the right bytes', async () => {
  server.set('c.gguf', { body: tiny, dropAfter: 5 * MiB });
  const r = rig();
  const { id } = await r.downloads.start(server.url('c.gguf'), sha(tiny));
  const failed = await r.until(id, settled);
  assert.equal(failed.state, 'failed');
  assert.equal(failed.reason, 'connection-lost');
  assert.match(failed.error ?? '', /^connection lost to 127\.0\.0\.1:\d+ \(after .* of .*\)$/);
  assert.ok(failed.receivedBytes > MiB && failed.receivedBytes <= 5 * MiB, `${failed.receivedBytes} bytes`);
  assert.equal(filesIn(r.folder).length, 1, 'only the hidden partial file is there');
  assert.equal(fs.statSync(path.join(r.folder, filesIn(r.folder)[0]!)).size, failed.receivedBytes, 'the bytes on disk are the progress');
  assert.deepEqual(await r.library.list(), []);
  r.downloads.resume(id);
  await assertLibraryHas(r, await r.until(id, settled), 'c.gguf', tiny);
  const last = server.requests.filter((q) => q.path === '/files/c.gguf').at(-1)!;
  assert.equal(last.range, `bytes=${failed.receivedBytes}-`);
  assert.match(last.ifRange ?? '', /^"[0-9a-f]+"$/);
  assert.equal(last.status, 206);
});

test('pause stops the bytes; resume continues; progress is rate-limited with speed and ETA', async () => {
  server.set('d.gguf', { body: tiny, bytesPerSecond: 6 * MiB });
  const r = rig();
  const { id } = await r.downloads.start(server.url('d.gguf'));
  const moving = await r.until(id, (d) => d.receivedBytes >= 6 * MiB);
  assert.ok(moving.bytesPerSecond > 2 * MiB && moving.bytesPerSecond < 12 * MiB, `speed ${moving.bytesPerSecond}`);
  assert.ok(moving.etaSeconds !== null && moving.etaSeconds >= 0 && moving.etaSeconds < 10, `eta ${moving.etaSeconds}`);
  const paused = await r.downloads.pause(id);
  assert.equal(paused.state, 'paused');
  assert.equal(paused.error, null);
  const partial = path.join(r.folder, filesIn(r.folder)[0]!);
  const size = fs.statSync(partial).size;
  assert.equal(paused.receivedBytes, size);
  await new Promise((res) => setTimeout(res, 400));
  assert.equal(fs.statSync(partial).size, size, 'no byte arrives while paused');
  r.downloads.resume(id);
  await assertLibraryHas(r, await r.until(id, settled), 'd.gguf', tiny);
  const progress = r.events.filter((e) => e.type === 'download.updated' && e.download.id === id && e.download.state === 'downloading');
  const seconds = tiny.length / (6 * MiB);
  assert.ok(progress.length >= seconds * 2, `${progress.length} progress events`);
  assert.ok(progress.length <= seconds * 4 + 6, `at most ~4 a second: ${progress.length} in ${seconds.toFixed(1)} s`);
});

test('a server that ignores Range: the resume restarts from 0, says so, and the bytes are right', async () => {
  server.set('e.gguf', { body: tiny, dropAfter: 4 * MiB, ignoreRange: true });
  const r = rig();
  const { id } = await r.downloads.start(server.url('e.gguf'), sha(tiny));
  const failed = await r.until(id, settled);
  assert.equal(failed.state, 'failed');
  r.downloads.resume(id);
  const done = await r.until(id, settled);
  await assertLibraryHas(r, done, 'e.gguf', tiny);
  const notes = r.events.filter((e) => e.type === 'download.updated' && e.download.id === id && e.download.error?.includes('does not support resuming; restarted from 0'));
  assert.ok(notes.length > 0, 'the restart is reported');
  const last = server.requests.filter((q) => q.path === '/files/e.gguf').at(-1)!;
  assert.equal(last.range, `bytes=${failed.receivedBytes}-`);
  assert.equal(last.status, 200);
});

test('a file that changed on the server between pause and resume is downloaded again from 0', async () => {
  server.set('f.gguf', { body: tiny, dropAfter: 3 * MiB });
  const r = rig();
  const { id } = await r.downloads.start(server.url('f.gguf'));
  assert.equal((await r.until(id, settled)).state, 'failed');
  server.set('f.gguf', { body: other });
  r.downloads.resume(id);
  await assertLibraryHas(r, await r.until(id, settled), 'f.gguf', other);
  assert.ok(r.events.some((e) => e.type === 'download.updated' && /changed on the server.*restarted from 0/.test(e.download.error ?? '')));
});

test('a stalled server fails the download as timed out, keeping its bytes; a retry continues', async () => {
  server.set('g.gguf', { body: tiny, stallAfter: 2 * MiB });
  const r = rig({ stallMs: 400 });
  const { id } = await r.downloads.start(server.url('g.gguf'));
  const failed = await r.until(id, settled);
  assert.equal(failed.state, 'failed');
  assert.equal(failed.reason, 'timed-out');
  assert.equal(failed.error, 'timed out: no data arrived for 0.4 s (the download stalled)');
  assert.equal(failed.receivedBytes, 2 * MiB);
  server.update('g.gguf', { stallAfter: undefined });
  r.downloads.resume(id);
  await assertLibraryHas(r, await r.until(id, settled), 'g.gguf', tiny);
});

test('404, server errors and refused connections say what happened', async () => {
  const r = rig();
  const missing = await r.until((await r.downloads.start(server.url('nope.gguf'))).id, settled);
  assert.equal(missing.state, 'failed');
  assert.equal(missing.error, `HTTP 404 not found: ${server.url('nope.gguf')}`);
  assert.equal(missing.reason, 'not-found');
  server.set('h.gguf', { body: tiny, status: 503 });
  const busy = await r.until((await r.downloads.start(server.url('h.gguf'))).id, settled);
  assert.equal(busy.state, 'failed');
  assert.equal(busy.reason, 'http');
  assert.match(busy.error ?? '', /^HTTP 503 Service Unavailable from 127\.0\.0\.1:\d+$/);
  server.set('gated.gguf', { body: tiny, status: 403 });
  const gated = await r.until((await r.downloads.start(server.url('gated.gguf'))).id, settled);
  assert.equal(gated.state, 'failed');
  assert.equal(gated.reason, 'needs-access');
  assert.match(gated.error ?? '', /^HTTP 403 needs access: /);
  const refused = await r.until((await r.downloads.start('http://127.0.0.1:1/x.gguf')).id, settled);
  assert.equal(refused.state, 'failed');
  assert.equal(refused.reason, 'connection-refused');
  assert.equal(refused.error, 'connection refused by 127.0.0.1:1');
  await assert.rejects(r.downloads.start('ftp://example.com/x.gguf'), /ftp: URLs are not supported/);
  await assert.rejects(r.downloads.start(server.url('notes.txt')), /is not a \.gguf file/);
  await assertNothingKept(r);
});

test('bytes that are not a usable GGUF never enter the library', async () => {
  const r = rig();
  server.set('junk.gguf', { body: Buffer.alloc(4096, 7) });
  const junk = await r.until((await r.downloads.start(server.url('junk.gguf'))).id, settled);
  assert.equal(junk.state, 'failed');
  assert.equal(junk.error, 'not a usable GGUF file: not a GGUF file (bad magic)');
  assert.equal(junk.reason, 'not-gguf');
  server.set('cut.gguf', { body: tiny.subarray(0, 3 * MiB) });
  const cut = await r.until((await r.downloads.start(server.url('cut.gguf'))).id, settled);
  assert.equal(cut.state, 'failed');
  assert.match(cut.error ?? '', /^not a usable GGUF file: truncated/);
  await assertNothingKept(r);
});

test('cancel stops the download and removes the partial file', async () => {
  server.set('i.gguf', { body: tiny, bytesPerSecond: 8 * MiB });
  const r = rig();
  const { id } = await r.downloads.start(server.url('i.gguf'));
  await r.until(id, (d) => d.receivedBytes >= MiB);
  assert.equal(filesIn(r.folder).length, 1);
  const cancelled = await r.downloads.cancel(id);
  assert.equal(cancelled.state, 'cancelled');
  await assertNothingKept(r);
  assert.throws(() => r.downloads.resume(id), /was cancelled; start it again/);
});

test('two downloads run at once and both complete', async () => {
  server.set('j.gguf', { body: tiny, bytesPerSecond: 12 * MiB });
  server.set('k.gguf', { body: other, bytesPerSecond: 12 * MiB });
  const r = rig();
  const a = await r.downloads.start(server.url('j.gguf'));
  const b = await r.downloads.start(server.url('k.gguf'));
  await r.until(a.id, (d) => d.receivedBytes > 0 && d.state === 'downloading');
  const both = await r.until(b.id, (d) => d.receivedBytes > MiB);
  assert.equal(r.downloads.get(a.id).state, 'downloading', 'the first is still running while the second has data');
  assert.equal(both.state, 'downloading');
  const [da, db] = await Promise.all([r.until(a.id, settled), r.until(b.id, settled)]);
  assert.equal(da.state, 'done');
  assert.equal(db.state, 'done');
  assert.deepEqual(filesIn(r.folder), ['j.gguf', 'k.gguf']);
  assert.equal((await r.library.list()).length, 2);
});

test('an unresolvable host (.invalid never resolves) fails with "host not found" and never reads as paused', async () => {
  const r = rig();
  const { id } = await r.downloads.start('http://nonexistent.invalid/files/n.gguf');
  const failed = await r.until(id, settled);
  assert.equal(failed.state, 'failed');
  assert.equal(failed.reason, 'host-not-found');
  assert.match(failed.error ?? '', /^host not found: nonexistent\.invalid/);
  assert.ok(!r.events.some((e) => e.type === 'download.updated' && e.download.id === id && e.download.state === 'paused'), 'never paused');
  await assertNothingKept(r);
});

test('Retry after a failure: the loopback server is fixed and the same download completes', async () => {
  server.set('fix.gguf', { body: tiny, status: 500 });
  const r = rig();
  const { id } = await r.downloads.start(server.url('fix.gguf'), sha(tiny));
  const failed = await r.until(id, settled);
  assert.equal(failed.state, 'failed');
  assert.equal(failed.reason, 'http');
  server.update('fix.gguf', { status: undefined });
  const retried = r.downloads.resume(id);
  assert.equal(retried.id, id);
  assert.equal(retried.reason, null, 'the old reason goes when the retry starts');
  await assertLibraryHas(r, await r.until(id, (d) => d.state === 'done' || d.state === 'failed'), 'fix.gguf', tiny);
  // Starting the same file again after a failure retries that download instead of adding another.
  server.set('again.gguf', { body: tiny, status: 404 });
  const first = await r.until((await r.downloads.start(server.url('again.gguf'))).id, settled);
  assert.equal(first.reason, 'not-found');
  server.update('again.gguf', { status: undefined });
  const second = await r.downloads.start(server.url('again.gguf'));
  assert.equal(second.id, first.id);
  assert.equal((await r.until(first.id, (d) => d.state === 'done' || d.state === 'failed')).state, 'done');
  assert.ok(!r.events.some((e) => e.type === 'download.updated' && e.download.state === 'paused'), 'no failure ever reads as paused');
});
