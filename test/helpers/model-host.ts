// A loopback stand-in for Hugging Face and a file host, serving one GGUF: the repository listing of
// Qwen2-0.5B-Instruct-GGUF (its q4_k_m is this file), that file the way hf: downloads fetch it (at
// once), and /file.gguf slowly (about 1.5 MB/s, with Range) so that a download can be watched and paused.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ModelHost {
  base: string;
  /** The Range headers asked for, in order. */
  ranges: string[];
  close(): Promise<void>;
}

export async function startModelHost(file: Buffer): Promise<ModelHost> {
  const ranges: string[] = [];
  function serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api/models/Qwen/Qwen2-0.5B-Instruct-GGUF/tree/main') {
      const listing = [
        { type: 'file', path: 'README.md', size: 5000 },
        { type: 'file', path: 'qwen2-0_5b-instruct-q4_k_m.gguf', size: 134, lfs: { size: file.length } },
        { type: 'file', path: 'qwen2-0_5b-instruct-q8_0.gguf', size: 134, lfs: { size: 531_000_000 } },
      ];
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listing));
    }
    const hf = /^\/Qwen\/[^/]+\/resolve\/main\/(qwen2-0_5b-instruct-q4_k_m\.gguf)$/.exec(url.pathname);
    if (url.pathname !== '/file.gguf' && !hf) return void res.writeHead(404).end('Entry not found');
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = match ? Number(match[1]) : 0;
    if (match) ranges.push(req.headers.range!);
    const body = file.subarray(start);
    res.writeHead(match ? 206 : 200, {
      'content-type': 'application/octet-stream', 'accept-ranges': 'bytes', etag: '"file-1"', 'content-length': body.length,
      ...(match ? { 'content-range': `bytes ${start}-${file.length - 1}/${file.length}` } : {}),
    });
    // /file.gguf comes slowly (about 1.5 MB/s) so that it can be watched and paused; the hf file at once.
    const chunk = hf ? body.length : 64 * 1024;
    let pos = 0;
    const next = () => {
      if (res.destroyed) return;
      if (pos >= body.length) return void res.end();
      res.write(body.subarray(pos, pos + chunk));
      pos += chunk;
      setTimeout(next, hf ? 0 : 40);
    };
    next();
  }
  const server = http.createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ranges,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
