// One HTTP(S) GET, following redirects (Hugging Face sends files from a CDN), that can be aborted.
import http from 'node:http';
import https from 'node:https';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

export interface Opened {
  response: http.IncomingMessage;
  /** The URL that answered (after redirects). */
  finalUrl: string;
}

function once(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.get(url, { headers, signal }, resolve);
    req.once('error', reject);
  });
}

/** GET with these headers; redirects are followed with the same headers. Rejects on network errors. */
export async function openGet(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<Opened> {
  let current = new URL(url);
  const all = { 'user-agent': 'qwen2-desk', 'accept-encoding': 'identity', ...headers };
  for (let hop = 0; ; hop++) {
    const response = await once(current, all, signal);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || !location) return { response, finalUrl: current.toString() };
    response.resume();
    response.destroy();
    if (hop >= MAX_REDIRECTS) throw Object.assign(new Error(`too many redirects (more than ${MAX_REDIRECTS})`), { code: 'EREDIRECTS' });
    const next = new URL(location, current);
    if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new Error(`redirected to an unsupported URL (${next.protocol})`);
    current = next;
  }
}

/** The validator to send back in If-Range: a strong ETag, else the Last-Modified date. */
export function validatorOf(response: http.IncomingMessage): string | null {
  const etag = response.headers.etag;
  if (etag && !etag.startsWith('W/')) return etag;
  return response.headers['last-modified'] ?? null;
}

/** `bytes start-end/total` → its numbers (total null for `*`). */
export function parseContentRange(value: string | undefined): { start: number; end: number; total: number | null } | null {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (!m) return null;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? null : Number(m[3]) };
}

export function contentLength(response: http.IncomingMessage): number | null {
  const v = response.headers['content-length'];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
}
