// A real HTTP server on 127.0.0.1 serving files from memory, with faults on demand: drop the
// connection mid-file, ignore Range, stall, answer with an error status, throttle, omit the length.
// Paths: /files/NAME, /redirect/NAME (302 to /files/NAME) and /OWNER/REPO/resolve/main/NAME (like
// Hugging Face: 302 to /files/NAME).
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Behaviour {
  body: Buffer;
  /** Strong ETag sent with the file (default: from its SHA-256); null sends none. */
  etag?: string | null;
  lastModified?: string | null;
  /** Answer every request with this status (and no file). */
  status?: number;
  /** Serve the whole file (200) even when a Range is asked for. */
  ignoreRange?: boolean;
  /** Close the connection after this many bytes of the body, for the next `dropTimes` requests (default 1). */
  dropAfter?: number;
  dropTimes?: number;
  /** Send this many bytes of the body, then nothing more (the connection stays open). */
  stallAfter?: number;
  /** Send at about this speed. */
  bytesPerSecond?: number;
  /** Send no Content-Length (chunked encoding): the client cannot know the size. */
  chunked?: boolean;
}

export interface LoggedRequest {
  path: string;
  range: string | undefined;
  ifRange: string | undefined;
  status: number;
}

export interface FaultServer {
  base: string;
  url(name: string): string;
  set(name: string, behaviour: Behaviour): void;
  update(name: string, change: Partial<Behaviour>): void;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function send(res: http.ServerResponse, body: Buffer, b: Behaviour, dropNow: boolean): Promise<void> {
  let limit = body.length;
  if (dropNow && b.dropAfter !== undefined) limit = Math.min(limit, b.dropAfter);
  if (b.stallAfter !== undefined) limit = Math.min(limit, b.stallAfter);
  const chunk = b.bytesPerSecond ? Math.max(1024, Math.floor(b.bytesPerSecond / 20)) : 256 * 1024;
  for (let pos = 0; pos < limit && !res.destroyed; pos += chunk) {
    const piece = body.subarray(pos, Math.min(limit, pos + chunk));
    if (!res.write(piece)) {
      await new Promise<void>((r) => {
        const done = () => {
          res.off('drain', done).off('close', done);
          r();
        };
        res.on('drain', done).on('close', done);
      });
    }
    if (b.bytesPerSecond) await sleep((piece.length / b.bytesPerSecond) * 1000);
  }
  if (res.destroyed) return;
  if (dropNow && b.dropAfter !== undefined && b.dropAfter < body.length) {
    // Let the bytes reach the client, then cut the connection mid-file.
    await new Promise<void>((r) => res.write('', () => r()));
    res.socket?.destroy();
    return;
  }
  if (b.stallAfter !== undefined && b.stallAfter < body.length) return; // silence, connection held open
  res.end();
}

export async function startFaultServer(): Promise<FaultServer> {
  const files = new Map<string, Behaviour>();
  const drops = new Map<string, number>();
  const requests: LoggedRequest[] = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const log = (status: number) =>
      requests.push({ path: url.pathname, range: req.headers.range, ifRange: req.headers['if-range'] as string | undefined, status });
    const hf = /^\/[^/]+\/[^/]+\/resolve\/main\/(.+)$/.exec(url.pathname);
    const redirect = /^\/redirect\/(.+)$/.exec(url.pathname);
    if (hf || redirect) {
      log(302);
      res.writeHead(302, { location: `/files/${(hf ?? redirect)![1]}` }).end();
      return;
    }
    const name = decodeURIComponent(url.pathname.replace(/^\/files\//, ''));
    const b = files.get(name);
    if (!url.pathname.startsWith('/files/') || !b) {
      log(404);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    if (b.status) {
      log(b.status);
      res.writeHead(b.status, { 'content-type': 'text/plain' }).end(`status ${b.status}`);
      return;
    }
    const etag = b.etag === undefined ? `"${createHash('sha256').update(b.body).digest('hex').slice(0, 16)}"` : b.etag;
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/octet-stream', 'accept-ranges': b.ignoreRange ? 'none' : 'bytes' };
    if (etag) headers.etag = etag;
    if (b.lastModified) headers['last-modified'] = b.lastModified;
    let status = 200;
    let body = b.body;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    const rangeValid = range && !b.ignoreRange && (!ifRange || ifRange === etag || ifRange === b.lastModified);
    if (rangeValid) {
      const start = Number(range[1]);
      if (start >= b.body.length) {
        log(416);
        res.writeHead(416, { 'content-range': `bytes */${b.body.length}` }).end();
        return;
      }
      status = 206;
      body = b.body.subarray(start);
      headers['content-range'] = `bytes ${start}-${b.body.length - 1}/${b.body.length}`;
    }
    if (!b.chunked) headers['content-length'] = body.length;
    const left = drops.get(name) ?? 0;
    const dropNow = b.dropAfter !== undefined && left > 0;
    if (dropNow) drops.set(name, left - 1);
    log(status);
    res.writeHead(status, headers);
    void send(res, body, b, dropNow);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const set = (name: string, behaviour: Behaviour) => {
    files.set(name, behaviour);
    drops.set(name, behaviour.dropAfter !== undefined ? (behaviour.dropTimes ?? 1) : 0);
  };
  return {
    base,
    url: (name) => `${base}/files/${encodeURIComponent(name)}`,
    set,
    update(name, change) {
      const current = files.get(name);
      if (!current) throw new Error(`no file ${name}`);
      set(name, { ...current, ...change });
    },
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
