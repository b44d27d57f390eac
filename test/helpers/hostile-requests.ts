// A corpus of hostile HTTP requests for the headless host, as raw bytes: null bytes, invalid and
// absolute-form targets, encoded traversal, aliases of the page shell, WebSocket upgrades on every
// path, odd methods, bad Host and Origin headers, overlong lines, broken framing and garbage. None of
// them carries a usable token, so none may be answered with the page shell.
import crypto from 'node:crypto';
import { rawLines, type RawOptions } from './raw-http.js';

export interface HostileRequest {
  name: string;
  bytes: string | Buffer;
  opts?: RawOptions;
}

/** Request targets that must never crash the host nor serve anything that needs the token. */
export const HOSTILE_TARGETS: string[] = [
  // Bytes that fs or the URL parser reject by throwing.
  '/%00', '/assets/%00.js', '/%00/', '/index.html%00', '/assets/index.js%00', '/%00%00%00',
  '//[', 'http://[', '//[/', '/[', 'http://[::1', 'http://[/x', '//', '///etc/passwd', '//evil.example/',
  '/%', '/%zz', '/%1', '/assets/%', '/%ff', '/%c0%ae%c0%ae/package.json', '/%e2%80%ae', '/%0d%0aSet-Cookie:x',
  '/\u00e9', '/a\\b', '/..\\..\\package.json', '/%5c..%5cpackage.json',
  // Encoded traversal, single and double.
  '/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/%2e%2e%2fpackage.json', '/.%2e/package.json',
  '/assets/../../package.json', '/assets/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json',
  '/%252e%252e/package.json', '/..%252fpackage.json', '/assets/..%5c..%5cpackage.json', '/%2fetc%2fpasswd',
  '/assets/%2fetc%2fpasswd', '/assets//etc/passwd', '/./package.json', '/../../../../../../etc/passwd',
  '/assets/../../../../../../etc/passwd', '/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  // Aliases of the page shell, none with a valid token.
  '/', '/index.html', '/%69ndex.html', '/index.html/', '/index%2ehtml', '/%2569ndex.html', '/INDEX.HTML',
  '/Index.html', '/./index.html', '/assets/../index.html', '/assets/..%2findex.html', '/assets%2f..%2findex.html',
  '//index.html', '/index.html.', '/index.html%20', '/index.html;', '/%2findex.html', '/index.html//',
  '/index.html?token', '/?token=', `/?token=${'0'.repeat(48)}`, '/?token=%00', '/?token[]=x', '/?token=a&token=b',
  '/index.html#x', '/#', '/?%00', '/ws', '/ws/', '/ws%00', '/%77s', '/ws?token=%00',
  // The upload routes, without the token.
  '/api/import', '/api/import/', '/api/%69mport', '/api/documents', '/api/documents%00', '/api/../index.html',
  // Other forms of request target.
  '*', '127.0.0.1:1', 'http://127.0.0.1:PORT/', 'http://127.0.0.1:PORT/index.html', 'http://evil.example/',
  'https://127.0.0.1:PORT/', 'file:///etc/passwd', 'javascript:alert(1)', `/${'a'.repeat(5000)}`,
];

const UPGRADE = ['Upgrade: websocket', 'Connection: Upgrade, close', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'];

function garbage(seed: number, length: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; parts.length * 32 < length; i++) parts.push(crypto.createHash('sha256').update(`${seed}:${i}`).digest());
  return Buffer.concat(parts).subarray(0, length);
}

