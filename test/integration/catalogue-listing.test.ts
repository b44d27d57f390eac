// The catalogue reads the repositories' listings from a real HTTP server on loopback (standing in
// for huggingface.co): exact sizes replace the estimates, a failing or garbage answer keeps them.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { CatalogueEntry } from '../../app/contract.js';
import { createCatalogue } from '../../app/services/catalogue.js';

type Mode = 'listing' | 'error' | 'garbage' | 'html';
let mode: Mode = 'listing';
const requests: string[] = [];
let server: http.Server;
let base: string;

const GB = 1e9;
const listings: Record<string, unknown[]> = {
  'Qwen/Qwen2-7B-Instruct-GGUF': [
    { type: 'file', oid: 'a', size: 1519, path: '.gitattributes' },
    { type: 'file', oid: 'b', size: 4680, path: 'README.md' },
    { type: 'file', oid: 'c', size: 134, path: 'qwen2-7b-instruct-q4_k_m.gguf', lfs: { oid: 'd', size: 4_683_073_696, pointerSize: 134 } },
    { type: 'file', oid: 'e', size: 134, path: 'qwen2-7b-instruct-q8_0.gguf', lfs: { oid: 'f', size: 8_098_525_888, pointerSize: 134 } },
  ],
  'Qwen/Qwen2-72B-Instruct-GGUF': [
    { type: 'file', oid: 'g', size: 134, path: 'qwen2-72b-instruct-q4_k_m-00001-of-00002.gguf', lfs: { oid: 'h', size: 39 * GB, pointerSize: 134 } },
    { type: 'file', oid: 'i', size: 134, path: 'qwen2-72b-instruct-q4_k_m-00002-of-00002.gguf', lfs: { oid: 'j', size: 8.4 * GB, pointerSize: 134 } },
  ],
};

before(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const m = /^\/api\/models\/(.+)\/tree\/main$/.exec(req.url ?? '');
    if (mode === 'error') return void res.writeHead(500).end('Internal error');
    if (mode === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>rate limited</html>');
    if (mode === 'garbage') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Repository not found' }));
    const listing = m ? listings[decodeURIComponent(m[1]!)] : undefined;
    if (!listing) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Repository not found"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listing));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const byId = (entries: CatalogueEntry[], id: string) => entries.find((e) => e.id === id)!;

test('exact sizes and file lists from the listing replace the estimates, once read', async () => {
  mode = 'listing';
  requests.length = 0;
  const catalogue = createCatalogue({ hfBase: `${base}/` });
  const entries = await catalogue.list();
  assert.equal(requests.length, 5, 'one listing per repository');
  assert.ok(requests.includes('/api/models/Qwen/Qwen2-7B-Instruct-GGUF/tree/main'));

  const q7 = byId(entries, 'qwen2-7b-instruct');
  assert.deepEqual(
    q7.files.map((f) => [f.quant, f.sizeBytes, f.sizeExact]),
    [['q8_0', 8_098_525_888, true], ['q4_k_m', 4_683_073_696, true]],
  );
  const q72 = byId(entries, 'qwen2-72b-instruct').files;
  assert.equal(q72.length, 1);
  assert.deepEqual(q72[0]!.parts, ['qwen2-72b-instruct-q4_k_m-00001-of-00002.gguf', 'qwen2-72b-instruct-q4_k_m-00002-of-00002.gguf']);
  assert.equal(q72[0]!.sizeBytes, 47.4 * GB);
  assert.equal(q72[0]!.uri, 'hf:Qwen/Qwen2-72B-Instruct-GGUF/qwen2-72b-instruct-q4_k_m-00001-of-00002.gguf');
  // Repositories the server does not know (404) keep their estimates.
  const q05 = byId(entries, 'qwen2-0.5b-instruct');
  assert.equal(q05.files.length, 9);
  assert.ok(q05.files.every((f) => !f.sizeExact));

  await catalogue.list();
  assert.equal(requests.length, 5, 'listings are kept in memory; the failed ones are asked again only after retryMs');
});

test('a failing server (500), garbage or HTML keeps the estimates', async () => {
  for (const m of ['error', 'garbage', 'html'] as const) {
    mode = m;
    requests.length = 0;
    const catalogue = createCatalogue({ hfBase: base, retryMs: 60_000 });
    const entries = await catalogue.list();
    assert.equal(requests.length, 5, m);
    for (const e of entries) {
      assert.equal(e.files.length, 9, `${m}: ${e.name}`);
      assert.ok(e.files.every((f) => !f.sizeExact && f.sizeBytes > 0));
    }
    await catalogue.list();
    assert.equal(requests.length, 5, `${m}: a failed listing is not asked again before retryMs`);
  }
});

test('a listing that failed is read once the server answers again (after retryMs)', async () => {
  mode = 'error';
  const catalogue = createCatalogue({ hfBase: base, retryMs: 0 });
  assert.ok((await catalogue.list()).every((e) => e.files.every((f) => !f.sizeExact)));
  mode = 'listing';
  const entries = await catalogue.list();
  assert.ok(byId(entries, 'qwen2-7b-instruct').files.every((f) => f.sizeExact));
});

test('an unreachable server keeps the estimates', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const entries = await createCatalogue({ hfBase: `http://127.0.0.1:${port}` }).list();
  assert.equal(entries.length, 5);
  assert.ok(entries.every((e) => e.files.length === 9 && e.files.every((f) => !f.sizeExact)));
});

test('QWEN2_DESK_HF_BASE is the default base', async () => {
  mode = 'listing';
  requests.length = 0;
  const saved = process.env.QWEN2_DESK_HF_BASE;
  process.env.QWEN2_DESK_HF_BASE = base;
  try {
    const entries = await createCatalogue().list();
    assert.ok(byId(entries, 'qwen2-7b-instruct').files.every((f) => f.sizeExact));
    assert.equal(requests.length, 5);
  } finally {
    if (saved === undefined) delete process.env.QWEN2_DESK_HF_BASE;
    else process.env.QWEN2_DESK_HF_BASE = saved;
  }
});
