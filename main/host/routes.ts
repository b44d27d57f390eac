// The host's route table: each route is a method and a path pattern, the access it needs, the
// handler, and the answer to any other method. A request is matched after its target went through
// request-target.ts, so patterns compare decoded, normalised segments.
import type http from 'node:http';
import { plain } from './respond.js';
import type { RequestTarget } from './request-target.js';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, target: RequestTarget) => void | Promise<void>;

/**
 * What a request must show before its route answers: nothing ('public'), the access token ('token':
 * the page, refused 401), or the token and our own origin ('token+origin': the API, refused 403).
 */
export type Access = 'public' | 'token' | 'token+origin';

export interface Route {
  /** 'GET' also answers HEAD; '*' answers every method. */
  method: 'GET' | 'PUT' | '*';
  /** '/exact/path', where a ':name' segment stands for any one segment. */
  path: string;
  access: Access;
  handle: Handler;
  /** The answer (405) to a method the route does not take; by default a line of text naming the method. */
  refuseMethod?: Handler;
}

/** Checks of the request against the host's token and origin. */
export interface AccessChecks {
  tokenOk(target: RequestTarget): boolean;
  originOk(req: http.IncomingMessage): boolean;
}

const NEEDS_TOKEN = 'Qwen2 Desk: this address needs its access token. Open the full URL printed by `npm run serve`.\n';

export function pathMatches(pattern: string, target: RequestTarget): boolean {
  if (!pattern.includes(':')) return pattern === target.path;
  const parts = pattern === '/' ? [] : pattern.slice(1).split('/');
  return parts.length === target.segments.length && parts.every((p, i) => p.startsWith(':') || p === target.segments[i]);
}

function methodMatches(route: Route, method: string | undefined): boolean {
  if (route.method === '*') return true;
  return method === route.method || (route.method === 'GET' && method === 'HEAD');
}

export function accessOk(access: Access, checks: AccessChecks, req: http.IncomingMessage, target: RequestTarget): boolean {
  if (access === 'public') return true;
  if (access === 'token') return checks.tokenOk(target);
  return checks.originOk(req) && checks.tokenOk(target);
}

/**
 * Answers a request from the table: 404 where no route has its path; the access of the route is
 * checked before its method, so a request without the token learns nothing of what a path takes.
 */
export function routeRequest(routes: readonly Route[], checks: AccessChecks): Handler {
  return (req, res, target) => {
    const onPath = routes.filter((r) => pathMatches(r.path, target));
    if (onPath.length === 0) return plain(res, 404, 'Not found.\n');
    const route = onPath.find((r) => methodMatches(r, req.method)) ?? onPath[0];
    if (!accessOk(route.access, checks, req, target)) {
      if (route.access === 'token') return plain(res, 401, NEEDS_TOKEN);
      req.resume();
      return plain(res, 403, 'Forbidden.\n');
    }
    if (!methodMatches(route, req.method)) {
      if (route.refuseMethod) return route.refuseMethod(req, res, target);
      if (route.method === 'GET') return plain(res, 405, 'Only GET and HEAD are served here.\n', { allow: 'GET, HEAD' });
      return plain(res, 405, `Only ${route.method} is served here.\n`, { allow: route.method });
    }
    return route.handle(req, res, target);
  };
}
