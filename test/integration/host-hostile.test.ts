// The headless host against hostile requests sent as raw bytes over TCP: after every one it still
// answers a valid tokened request, and no request without the token gets the page shell or a file
// from outside the renderer's assets.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { hostileRequests, resetRequests, type HostileRequest } from '../helpers/hostile-requests.js';
import { rawLines, rawRequest, type RawOptions, type RawReply } from '../helpers/raw-http.js';

let app: TestApp;
// The host runs in this process: an error it leaves uncaught is what would end a real host. Every
// request races it, so that such an error fails the test at once instead of leaving it waiting.
const hostCrash = new Promise<never>((_resolve, reject) => {
  process.on('uncaughtException', (error) => reject(new Error(`the host threw: ${error.stack}`)));
  process.on('unhandledRejection', (error) => reject(new Error(`the host left a rejection unhandled: ${(error as Error)?.stack ?? error}`)));
});
hostCrash.catch(() => {});
const orCrash = <T>(work: Promise<T>): Promise<T> => Promise.race([work, hostCrash]);
const send = (bytes: string | Buffer, opts?: RawOptions) => orCrash(rawRequest(app.host.port, bytes, opts));

before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

const SHELL = '<div id="root">';
// Content that lives outside the renderer's folder: the project's package.json and the system's users.
const OUTSIDE = ['"name": "qwen2-desk"', 'root:x:0:0'];

function get(path: string): Promise<{ status: number; body: string }> {
  return orCrash(new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: app.host.port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  }));
}

async function assertAlive(after: string) {
  const page = await get(`/?token=${app.host.token}`).catch((error: Error) => ({ status: 0, body: error.message }));
  assert.equal(page.status, 200, `the host no longer answers after ${after}: ${page.body}`);
  assert.ok(page.body.includes(SHELL), `the page shell after ${after}`);
}

function assertRefused(request: HostileRequest, reply: RawReply) {
  const what = `${request.name} → ${reply.text.slice(0, 80)}`;
  assert.ok(reply.status !== 200 && reply.status !== 101, `answered ${reply.status}: ${what}`);
  assert.ok(!reply.text.includes(SHELL), `the page shell was served without the token: ${what}`);
  for (const secret of OUTSIDE) assert.ok(!reply.text.includes(secret), `a file outside the renderer was served: ${what}`);
}

test('a corpus of hostile requests: each is refused, and the host answers after each', { timeout: 300_000 }, async () => {
  const corpus = hostileRequests(app.host.port, app.host.token);
  assert.ok(corpus.length > 400, `the corpus has ${corpus.length} requests`);
  for (const request of corpus) {
    const reply = await send(request.bytes, request.opts);
    assertRefused(request, reply);
    await assertAlive(request.name);
  }
});

test('requests cut off by a TCP reset before their answer is written do not take the host down', { timeout: 120_000 }, async () => {
  const corpus = resetRequests(app.host.port, app.host.token);
  for (let i = 0; i < corpus.length; i += 10) {
    await Promise.all(corpus.slice(i, i + 10).map((r) => send(r.bytes, r.opts)));
    await assertAlive(corpus[i].name);
  }
});

test('invalid request targets get a specific 400 or 404, with a reason, never a 500', async () => {
  const host = `Host: 127.0.0.1:${app.host.port}`;
  const cases: [string, number][] = [
    ['/%00', 400], ['/assets/%00.js', 400], ['//[', 400], ['http://[', 400], ['/%zz', 400], ['/%ff', 400],
    ['/%69ndex.html', 401], ['/index.html/', 404], ['/index%2ehtml', 401], ['/%2e%2e/package.json', 404], ['/..%2fpackage.json', 404],
    ['/%252e%252e/package.json', 404], ['/nothing-here', 404], ['/assets/nothing.js', 404], ['/ws', 426],
  ];
  for (const [target, status] of cases) {
    const reply = await send(rawLines(`GET ${target} HTTP/1.1`, [host, 'Connection: close']));
    assert.equal(reply.status, status, `${target}: ${reply.text.slice(0, 200)}`);
    if (status === 400) assert.match(reply.text, /Bad request target: [a-z].+\.\n/, target);
  }
});

test('the page shell is served, under each of its names, only with the token; the assets it loads are served', async () => {
  const token = app.host.token;
  for (const path of [`/?token=${token}`, `/index.html?token=${token}`, `/%69ndex.html?token=${token}`]) {
    const page = await get(path);
    assert.equal(page.status, 200, path);
    assert.ok(page.body.includes(SHELL), path);
  }
  const page = await get(`/?token=${token}`);
  const assets = [...page.body.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  assert.ok(assets.length >= 2, 'the shell loads its script and style');
  for (const asset of assets) assert.equal((await get(`/${asset}`)).status, 200, asset);
  assert.equal((await get(`/${assets[0]}/`)).status, 404, 'a file is not a folder');
  assert.equal((await get('/assets')).status, 404, 'the folder itself is not listed');
});

test('a tokened WebSocket still connects after the corpus, and an upgrade on any other path is refused', async () => {
  const host = `Host: 127.0.0.1:${app.host.port}`;
  const origin = `Origin: http://127.0.0.1:${app.host.port}`;
  const upgrade = ['Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'];
  const ok = await send(rawLines(`GET /ws?token=${app.host.token} HTTP/1.1`, [host, origin, ...upgrade]));
  assert.equal(ok.status, 101, ok.text);
  for (const [target, status] of [['/ws/', 404], ['/?token=T', 404], ['/%00', 400], ['http://[', 400], ['/ws', 403]] as const) {
    const reply = await send(rawLines(`GET ${target.replace('T', app.host.token)} HTTP/1.1`, [host, origin, ...upgrade]));
    assert.equal(reply.status, status, `${target}: ${reply.text}`);
  }
});
