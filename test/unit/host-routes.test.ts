// The host's route table: a path no route has is 404; a route's access is checked before its
// method (401 for the page, 403 for the API, the body left unread); GET routes answer HEAD; a
// ':name' segment stands for exactly one segment.
import assert from 'node:assert/strict';
import type http from 'node:http';
import { test } from 'node:test';
import { parseRequestTarget, type RequestTarget } from '../../main/host/request-target.js';
import { pathMatches, routeRequest, type Route } from '../../main/host/routes.js';

function target(raw: string): RequestTarget {
  const parsed = parseRequestTarget(raw);
  assert.ok(parsed.ok, raw);
  return parsed.target;
}

interface Answer {
  status: number;
  body: string;
  headers: Record<string, unknown>;
  resumed: boolean;
}

function ask(routes: Route[], method: string, raw: string, opts: { origin?: boolean } = {}): Answer {
  const answer: Answer = { status: 0, body: '', headers: {}, resumed: false };
  const req = { method, headers: {}, resume: () => (answer.resumed = true) } as unknown as http.IncomingMessage;
  const res = {
    headersSent: false,
    destroyed: false,
    writeHead(status: number, headers: Record<string, unknown>) {
      answer.status = status;
      Object.assign(answer.headers, headers);
      return this;
    },
    end(body?: string) {
      answer.body = body ?? '';
    },
  } as unknown as http.ServerResponse;
  const checks = { tokenOk: (t: RequestTarget) => t.searchParams.get('token') === 'T', originOk: () => opts.origin ?? true };
  void routeRequest(routes, checks)(req, res, target(raw));
  return answer;
}

const said = (text: string) => (_req: http.IncomingMessage, res: http.ServerResponse) => void res.writeHead(200, {}).end(text);
const routes: Route[] = [
  { method: 'GET', path: '/', access: 'token', handle: said('page') },
  { method: 'GET', path: '/assets/:file', access: 'public', handle: said('asset') },
  { method: 'PUT', path: '/api/x', access: 'token+origin', handle: said('upload') },
  { method: '*', path: '/any', access: 'public', handle: said('any') },
];

test('paths match exactly, or segment by segment where a pattern has a :name', () => {
  assert.ok(pathMatches('/', target('/')));
  assert.ok(pathMatches('/assets/:file', target('/assets/a.js')));
  assert.ok(!pathMatches('/assets/:file', target('/assets')));
  assert.ok(!pathMatches('/assets/:file', target('/assets/a/b.js')));
  assert.ok(!pathMatches('/api/x', target('/api/x/y')));
});

test('a route answers its method; GET routes answer HEAD; * answers every method', () => {
  assert.equal(ask(routes, 'GET', '/?token=T').body, 'page');
  assert.equal(ask(routes, 'HEAD', '/?token=T').body, 'page');
  assert.equal(ask(routes, 'GET', '/assets/a.js').body, 'asset');
  assert.equal(ask(routes, 'PUT', '/api/x?token=T').body, 'upload');
  assert.equal(ask(routes, 'DELETE', '/any').body, 'any');
  assert.equal(ask(routes, 'GET', '/nothing').status, 404);
});

test('access is checked before the method: 401 for a token route, 403 (body unread) for the API', () => {
  assert.equal(ask(routes, 'POST', '/').status, 401);
  const forbidden = ask(routes, 'GET', '/api/x');
  assert.deepEqual([forbidden.status, forbidden.resumed], [403, true]);
  assert.equal(ask(routes, 'PUT', '/api/x?token=T', { origin: false }).status, 403);
  const wrong = ask(routes, 'POST', '/?token=T');
  assert.deepEqual([wrong.status, wrong.headers.allow], [405, 'GET, HEAD']);
  assert.deepEqual([ask(routes, 'GET', '/api/x?token=T').status, ask(routes, 'GET', '/api/x?token=T').headers.allow], [405, 'PUT']);
});

test('a route can give its own answer to another method', () => {
  const own: Route[] = [{ method: 'PUT', path: '/u', access: 'public', handle: said('u'), refuseMethod: said('use PUT') }];
  assert.equal(ask(own, 'GET', '/u').body, 'use PUT');
});
