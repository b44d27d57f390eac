// What the transports carry (WebSocket and Electron IPC carry the same objects): request and
// response envelopes, events, the Api the renderer calls, and the Electron bridge and channels.
import { z } from 'zod';
import type { ErrorCode } from './errors.js';
import type { AppEvent } from './events.js';
import type { Method, Params, Results } from './requests.js';

export const RequestEnvelope = z
  .object({
    id: z.number().int().nonnegative(),
    method: z.string().max(64),
    params: z.unknown().optional(),
  })
  .strict();
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

export type ResponseEnvelope =
  | { id: number; ok: true; result: unknown }
  | { id: number | null; ok: false; error: { code: ErrorCode; message: string } };

/** The API every transport (Electron IPC, WebSocket) offers to the renderer. */
export interface Api {
  call<M extends Method>(method: M, params: Params<M>): Promise<Results[M]>;
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** Present only where the shell can show a native file picker (Electron). */
  pickModelFile?: () => Promise<string | null>;
}

/** What the server side of a transport sends: a response to one request, or an event. */
export type ServerMessage = ResponseEnvelope | { event: AppEvent };

/** Electron IPC channel names (preload <-> main). */
export const IPC_CALL = 'qwen2desk:call';
export const IPC_EVENT = 'qwen2desk:event';
export const IPC_PICK_MODEL = 'qwen2desk:pick-model';

/** What the Electron preload exposes on window.qwen2Desk (the renderer wraps it into an Api). */
export interface DesktopBridge {
  call(method: string, params: unknown): Promise<ResponseEnvelope>;
  onEvent(listener: (event: AppEvent) => void): () => void;
  pickModelFile(): Promise<string | null>;
  /** The path on disk of a file dropped on the window (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string;
}
