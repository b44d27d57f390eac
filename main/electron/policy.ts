// Pure security policy of the desktop window: the CSP and which URLs the window may go to.
// No Electron imports, so the rules are unit-tested under plain Node.

/** The Content-Security-Policy of the renderer (sent as a header; index.html carries a meta tag too). */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Response headers with our CSP replacing any Content-Security-Policy already present. */
export function withCsp(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [CSP];
  return out;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function filePath(u: URL): string {
  let p: string;
  try {
    p = decodeURIComponent(u.pathname);
  } catch {
    p = u.pathname;
  }
  // Drive letters and path case do not matter on Windows.
  return process.platform === 'win32' ? p.toLowerCase() : p;
}

/** True when `url` is the renderer's own file (any query or #fragment), and nothing else. */
export function isRendererUrl(url: string | null | undefined, rendererUrl: string): boolean {
  if (!url) return false;
  const a = parse(url);
  const b = parse(rendererUrl);
  if (!a || !b || a.protocol !== 'file:' || b.protocol !== 'file:') return false;
  return a.host === b.host && filePath(a) === filePath(b);
}

/** The URL to hand to the system browser, or null when it is not a plain http(s) link. */
export function externalUrl(url: string): string | null {
  const u = parse(url);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return null;
  if (u.username || u.password) return null;
  return u.href;
}
