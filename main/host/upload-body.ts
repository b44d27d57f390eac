// What every upload route shares: its JSON answers ({error: {message}} for a refusal), a refusal
// before the body is read, and streaming the body to a file (never held in memory) with an optional
// byte limit, a byte count per chunk and cancellation.
import fs from 'node:fs';
import type http from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export function replyJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function refuseJson(res: http.ServerResponse, status: number, message: string): void {
  replyJson(res, status, { error: { message } });
}

/**
 * Refuses before the body is read; the body is read to its end and dropped so the client gets the
 * answer. `close`: the connection closes after the answer instead of being reused.
 */
export function refuseUnread(req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string, opts: { close?: boolean; allow?: string } = {}): void {
  if (opts.close) res.setHeader('connection', 'close');
  if (opts.allow) res.setHeader('allow', opts.allow);
  req.resume();
  refuseJson(res, status, message);
}

/** The length the client declared, or null (chunked, or not a number). */
export function declaredLength(req: http.IncomingMessage): number | null {
  const declared = Number(req.headers['content-length'] ?? NaN);
  return Number.isFinite(declared) ? declared : null;
}

export interface ReceiveOptions {
  /** Called after each chunk with the bytes received so far. */
  onBytes?(received: number): void;
  /** More bytes than this fail the upload with `error()`. */
  limit?: { bytes: number; error(): Error };
  /** Aborting it fails the upload with `error()`. */
  cancel?: { signal: AbortSignal; error(): Error };
  /**
   * When writing fails: read the rest of the body and drop it, so that the answer that says why still
   * reaches the client (true, for bodies of bounded size), or cut the connection (false).
   */
  drainOnFailure: boolean;
}

/** Streams the request body into a new file (`wx`: it must not exist); resolves with its size. */
export async function receiveBody(req: http.IncomingMessage, file: string, opts: ReceiveOptions): Promise<number> {
  let received = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (opts.limit && received > opts.limit.bytes) return done(opts.limit.error());
      opts.onBytes?.(received);
      done(null, chunk);
    },
  });
  // The request is not part of the pipeline: what happens to it when writing stops is drainOnFailure's choice.
  const written = pipeline(meter, fs.createWriteStream(file, { flags: 'wx' }));
  const cancel = opts.cancel;
  const onAbort = () => meter.destroy(cancel!.error());
  cancel?.signal.addEventListener('abort', onAbort, { once: true });
  if (cancel?.signal.aborted) onAbort();
  const onClose = () => !req.complete && meter.destroy(new Error('the connection was closed'));
  req.on('close', onClose);
  req.pipe(meter);
  try {
    await written;
    return received;
  } catch (error) {
    if (!opts.drainOnFailure) req.destroy();
    throw error;
  } finally {
    cancel?.signal.removeEventListener('abort', onAbort);
    req.off('close', onClose);
    req.unpipe(meter);
    if (opts.drainOnFailure) req.resume();
  }
}
