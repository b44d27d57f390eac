// The renderer's one way to talk to main: the Electron preload bridge when present,
// otherwise a WebSocket to the headless host (`npm run serve`); and, for the host, uploads of
// dropped files over HTTP (the desktop app hands main a file's path instead).
import type {
  Api,
  AppEvent,
  DesktopBridge,
  ErrorCode,
  Method,
  Params,
  ResponseEnvelope,
  Results,
  ServerMessage,
} from '../../app/contract.js';

declare global {
  interface Window {
    qwen2Desk?: DesktopBridge;
  }
}

/** An error from main (or from the transport), with a message meant for the user. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'disconnected',
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type ConnectionState =
  | { state: 'connecting' }
  | { state: 'open' }
  | { state: 'closed'; retryInMs: number; reason: string };

export interface Connection {
  api: Api;
  /** Called on every change of the transport's state; always 'open' for Electron. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

export const MISSING_TOKEN_MESSAGE =
  'Open the URL printed by `npm run serve`, it contains the access token.';

/** Thrown by createConnection when the page has no token to connect with. */
export class MissingTokenError extends Error {
  constructor() {
    super(MISSING_TOKEN_MESSAGE);
    this.name = 'MissingTokenError';
  }
}

function unwrap(response: ResponseEnvelope): unknown {
  if (response.ok) return response.result;
  throw new ApiError(response.error.code, response.error.message);
}

function fromBridge(bridge: DesktopBridge): Connection {
  const api: Api = {
    async call<M extends Method>(method: M, params: Params<M>): Promise<Results[M]> {
      return unwrap(await bridge.call(method, params)) as Results[M];
    },
    onEvent: (listener) => bridge.onEvent(listener),
    pickModelFile: () => bridge.pickModelFile(),
  };
  return {
    api,
    onConnection(listener) {
      listener({ state: 'open' });
      return () => {};
    },
  };
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** The serialized request; null once it has been sent. */
  unsent: string | null;
}

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 10_000;

function fromWebSocket(url: string): Connection {
  const eventListeners = new Set<(event: AppEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let state: ConnectionState = { state: 'connecting' };
  let attempts = 0;

  const setState = (next: ConnectionState) => {
    state = next;
    for (const l of connectionListeners) l(next);
  };

  const rejectAll = (message: string) => {
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(new ApiError('disconnected', message));
    }
  };

  const onMessage = (raw: unknown) => {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(String(raw)) as ServerMessage;
    } catch {
      console.error('Qwen2 Desk: unreadable message from the server', raw);
      return;
    }
    if ('event' in msg) {
      for (const l of eventListeners) l(msg.event);
      return;
    }
    if (msg.id === null) {
      console.error('Qwen2 Desk: the server rejected a message:', msg.ok ? msg : msg.error.message);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    try {
      p.resolve(unwrap(msg));
    } catch (error) {
      p.reject(error as Error);
    }
  };

  const connect = () => {
    setState({ state: 'connecting' });
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempts = 0;
      setState({ state: 'open' });
      for (const p of pending.values()) {
        if (p.unsent !== null) {
          ws.send(p.unsent);
          p.unsent = null;
        }
      }
    };
    ws.onmessage = (e) => onMessage(e.data);
    ws.onclose = (e) => {
      if (socket !== ws) return;
      socket = null;
      const wasOpen = state.state === 'open';
      rejectAll(
        wasOpen
          ? 'The connection to Qwen2 Desk was lost before it answered; the request may not have been done.'
          : 'Could not connect to Qwen2 Desk. Is `npm run serve` still running?',
      );
      const retryInMs = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempts);
      attempts += 1;
      const reason = e.reason || (wasOpen ? 'connection lost' : 'cannot reach the server');
      setState({ state: 'closed', retryInMs, reason });
      setTimeout(connect, retryInMs);
    };
  };

  const api: Api = {
    call<M extends Method>(method: M, params: Params<M>): Promise<Results[M]> {
      if (state.state === 'closed') {
        return Promise.reject(
          new ApiError('disconnected', 'Not connected to Qwen2 Desk; reconnecting, try again in a moment.'),
        );
      }
      const id = nextId++;
      const text = JSON.stringify({ id, method, params });
      return new Promise<Results[M]>((resolve, reject) => {
        const p: Pending = { resolve: resolve as (v: unknown) => void, reject, unsent: text };
        pending.set(id, p);
        if (socket && socket.readyState === WebSocket.OPEN) {
          socket.send(text);
          p.unsent = null;
        }
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
  };

  connect();
  return {
    api,
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
  };
}

/** The host's access token, from the page's URL. */
function pageToken(): string | null {
  return new URLSearchParams(location.search).get('token');
}

/** Builds the Api for this page; throws MissingTokenError when served without a token. */
export function createConnection(): Connection {
  if (window.qwen2Desk) return fromBridge(window.qwen2Desk);
  const token = pageToken();
  if (!token) throw new MissingTokenError();
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return fromWebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`);
}

/** The path on disk of a dropped or picked file where the desktop shell can tell it; null in a browser. */
export function pathForFile(file: File): string | null {
  const bridge = window.qwen2Desk as Partial<DesktopBridge> | undefined;
  try {
    return bridge?.pathForFile?.(file) || null;
  } catch {
    return null;
  }
}

/** The host's upload routes: a model file (PUT /api/import), a document for a conversation (PUT /api/documents). */
export type UploadRoute = 'import' | 'documents';

export interface UploadOptions {
  /** Query parameters besides the token. */
  params: Record<string, string>;
  /** Bytes sent so far, of `total` (the file's size where the browser cannot tell). */
  onProgress?(loaded: number, total: number): void;
  /** Aborting it stops the upload; the promise rejects with an UploadError whose reason is 'aborted'. */
  signal?: AbortSignal;
}

/** Why an upload did not succeed: the host refused it, the connection broke, or it was aborted here. */
export class UploadError extends Error {
  constructor(
    readonly reason: 'refused' | 'cut-off' | 'aborted',
    /** The HTTP status of a refusal; 0 without an answer. */
    readonly status: number,
    /** The host's own message ({error: {message}}), or null when its answer had none. */
    readonly hostMessage: string | null,
  ) {
    super(hostMessage ?? `upload ${reason}${status ? ` (${status})` : ''}`);
    this.name = 'UploadError';
  }
}

function hostMessageOf(text: string): string | null {
  try {
    return (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? null;
  } catch {
    return null;
  }
}

/** Streams a file to one of the host's upload routes; resolves with the host's JSON answer. */
export function upload(route: UploadRoute, file: File, opts: UploadOptions): Promise<unknown> {
  const params = new URLSearchParams({ token: pageToken() ?? '', ...opts.params });
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new UploadError('aborted', 0, null));
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (outcome: () => void) => {
      opts.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    xhr.open('PUT', `/api/${route}?${params}`);
    xhr.upload.onprogress = (e) => opts.onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => settle(() => {
      if (xhr.status >= 200 && xhr.status < 300) {
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          // an answer without a body
        }
        return resolve(body);
      }
      reject(new UploadError('refused', xhr.status, hostMessageOf(xhr.responseText)));
    });
    xhr.onerror = () => settle(() => reject(new UploadError('cut-off', 0, null)));
    xhr.onabort = () => settle(() => reject(new UploadError('aborted', 0, null)));
    xhr.send(file);
  });
}
