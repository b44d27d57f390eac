// The one parser of HTTP request targets, for plain requests and WebSocket upgrades alike. A target
// is accepted only in origin form ('/path?query'); each path segment is percent-decoded exactly once,
// and whatever could name another file than it seems to is refused: dot segments, empty segments
// (`//`, a trailing `/`), encoded slashes or backslashes, a `%` still there after decoding (double
// encoding), control characters. What passes is a normalised path (its segments joined by `/`),
// which routes compare as plain strings and file serving can trust.

export interface RequestTarget {
  /** '/' or '/seg/seg', every segment decoded and safe as a file name. */
  path: string;
  segments: string[];
  searchParams: URLSearchParams;
}

export interface TargetRefusal {
  status: 400 | 404 | 414;
  reason: string;
}

export type ParsedTarget = { ok: true; target: RequestTarget } | ({ ok: false } & TargetRefusal);

/** Longer paths are refused: the longest the renderer's files need is well under 200 characters. */
export const MAX_PATH_LENGTH = 2048;

// RFC 3986 `pchar` and '/': unreserved, sub-delims, ':' and '@', and '%' (whose escapes are checked below).
const RAW_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
const CONTROL = /[\u0000-\u001f\u007f]/;

const refuse = (status: TargetRefusal['status'], reason: string): ParsedTarget => ({ ok: false, status, reason });

export function parseRequestTarget(raw: string | undefined): ParsedTarget {
  if (!raw || !raw.startsWith('/')) return refuse(400, 'only a path is accepted as the request target (no absolute URL, authority or *)');
  if (raw.includes('#')) return refuse(400, 'a request target has no fragment');
  const queryAt = raw.indexOf('?');
  const rawPath = queryAt === -1 ? raw : raw.slice(0, queryAt);
  if (rawPath.length > MAX_PATH_LENGTH) return refuse(414, 'the path is too long');
  if (!RAW_PATH.test(rawPath)) return refuse(400, 'the path holds a character that must be percent-encoded');
  if (BAD_ESCAPE.test(rawPath)) return refuse(400, 'the path holds a malformed percent escape');
  let segments: string[];
  try {
    segments = rawPath === '/' ? [] : rawPath.slice(1).split('/').map(decodeURIComponent);
  } catch {
    return refuse(400, 'the path does not decode to UTF-8 text');
  }
  if (segments.some((s) => CONTROL.test(s))) return refuse(400, 'the path holds a control character');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return refuse(404, 'the path has an empty or dot segment');
  if (segments.some((s) => /[/\\%]/.test(s))) return refuse(404, 'the path has an encoded separator or is encoded twice');
  const searchParams = new URLSearchParams(queryAt === -1 ? '' : raw.slice(queryAt + 1));
  for (const [key, value] of searchParams) {
    // A NUL is never part of a name, token or path, and reaching fs it throws.
    if (key.includes('\0') || value.includes('\0')) return refuse(400, 'the query holds a NUL character');
  }
  return { ok: true, target: { path: `/${segments.join('/')}`, segments, searchParams } };
}
