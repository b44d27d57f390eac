// Serves one file of the built renderer. The caller names it by segments that the request-target
// parser has already decoded and checked; the resolved path is still checked to be inside the folder.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
};

export const HOST_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const text = (res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}) =>
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(body);

export async function serveFile(
  root: string,
  segments: readonly string[],
  req: http.IncomingMessage,
  res: http.ServerResponse,
  opts: { cache: string; missing?: { status: number; message: string } },
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return void text(res, 405, 'Only GET and HEAD are served here.\n', { allow: 'GET, HEAD' });
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  if (segments.length === 0 || !file.startsWith(base + path.sep)) return void text(res, 404, 'Not found.\n');
  let body: Buffer;
  try {
    body = await fs.promises.readFile(file);
  } catch {
    const missing = opts.missing ?? { status: 404, message: 'Not found.\n' };
    return void text(res, missing.status, missing.message);
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-security-policy': HOST_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': opts.cache,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
