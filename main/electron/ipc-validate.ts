// Pure checks for the Electron IPC boundary (what ipc.ts accepts from the renderer).
import type { ErrorCode, ResponseEnvelope } from '../../app/contract.js';
import { isRendererUrl } from './policy.js';

export interface CallPayload {
  method: string;
  params: unknown;
}

export type PayloadCheck = { ok: true; value: CallPayload } | { ok: false; envelope: ResponseEnvelope };

export const MAX_METHOD_LENGTH = 64;

export function errorEnvelope(code: ErrorCode, message: string): ResponseEnvelope {
  return { id: null, ok: false, error: { code, message } };
}

/** Accepts exactly `{ method: string, params?: unknown }` (a plain object); anything else is an error envelope. */
export function checkCallPayload(payload: unknown): PayloadCheck {
  const bad = (message: string): PayloadCheck => ({ ok: false, envelope: errorEnvelope('invalid_request', message) });
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return bad('A request must be an object { method, params }.');
  }
  const proto = Object.getPrototypeOf(payload);
  if (proto !== Object.prototype && proto !== null) return bad('A request must be a plain object.');
  const extra = Object.keys(payload).filter((k) => k !== 'method' && k !== 'params');
  if (extra.length) return bad(`Unexpected field "${extra[0]}" in request.`);
  const { method, params } = payload as { method?: unknown; params?: unknown };
  if (typeof method !== 'string' || method.length === 0) return bad('A request needs a method name (a string).');
  if (method.length > MAX_METHOD_LENGTH) return bad('The method name is too long.');
  return { ok: true, value: { method, params } };
}

/** The sender of an IPC message, reduced to what the trust decision needs. */
export interface SenderInfo {
  /** Whether the message came from our window's webContents. */
  fromOurWindow: boolean;
  /** Whether the sending frame is the top-level frame (not an iframe). */
  isMainFrame: boolean;
  /** The sending frame's URL, or null when the frame is gone. */
  url: string | null;
}

/** Only the main frame of our own window, showing our own renderer file, may call main. */
export function isTrustedSender(sender: SenderInfo, rendererUrl: string): boolean {
  return sender.fromOurWindow && sender.isMainFrame && isRendererUrl(sender.url, rendererUrl);
}

export function untrustedSender(): ResponseEnvelope {
  return errorEnvelope('invalid_request', 'Requests are accepted only from the Qwen2 Desk window.');
}
