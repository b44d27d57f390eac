// A document uploaded over real HTTP onto a full disk (a real tmpfs under the data folder): the
// upload answers 507 Insufficient Storage with a clear message, whether the upload itself or the
// database write finds no room, and nothing is kept; with room again the same upload works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { DocumentInfo } from '../../app/contract.js';
import { startHost, type Host } from '../../main/host/server.js';
import { filler } from '../helpers/documents.js';
import { mountSmallDisk, startDiskCore, type DiskCore, type SmallDisk } from '../helpers/full-disk.js';

let disk: SmallDisk | null = null;
let app: DiskCore | null = null;
let host: Host | null = null;
test.after(async () => {
  await host?.close();
  await app?.core.close();
  disk?.unmount();
});

function put(query: string, body: Buffer): Promise<{ status: number; message: string; json: Partial<DocumentInfo> }> {
  const port = host!.port;
  const headers = { origin: `http://127.0.0.1:${port}`, 'content-length': body.length, host: `127.0.0.1:${port}` };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: `/api/documents${query}`, method: 'PUT', headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        const json = text.startsWith('{') ? JSON.parse(text) : {};
        resolve({ status: res.statusCode ?? 0, message: json.error?.message ?? text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('an upload onto a full disk answers 507 with a clear message, and nothing is kept', { timeout: 120_000 }, async (t) => {
  disk = mountSmallDisk(t, '16m');
  if (!disk) return;
  const dataDir = path.join(disk.dir, 'data');
  app = await startDiskCore(dataDir, { disk: { reserveBytes: 1024 * 1024 } });
  host = await startHost({ core: app.core, rendererDir: path.join(dataDir, 'no-renderer') });
  const c = await app.call('conversations.create', {});
  const q = (name: string) => `?${new URLSearchParams({ token: host!.token, conversationId: c.id, name })}`;
  const body = Buffer.from(filler(6000, 3).join('\n\n')); // ~330 KB of text
  const uploads = path.join(dataDir, 'uploads');
  const left = () => (fs.existsSync(uploads) ? fs.readdirSync(uploads) : []);

  // 1. No room for the upload itself.
  disk.fill();
  const full = await put(q('notes.txt'), body);
  assert.equal(full.status, 507, full.message);
  assert.equal(full.message, 'Cannot add "notes.txt": the disk is full. Free some space and try again; nothing was kept.');
  assert.deepEqual(left(), []);

  // 2. Room for the upload, not for storing its passages and index.
  const fillerFile = path.join(disk.dir, 'filler.bin');
  fs.truncateSync(fillerFile, fs.statSync(fillerFile).size - body.length - 64 * 1024);
  const noRoom = await put(q('notes.txt'), body);
  assert.equal(noRoom.status, 507, noRoom.message);
  assert.equal(noRoom.message, 'Cannot add "notes.txt": the disk is full. Free some space and try again; nothing was kept.');
  assert.deepEqual(left(), []);

  disk.free();
  assert.deepEqual(await app.call('documents.list', { conversationId: c.id }), [], 'nothing was kept');
  const ok = await put(q('notes.txt'), body);
  assert.equal(ok.status, 200, ok.message);
  assert.equal(ok.json.name, 'notes.txt');
});
