// The headless host: serves the built renderer and the contract over WebSocket, on 127.0.0.1 only.
// Every API connection needs the random token from the printed URL and must come from our own
// origin; anything else is refused. Every request target, plain or upgrade, goes through the one
// parser in request-target.ts before anything looks at it, and no handler's failure ends the process.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { RequestEnvelope, type ServerMessage } from '../../app/contract.js';
import type { Core } from '../../app/core.js';
import { guard, hardenServer, plain, refuseSocket, reportHostError } from './respond.js';
import { parseRequestTarget, type RequestTarget } from './request-target.js';
import { accessOk, routeRequest, type AccessChecks, type Handler, type Route } from './routes.js';
import { serveFile } from './static.js';
import { handleImport, refuseImportMethod } from './upload.js';
import { handleDocumentUpload, refuseDocumentMethod } from './document-upload.js';

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
  // A Host check defeats DNS rebinding: only our own loopback names are served.
  const hostOk = (req: http.IncomingMessage) => allowedHosts().includes(req.headers.host ?? '');
  const originOk = (req: http.IncomingMessage) => allowedHosts().some((h) => req.headers.origin === `http://${h}`);
  const tokenOk = (target: RequestTarget) => {
    const candidate = target.searchParams.get('token');
    return candidate !== null && candidate.length === token.length && crypto.timingSafeEqual(Buffer.from(candidate), Buffer.from(token));
  };
  const checks: AccessChecks = { tokenOk, originOk };

  const page: Handler = (req, res) => serveFile(opts.rendererDir, ['index.html'], req, res, {
    cache: 'no-store',
    missing: { status: 503, message: 'The renderer is not built: run `npm run build` first.\n' },
  });
  // The renderer's files are public (the page that loads them is not), and only its assets folder is.
  const asset: Handler = (req, res, target) => serveFile(opts.rendererDir, target.segments, req, res, { cache: 'max-age=300' });
  // The uploads take the same checks as the WebSocket: our own origin and the access token.
  const routes: Route[] = [
    { method: 'GET', path: '/', access: 'token', handle: page },
    { method: 'GET', path: '/index.html', access: 'token', handle: page },
    { method: 'GET', path: '/assets/:file', access: 'public', handle: asset },
    {
      method: 'PUT', path: '/api/import', access: 'token+origin', refuseMethod: refuseImportMethod,
      handle: (req, res, target) => handleImport(req, res, target, opts.core.library),
    },
    {
      method: 'PUT', path: '/api/documents', access: 'token+origin', refuseMethod: refuseDocumentMethod,
      handle: (req, res, target) => handleDocumentUpload(req, res, target, { documents: opts.core.documents, uploadDir }),
    },
    // The WebSocket itself arrives as an upgrade (below); a plain request here is told so.
    { method: '*', path: '/ws', access: 'public', handle: (_req, res) => plain(res, 426, 'Connect to /ws with a WebSocket.\n', { upgrade: 'websocket' }) },
  ];
  const route = routeRequest(routes, checks);

  const server = http.createServer((req, res) => guard(res, `${req.method} request`, () => {
    if (!hostOk(req)) return plain(res, 421, 'Wrong host.\n');
    const parsed = parseRequestTarget(req.url);
    if (!parsed.ok) return plain(res, parsed.status, `Bad request target: ${parsed.reason}.\n`);
    return route(req, res, parsed.target);
  }));

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const upgradeRefusal = (req: http.IncomingMessage): [number, string] | null => {
    if (!hostOk(req)) return [403, 'Wrong host.'];
    const parsed = parseRequestTarget(req.url);
    if (!parsed.ok) return [parsed.status, `Bad request target: ${parsed.reason}.`];
    if (parsed.target.path !== '/ws') return [404, 'Only /ws accepts a WebSocket.'];
    if (!accessOk('token+origin', checks, req, parsed.target)) return [403, 'Forbidden.'];
    return null;
  };
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // The HTTP server hands the socket over without an 'error' listener: a reset from the peer
    // would otherwise be an uncaught error.
    socket.on('error', () => socket.destroy());
    try {
      const refusal = upgradeRefusal(req);
      if (refusal) return refuseSocket(socket, ...refusal);
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
    } catch (error) {
      reportHostError('a WebSocket upgrade', error);
      refuseSocket(socket, 500);
    }
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      answer(ws, isBinary ? null : data.toString()).catch((error) => reportHostError('a WebSocket message', error));
    });
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
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  hardenServer(server);
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections, and any a peer left half-sent, would hold the close open.
      server.closeAllConnections();
      await closed;
    },
  };
}
