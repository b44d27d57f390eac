// Import by upload over real HTTP (what a browser does with a dropped file): token and origin
// checks, a good file becomes a 'copied' model, bad bytes or an aborted upload leave nothing behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { AppEvent, LibraryModel } from '../../app/contract.js';
import { createCore, type Core } from '../../app/core.js';
import { startHost, type Host } from '../../main/host/server.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';

let core: Core;
let host: Host;
let dataDir = '';
let tiny: Buffer;
const events: AppEvent[] = [];

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-import-'));
  core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1 });
  core.onEvent((e) => events.push(e));
  host = await startHost({ core, rendererDir: path.join(dataDir, 'no-renderer') });
  tiny = fs.readFileSync(await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0' }));
});
after(async () => {
  await host.close();
  await core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  json: unknown;
}

function put(query: string, body: Buffer | null, opts: { origin?: string | null; method?: string; abortAfter?: number } = {}): Promise<Reply> {
  const origin = opts.origin === undefined ? `http://127.0.0.1:${host.port}` : opts.origin;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, path: `/api/import${query}`, method: opts.method ?? 'PUT', headers: { ...(origin ? { origin } : {}), 'content-length': body?.length ?? 0 } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text.startsWith('{') ? JSON.parse(text) : text }));
      },
    );
    req.on('error', reject);
    if (body && opts.abortAfter !== undefined) {
      req.write(body.subarray(0, opts.abortAfter), () => setTimeout(() => {
        req.destroy();
        resolve({ status: 0, json: null });
      }, 100));
      return;
    }
    req.end(body ?? undefined);
  });
}

const modelsDir = () => core.info.modelsDir;
const folderFiles = () => fs.readdirSync(modelsDir()).sort();
const token = () => `?token=${host.token}`;

test('an uploaded GGUF lands in the models folder as a copied model', async () => {
  const reply = await put(`${token()}&name=dropped.gguf`, tiny);
  assert.equal(reply.status, 200, JSON.stringify(reply.json));
  const model = reply.json as LibraryModel;
  assert.equal(model.name, 'dropped.gguf');
  assert.equal(model.source, 'copied');
  assert.equal(model.problem, null);
  assert.equal(model.summary?.architecture, 'qwen2');
  assert.deepEqual(folderFiles(), ['dropped.gguf']);
  assert.ok(fs.readFileSync(path.join(modelsDir(), 'dropped.gguf')).equals(tiny));
  assert.ok(events.some((e) => e.type === 'models.changed'));
  const listed = await core.handle('models.list', {});
  assert.ok(listed.ok && (listed.result as LibraryModel[]).some((m) => m.id === model.id && m.source === 'copied'));
  const clash = await put(`${token()}&name=dropped.gguf`, tiny);
  assert.equal(clash.status, 409);
  assert.match(JSON.stringify(clash.json), /already in the models folder/);
});

test('bytes that are not a usable GGUF get a 400 with the reason and leave nothing', async () => {
  const junk = await put(`${token()}&name=junk.gguf`, Buffer.alloc(5000, 3));
  assert.equal(junk.status, 400);
  assert.deepEqual(junk.json, { error: { message: 'junk.gguf is not a usable GGUF: not a GGUF file (bad magic)' } });
  const cut = await put(`${token()}&name=cut.gguf`, tiny.subarray(0, 1 << 20));
  assert.equal(cut.status, 400);
  assert.match(JSON.stringify(cut.json), /cut\.gguf is not a usable GGUF: truncated/);
  assert.deepEqual(folderFiles(), ['dropped.gguf']);
});

test('without the token, or from another origin, uploads are refused and nothing is written', async () => {
  for (const [query, origin] of [
    [`?name=a.gguf`, undefined],
    [`?token=wrong&name=a.gguf`, undefined],
    [`${token()}&name=a.gguf`, 'http://evil.example'],
    [`${token()}&name=a.gguf`, null],
  ] as const) {
    assert.equal((await put(query, tiny, { origin })).status, 403, `${query} from ${origin}`);
  }
  assert.deepEqual(folderFiles(), ['dropped.gguf']);
});

test('bad names and methods are refused', async () => {
  assert.equal((await put(`${token()}&name=..%2Fescape.gguf`, tiny)).status, 400);
  assert.equal((await put(`${token()}&name=.hidden.gguf`, tiny)).status, 400);
  const txt = await put(`${token()}&name=notes.txt`, tiny);
  assert.equal(txt.status, 400);
  assert.match(JSON.stringify(txt.json), /is not a \.gguf file/);
  assert.equal((await put(`${token()}&name=x.gguf`, null, { method: 'GET' })).status, 405);
  assert.deepEqual(folderFiles(), ['dropped.gguf']);
});

test('an upload cut off midway leaves no temporary file', async () => {
  await put(`${token()}&name=partial.gguf`, tiny, { abortAfter: 2 << 20 });
  for (let i = 0; i < 50 && folderFiles().length > 1; i++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(folderFiles(), ['dropped.gguf']);
});
