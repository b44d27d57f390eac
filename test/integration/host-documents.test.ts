// Document upload over real HTTP (what a browser does with a file dropped on the chat): the same
// token, origin and Host checks as /api/import, specific refusals, a good upload becomes an attached
// document (with 'uploading' progress events), and a cancelled or broken upload leaves nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { AppEvent, DocumentInfo } from '../../app/contract.js';
import { createCore, type Core } from '../../app/core.js';
import { startHost, type Host } from '../../main/host/server.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { filler, until } from '../helpers/documents.js';

let core: Core;
let host: Host;
let dataDir = '';
let conversationId = '';
const events: AppEvent[] = [];
const uploads = () => path.join(dataDir, 'uploads');
const uploading = () => (fs.existsSync(uploads()) ? fs.readdirSync(uploads()) : []);

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-docs-host-'));
  core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1 });
  core.onEvent((e) => events.push(e));
  host = await startHost({ core, rendererDir: path.join(dataDir, 'no-renderer') });
  const created = await core.handle('conversations.create', {});
  conversationId = (created as { result: { id: string } }).result.id;
});
after(async () => {
  await host.close();
  await core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  json: { error?: { message: string } } & Partial<DocumentInfo>;
}

interface PutOptions {
  origin?: string | null;
  host?: string;
  length?: number;
  /** Send the body in pieces with pauses, calling `between` after the first piece (true: the connection is cut there). */
  slow?: { between(): boolean | void | Promise<boolean | void> };
}

function put(query: string, body: Buffer, opts: PutOptions = {}): Promise<Reply> {
  const origin = opts.origin === undefined ? `http://127.0.0.1:${host.port}` : opts.origin;
  const headers = { ...(origin ? { origin } : {}), 'content-length': opts.length ?? body.length, host: opts.host ?? `127.0.0.1:${host.port}` };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: `/api/documents${query}`, method: 'PUT', headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text.startsWith('{') ? JSON.parse(text) : { error: { message: text } } }));
    });
    req.on('error', (error) => (opts.slow ? resolve({ status: 0, json: {} }) : reject(error)));
    if (!opts.slow) return void req.end(body);
    const slow = opts.slow;
    req.write(body.subarray(0, 1024), async () => {
      if (await slow.between()) req.destroy();
      else if (!req.destroyed) req.end(body.subarray(1024));
    });
  });
}

const q = (params: Record<string, string>) => `?${new URLSearchParams({ token: host.token, conversationId, ...params })}`;
const text = Buffer.from(filler(300, 5).join('\n\n'));

test('refused without the token, from another origin or Host, and for the wrong method', async () => {
  assert.equal((await put(`?${new URLSearchParams({ token: 'wrong', conversationId, name: 'a.txt' })}`, text)).status, 403);
  assert.equal((await put(q({ name: 'a.txt' }), text, { origin: 'http://evil.example' })).status, 403);
  assert.equal((await put(q({ name: 'a.txt' }), text, { origin: null })).status, 403);
  assert.equal((await put(q({ name: 'a.txt' }), text, { host: `evil.example:${host.port}` })).status, 421);
  const get = await new Promise<number>((resolve) =>
    http.get({ host: '127.0.0.1', port: host.port, agent: false, path: `/api/documents${q({ name: 'a.txt' })}`, headers: { origin: `http://127.0.0.1:${host.port}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }),
  );
  assert.equal(get, 405);
  assert.deepEqual((await core.handle('documents.list', { conversationId }) as { result: unknown[] }).result, []);
});

test('specific refusals: the name, the type, the conversation, the size', async () => {
  const name = await put(q({ name: '../etc/passwd.txt' }), text);
  assert.deepEqual([name.status, name.json.error?.message], [400, 'Cannot add the document: the file name may not contain a path.']);
  const type = await put(q({ name: 'tool.exe' }), text);
  assert.equal(type.status, 415);
  assert.match(type.json.error!.message, /tool\.exe/);
  const gone = await put(`?${new URLSearchParams({ token: host.token, conversationId: 'nope', name: 'a.txt' })}`, text);
  assert.deepEqual([gone.status, gone.json.error?.message], [404, 'Cannot add "a.txt": the conversation does not exist (any more).']);
  const big = await put(q({ name: 'big.txt' }), text, { length: 201 * 1024 * 1024 });
  assert.equal(big.status, 413);
  assert.match(big.json.error!.message, /^Cannot add "big\.txt": it is too large; the limit is 200 MB\.$/);
});

test('an upload becomes an attached document, with upload progress; nothing stays in the upload folder', async () => {
  events.length = 0;
  const reply = await put(q({ name: 'Harbour notes.txt' }), text);
  assert.equal(reply.status, 200, JSON.stringify(reply.json));
  assert.equal(reply.json.name, 'Harbour notes.txt');
  assert.equal(reply.json.sizeBytes, text.length);
  const progress = events.filter((e) => e.type === 'document.progress' && e.name === 'Harbour notes.txt').map((e) => (e as { phase: string }).phase);
  assert.equal(progress[0], 'uploading');
  assert.ok(progress.includes('indexing'));
  assert.ok(events.some((e) => e.type === 'documents.changed' && e.conversationId === conversationId));
  const listed = (await core.handle('documents.list', { conversationId })) as { result: DocumentInfo[] };
  assert.deepEqual(listed.result.map((d) => d.name), ['Harbour notes.txt']);
  assert.deepEqual(uploading(), []);
});

test('documents.cancel stops an upload in progress; a broken upload keeps nothing', async () => {
  const before = ((await core.handle('documents.list', { conversationId })) as { result: DocumentInfo[] }).result.length;
  const cancelled = await put(q({ name: 'slow.txt' }), Buffer.from(filler(2000, 8).join('\n\n')), {
    slow: {
      async between() {
        await until('the upload to start', () => events.some((e) => e.type === 'document.progress' && e.name === 'slow.txt'));
        const r = (await core.handle('documents.cancel', { conversationId })) as { result: { cancelled: number } };
        assert.equal(r.result.cancelled, 1);
      },
    },
  });
  assert.deepEqual([cancelled.status, cancelled.json.error?.message], [409, 'Adding "slow.txt" was cancelled.']);
  await until('the temporary file to go', () => uploading().length === 0);

  const broken = await put(q({ name: 'broken.txt' }), Buffer.from(filler(2000, 9).join('\n\n')), {
    slow: { between: async () => (await until('the upload to be written', () => events.some((e) => e.type === 'document.progress' && e.name === 'broken.txt') && uploading().length > 0), true) },
  });
  assert.equal(broken.status, 0, 'the client cut the connection');
  await until('the temporary file of the broken upload to go', () => uploading().length === 0);
  assert.deepEqual(await core.handle('documents.cancel', { conversationId }), { id: 0, ok: true, result: { cancelled: 0 } }, 'nothing is still running');
  const after = ((await core.handle('documents.list', { conversationId })) as { result: DocumentInfo[] }).result.length;
  assert.equal(after, before);
});
