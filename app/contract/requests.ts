// Every request of the contract, assembled from the domains, with the types read off it and the
// validation main runs on each request before acting on it.
import type { z } from 'zod';
import { appRequests } from './app.js';
import { chatRequests } from './chat.js';
import { conversationRequests } from './conversations.js';
import { documentRequests } from './documents.js';
import { downloadRequests } from './downloads.js';
import { engineRequests } from './engine.js';
import { AppError } from './errors.js';
import type { MethodSpec, ResultOf } from './method.js';
import { modelRequests } from './models.js';
import { niahRequests } from './niah.js';
import { presetRequests } from './presets.js';
import { settingsRequests } from './settings.js';

export const requests = {
  ...appRequests,
  ...conversationRequests,
  ...chatRequests,
  ...presetRequests,
  ...settingsRequests,
  ...documentRequests,
  ...modelRequests,
  ...downloadRequests,
  ...engineRequests,
  ...niahRequests,
} as const satisfies Record<string, MethodSpec>;

export type Method = keyof typeof requests;
export type Params<M extends Method> = z.infer<(typeof requests)[M]['params']>;
export type Results = { [M in Method]: ResultOf<(typeof requests)[M]> };

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(requests, name);
}

/** Validates one request; throws AppError('invalid_request' | 'unknown_method') with a specific message. */
export function parseRequest(method: string, params: unknown): { method: Method; params: unknown } {
  if (!isMethod(method)) throw new AppError('unknown_method', `Unknown method "${method}".`);
  const parsed = requests[method].params.safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? ` at "${issue.path.join('.')}"` : '';
    throw new AppError('invalid_request', `Invalid parameters for ${method}${where}: ${issue?.message ?? 'invalid'}.`);
  }
  return { method, params: parsed.data };
}
