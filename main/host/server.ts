// The headless host: serves the built renderer and the contract over WebSocket, on 127.0.0.1 only.
// Every API connection needs the random token from the printed URL and must come from our own
// origin; anything else is refused.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { RequestEnvelope, type ServerMessage } from '../../app/contract.js';
import type { Core } from '../../app/core.js';
import { serveStatic } from './static.js';
import { handleImport } from './upload.js';
import { handleDocumentUpload } from './document-upload.js';

export interface HostOptions {
  core: Core;
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface Host {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

export async function startHost(opts: HostOptions): Promise<Host> {
  const token = opts.token ?? crypto.randomBytes(24).toString('hex');
  // Uploaded documents wait here until attached; what a killed host left behind is removed.
  const uploadDir = path.join(opts.core.info.dataDir, 'uploads');
  await fs.promises.rm(uploadDir, { recursive: true, force: true });
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const tokenOk = (candidate: string | null) =>
    candidate !== null && candidate.length === token.length && crypto.timingSafeEqual(Buffer.from(candidate), Buffer.from(token));

  const originOk = (origin: string | undefined) => allowedHosts().some((h) => origin === `http://${h}`);

  const server = http.createServer((req, res) => {
    // A Host check defeats DNS rebinding: only our own loopback names are served.
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Wrong host.\n');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname === '/api/import' || url.pathname === '/api/documents') {
      // The same checks as the WebSocket: our own origin and the access token.
      if (!originOk(req.headers.origin) || !tokenOk(url.searchParams.get('token'))) {
        req.resume();
        res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden.\n');
        return;
      }
      if (url.pathname === '/api/import') void handleImport(req, res, url, opts.core.library);
      else void handleDocumentUpload(req, res, url, { documents: opts.core.documents, uploadDir });
      return;
    }
    const isPage = url.pathname === '/' || url.pathname === '/index.html';
    if (isPage && !tokenOk(url.searchParams.get('token'))) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Qwen2 Desk: this address needs its access token. Open the full URL printed by `npm run serve`.\n');
      return;
    }
    serveStatic(opts.rendererDir, url.pathname, req, res);
  });

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const hostOk = allowedHosts().includes(req.headers.host ?? '');
    if (url.pathname !== '/ws' || !hostOk || !originOk(req.headers.origin) || !tokenOk(url.searchParams.get('token'))) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => sockets.delete(ws));
    ws.on('message', (data, isBinary) => void answer(ws, isBinary ? null : data.toString()));
  });

  const send = (ws: WebSocket, message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  async function answer(ws: WebSocket, text: string | null) {
    let envelope: RequestEnvelope;
    try {
      const parsed = RequestEnvelope.safeParse(text === null ? undefined : JSON.parse(text));
      if (!parsed.success) throw new Error('expected {id, method, params}');
      envelope = parsed.data;
    } catch (error) {
      const why = text === null ? 'binary messages are not accepted' : (error as Error).message;
      send(ws, { id: null, ok: false, error: { code: 'invalid_request', message: `Invalid message: ${why}.` } });
      return;
    }
    const response = await opts.core.handle(envelope.method, envelope.params);
    send(ws, { ...response, id: envelope.id } as ServerMessage);
  }

  const unsubscribe = opts.core.onEvent((event) => {
    const text = JSON.stringify({ event } satisfies ServerMessage);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
