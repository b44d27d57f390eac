// Answers that cannot fail the host: a plain-text reply, a raw HTTP refusal written on a socket that
// left the HTTP server (upgrade, CONNECT, a request it could not parse), and the guard that turns an
// exception in any handler, thrown or rejected, into a 500 instead of an uncaught error.
import http from 'node:http';
import type { Duplex } from 'node:stream';

export function plain(res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(body);
}

export function reportHostError(where: string, error: unknown): void {
  console.error(`Qwen2 Desk host: ${where} failed: ${(error as Error)?.stack ?? String(error)}`);
}

/** Writes a complete HTTP/1.1 refusal and closes the socket; a socket already gone is destroyed. */
export function refuseSocket(socket: Duplex, status: number, reason = ''): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = reason ? `${reason}\n` : '';
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Runs a request handler; whatever it throws or rejects with is answered 500 (or ends the reply). */
export function guard(res: http.ServerResponse, where: string, handler: () => void | Promise<void>): void {
  const fail = (error: unknown) => {
    reportHostError(where, error);
    if (res.headersSent) res.destroy();
    else plain(res, 500, 'Internal error; the host keeps running.\n', { connection: 'close' });
  };
  try {
    const done = handler();
    if (done) done.catch(fail);
  } catch (error) {
    fail(error);
  }
}

/**
 * Listeners for what the HTTP server otherwise leaves to defaults or to nobody: a request it cannot
 * parse (answered 400, 408 or 431), CONNECT (405), and an error of the listening socket itself.
 */
export function hardenServer(server: http.Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    // Only when no answer of this connection has started: a raw reply in the middle of one would corrupt it.
    const started = (socket as { _httpMessage?: http.ServerResponse })._httpMessage?.headersSent ?? false;
    if (error.code === 'ECONNRESET' || started) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    refuseSocket(socket, status);
  });
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    refuseSocket(socket, 405, 'This host is not a proxy.');
  });
  server.on('error', (error) => reportHostError('the listening socket', error));
}