/** The whole corpus for a host on `port` whose token is `token` (used only where another check must refuse). */
export function hostileRequests(port: number, token: string): HostileRequest[] {
  const host = `Host: 127.0.0.1:${port}`;
  const origin = `Origin: http://127.0.0.1:${port}`;
  const target = (t: string) => t.replaceAll('PORT', String(port));
  const all: HostileRequest[] = [];
  const add = (name: string, bytes: string | Buffer, opts?: RawOptions) => all.push({ name, bytes, opts });

  for (const t of HOSTILE_TARGETS.map(target)) {
    add(`GET ${t}`, rawLines(`GET ${t} HTTP/1.1`, [host, 'Connection: close']));
    add(`HEAD ${t}`, rawLines(`HEAD ${t} HTTP/1.1`, [host, 'Connection: close']));
    add(`upgrade ${t}`, rawLines(`GET ${t} HTTP/1.1`, [host, origin, ...UPGRADE]));
    add(`upgrade ${t} with the token, foreign origin`, rawLines(`GET ${t}${t.includes('?') ? '&' : '?'}token=${token} HTTP/1.1`, [host, 'Origin: http://evil.example', ...UPGRADE]));
  }
  // The token is right, but every other check must still refuse.
  const tokened = `/?token=${token}`;
  for (const bad of ['Host: evil.example', `Host: 127.0.0.1:${port}.evil.example`, 'Host: [', 'Host: ', `Host: 127.0.0.1:${port}@evil`, `Host: localhost:${port + 1}`]) {
    add(`page with ${bad}`, rawLines(`GET ${tokened} HTTP/1.1`, [bad, 'Connection: close']));
    add(`upgrade with ${bad}`, rawLines(`GET /ws?token=${token} HTTP/1.1`, [bad, origin, ...UPGRADE]));
  }
  add('no Host', rawLines(`GET ${tokened} HTTP/1.1`, ['Connection: close']));
  add('two Hosts', rawLines(`GET ${tokened} HTTP/1.1`, ['Host: evil.example', host, 'Connection: close']));
  for (const bad of ['Origin: null', 'Origin: http://[', 'Origin: ', `Origin: http://127.0.0.1:${port}.evil`, `Origin: http://127.0.0.1:${port}/`]) {
    add(`upgrade with ${bad}`, rawLines(`GET /ws?token=${token} HTTP/1.1`, [host, bad, ...UPGRADE]));
    add(`import with ${bad}`, rawLines(`PUT /api/import?token=${token}&name=x.gguf HTTP/1.1`, [host, bad, 'Content-Length: 0', 'Connection: close']));
  }
  for (const u of ['Upgrade: h2c', 'Upgrade: garbage', 'Upgrade: websocket\r\nSec-WebSocket-Version: 99', 'Upgrade: \u0000']) {
    add(`${u} on /ws`, rawLines(`GET /ws HTTP/1.1`, [host, origin, 'Connection: Upgrade, close', u]));
  }
  // Hostile queries on the upload routes, with the token and our origin: refused, never a crash.
  for (const q of ['name=%00.gguf', 'name=..%2f..%2fx.gguf', 'name=%2e%2e', 'name=', 'name=a%00b.txt&conversationId=x', 'name=a.txt&conversationId=%00&modelPath=%00']) {
    for (const route of ['/api/import', '/api/documents']) {
      add(`PUT ${route}?${q}`, rawLines(`PUT ${route}?token=${token}&${q} HTTP/1.1`, [host, origin, 'Content-Length: 4', 'Connection: close'], 'GGUF'));
    }
  }
  // Methods.
  for (const line of ['OPTIONS / HTTP/1.1', 'OPTIONS * HTTP/1.1', `CONNECT 127.0.0.1:${port} HTTP/1.1`, 'CONNECT evil.example:443 HTTP/1.1',
    'TRACE / HTTP/1.1', 'TRACE /index.html HTTP/1.1', 'DELETE / HTTP/1.1', 'PATCH /api/import HTTP/1.1', 'PROPFIND / HTTP/1.1',
    'FOO / HTTP/1.1', 'get / HTTP/1.1', 'G\u0000ET / HTTP/1.1', 'G E T / HTTP/1.1', 'M-SEARCH * HTTP/1.1', 'GET  / HTTP/1.1',
    'GET / HTTP/9.9', 'GET / HTTP/1.1 extra', 'GET /', 'GET / FTP/1.0', 'GET\t/\tHTTP/1.1', `PUT /api/import?token=${token} HTTP/1.0`]) {
    add(line, rawLines(line, [host, 'Connection: close', 'Content-Length: 0']));
  }
  add('PRI (HTTP/2 preface)', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
  // Framing and length.
  add('request line of 100 KB', rawLines(`GET /${'a'.repeat(100_000)} HTTP/1.1`, [host, 'Connection: close']));
  add('a header of 100 KB', rawLines('GET / HTTP/1.1', [host, `X-Big: ${'b'.repeat(100_000)}`, 'Connection: close']));
  add('5000 headers', rawLines('GET / HTTP/1.1', [host, ...Array.from({ length: 5000 }, (_, i) => `X-${i}: ${i}`), 'Connection: close']));
  add('a header holding a NUL', rawLines('GET / HTTP/1.1', [host, 'X-Nul: a\u0000b', 'Connection: close']));
  add('a folded header', rawLines('GET / HTTP/1.1', [host, 'X-Fold: a', ' b', 'Connection: close']));
  add('a header name with a space', rawLines('GET / HTTP/1.1', [host, 'X Bad: 1', 'Connection: close']));
  add('bare LF', `GET / HTTP/1.1\n${host}\nConnection: close\n\n`);
  add('bare CR', `GET / HTTP/1.1\r${host}\rConnection: close\r\r`);
  for (const framing of [['Content-Length: abc'], ['Content-Length: -1'], ['Content-Length: 1', 'Content-Length: 2'],
    ['Content-Length: 4', 'Transfer-Encoding: chunked'], ['Transfer-Encoding: chunked'], ['Transfer-Encoding: gzip, chunked'],
    ['Content-Length: 99999999999999999999999']]) {
    add(`PUT with ${framing.join(' + ')}`, rawLines(`PUT /api/import?token=${token}&name=x.gguf HTTP/1.1`, [host, origin, ...framing, 'Connection: close'], 'zz\r\n\r\n'));
  }
  add('Expect: 100-continue without the token', rawLines('PUT /api/import?name=x.gguf HTTP/1.1', [host, 'Expect: 100-continue', 'Content-Length: 10', 'Connection: close']), { end: true });
  add('Expect: something else', rawLines('GET / HTTP/1.1', [host, 'Expect: 418-teapot', 'Connection: close']));
  // Several requests in one write, the hostile ones first.
  add('pipelined', rawLines('GET /%00 HTTP/1.1', [host]) + rawLines('GET //[ HTTP/1.1', [host]) + rawLines('GET /%69ndex.html HTTP/1.1', [host, 'Connection: close']));
  // Garbage.
  add('TLS ClientHello', Buffer.from('16030100a5010000a10303', 'hex'));
  add('only NULs', Buffer.alloc(512));
  add('only line ends', '\r\n\r\n\r\n\r\n', { end: true });
  add('a line without end', 'x'.repeat(70_000), { end: true });
  for (let seed = 0; seed < 8; seed++) add(`garbage ${seed}`, garbage(seed, 64 + seed * 500), { end: seed % 2 === 0 });
  return all;
}

/** Requests that are cut off by a TCP reset right after they are sent, so that writing the answer fails. */
export function resetRequests(port: number, token: string): HostileRequest[] {
  const host = `Host: 127.0.0.1:${port}`;
  const origin = `Origin: http://127.0.0.1:${port}`;
  const lines = [
    rawLines('GET /%00 HTTP/1.1', [host]),
    rawLines('GET //[ HTTP/1.1', [host, origin, ...UPGRADE]),
    rawLines('GET /ws HTTP/1.1', [host, origin, ...UPGRADE]),
    rawLines(`GET /ws?token=${token} HTTP/1.1`, [host, 'Origin: http://evil.example', ...UPGRADE]),
    rawLines('GET /index.html HTTP/1.1', [host]),
    rawLines(`PUT /api/import?token=${token}&name=reset.gguf HTTP/1.1`, [host, origin, 'Content-Length: 100000'], 'GGUF'),
    rawLines(`CONNECT 127.0.0.1:${port} HTTP/1.1`, [host]),
  ];
  return lines.flatMap((bytes, i) => Array.from({ length: 10 }, (_, n) => ({ name: `reset ${i}.${n}`, bytes, opts: { reset: true } })));
}
