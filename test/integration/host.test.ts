// The headless host over real HTTP and WebSocket on loopback: token, origin and host checks,
// invalid messages, and events pushed to the browser.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { ServerMessage } from '../../app/contract.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: app.host.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    }).on('error', reject);
  });
}

function connect(query: string, origin = `http://127.0.0.1:${app.host.port}`): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${app.host.port}/ws${query}`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
  });
}

function nextMessage(ws: WebSocket, predicate: (m: ServerMessage) => boolean = () => true): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (predicate(message)) {
        ws.off('message', onMessage);
        resolve(message);
      }
    };
    ws.on('message', onMessage);
  });
}

test('listens on 127.0.0.1 only and prints a URL with a long random token', () => {
  assert.match(app.host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
});

test('the page needs the token; assets are served with a CSP; no path escapes the renderer folder', async () => {
  assert.equal((await get('/')).status, 401);
  assert.equal((await get('/?token=wrong')).status, 401);
  const page = await get(`/?token=${app.host.token}`);
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
  assert.match(page.body, /<div id="root">/);
  assert.equal((await get('/../package.json')).status, 404);
  assert.equal((await get('/%2e%2e/package.json')).status, 404);
  assert.equal((await get(`/?token=${app.host.token}`, { host: 'evil.example:80' })).status, 421, 'DNS rebinding: foreign Host refused');
});

test('WebSocket connections without the token, or from another origin, are refused', async () => {
  await assert.rejects(connect(''), /refused 403/);
  await assert.rejects(connect('?token=nope'), /refused 403/);
  await assert.rejects(connect(`?token=${app.host.token}`, 'http://evil.example'), /refused 403/);
  const ws = await connect(`?token=${app.host.token}`);
  ws.close();
});

test('invalid messages get an error, the connection and the app keep working', async () => {
  const ws = await connect(`?token=${app.host.token}`);
  try {
    const isResponse = (m: ServerMessage) => 'ok' in m;
    for (const bad of ['not json', '{"id":1}', '{"id":-1,"method":"app.info"}', JSON.stringify({ id: 2, method: 'app.info', params: {}, extra: 1 })]) {
      const reply = nextMessage(ws, isResponse);
      ws.send(bad);
      const m = await reply;
      assert.equal('ok' in m && m.ok, false, bad);
    }
    const binary = nextMessage(ws, isResponse);
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.match(JSON.stringify(await binary), /binary messages are not accepted/);
    const bad = nextMessage(ws, isResponse);
    ws.send(JSON.stringify({ id: 3, method: 'conversations.rename', params: { id: 5 } }));
    assert.match(JSON.stringify(await bad), /invalid_request/);
    const good = nextMessage(ws, isResponse);
    ws.send(JSON.stringify({ id: 4, method: 'conversations.create', params: { title: 'over ws' } }));
    const created = await good;
    assert.ok('ok' in created && created.ok && created.id === 4);
  } finally {
    ws.close();
  }
});

test('answers stream to every connected client as events carrying only the new text', async () => {
  const ws = await connect(`?token=${app.host.token}`);
  try {
    const created = nextMessage(ws, (m) => 'id' in m && m.id === 1);
    ws.send(JSON.stringify({ id: 1, method: 'conversations.create', params: {} }));
    const conversation = (await created) as { result: { id: string } };
    const finished = nextMessage(ws, (m) => 'event' in m && m.event.type === 'chat.finished');
    const deltas: string[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as ServerMessage;
      if ('event' in m && m.event.type === 'chat.delta') deltas.push(m.event.text);
    });
    ws.send(JSON.stringify({ id: 2, method: 'chat.send', params: { conversationId: conversation.result.id, text: 'hi', modelPath: app.modelPath, sampling: { maxTokens: 8 } } }));
    const done = (await finished) as { event: { message: { content: string; status: string } } };
    assert.equal(done.event.message.status, 'done');
    assert.ok(deltas.length > 0);
    assert.equal(deltas.join(''), done.event.message.content);
    assert.ok(deltas.length >= 2 && deltas.every((d) => d.length < done.event.message.content.length), 'the answer arrives in pieces, never whole');
  } finally {
    ws.close();
  }
});
