// The renderer's one way to talk to main: the Electron preload bridge when present,
// otherwise a WebSocket to the headless host (`npm run serve`).
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

/** Builds the Api for this page; throws MissingTokenError when served without a token. */
export function createConnection(): Connection {
  if (window.qwen2Desk) return fromBridge(window.qwen2Desk);
  const token = new URLSearchParams(location.search).get('token');
  if (!token) throw new MissingTokenError();
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return fromWebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`);
}
