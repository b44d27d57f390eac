// The client of the benchmark: a separate process that talks to the headless host over WebSocket,
// exactly like the browser UI does, and stamps every message it receives on arrival.
// Commands arrive over the IPC channel from bench/parts/app.ts.
import WebSocket from 'ws';
import type { ServerMessage } from '../../app/contract.js';
import { nowMs } from '../lib/clock.js';

export type ClientCommand =
  | { cmd: 'connect'; port: number; token: string }
  | { cmd: 'call'; method: string; params: unknown }
  | { cmd: 'chat'; params: Record<string, unknown>; stopAfterFirst?: boolean }
  | { cmd: 'exit' };

export interface Arrival {
  at: number;
  bytes: number;
  text: string;
}

export interface ChatTrace {
  sentAt: number;
  /** chat.send's response (both messages stored). */
  acceptedAt: number;
  deltas: Arrival[];
  finishedAt: number;
  /** Bytes of every WebSocket message received for this answer (responses and events). */
  bytesReceived: number;
  bytesSent: number;
  message: { content: string; status: string; error: string | null; droppedMessages?: number; stats: { tokens: number; tokensPerSecond: number; timeToFirstTokenMs: number; promptTokens?: number } | null };
  assistantMessageId: string;
}

let ws: WebSocket | null = null;
let nextId = 1;
const pending = new Map<number, (m: ServerMessage) => void>();
let onEvent: ((m: { event: { type: string } & Record<string, unknown> }, bytes: number, at: number) => void) | null = null;
let bytesIn = 0;

process.on('message', (m: ClientCommand) => {
  void handle(m).then(
    (result) => process.send!({ ok: true, result }),
    (error: Error) => process.send!({ ok: false, error: error.stack ?? String(error) }),
  );
});

function request(method: string, params: unknown): Promise<ServerMessage> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    ws!.send(JSON.stringify({ id, method, params }));
  });
}

async function handle(m: ClientCommand): Promise<unknown> {
  switch (m.cmd) {
    case 'connect': {
      ws = new WebSocket(`ws://127.0.0.1:${m.port}/ws?token=${m.token}`, { origin: `http://127.0.0.1:${m.port}`, perMessageDeflate: false });
      await new Promise<void>((resolve, reject) => {
        ws!.once('open', () => resolve());
        ws!.once('error', reject);
      });
      ws.on('message', (data: Buffer) => {
        const at = nowMs();
        bytesIn += data.length;
        const message = JSON.parse(data.toString()) as ServerMessage;
        if ('event' in message) onEvent?.(message as never, data.length, at);
        else if (message.id !== null) {
          const resolve = pending.get(message.id);
          pending.delete(message.id);
          resolve?.(message);
        }
      });
      return null;
    }
    case 'call': {
      const started = nowMs();
      const reply = await request(m.method, m.params);
      if (!('ok' in reply) || !reply.ok) throw new Error(`${m.method}: ${JSON.stringify(reply)}`);
      return { result: reply.result, ms: nowMs() - started };
    }
    case 'chat':
      return chat(m.params);
    case 'exit':
      ws?.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

async function chat(params: Record<string, unknown>): Promise<ChatTrace> {
  const deltas: Arrival[] = [];
  const startBytes = bytesIn;
  let messageId: string | null = null;
  const early: Array<{ m: { event: Record<string, unknown> }; bytes: number; at: number }> = [];
  let finish!: (v: { at: number; message: ChatTrace['message'] }) => void;
  const finished = new Promise<{ at: number; message: ChatTrace['message'] }>((r) => (finish = r));
  const take = (m: { event: Record<string, unknown> }, bytes: number, at: number) => {
    const e = m.event;
    if (e.messageId === messageId && e.type === 'chat.delta') deltas.push({ at, bytes, text: e.text as string });
    else if (e.type === 'chat.finished' && (e.message as { id: string }).id === messageId) finish({ at, message: e.message as ChatTrace['message'] });
  };
  onEvent = (m, bytes, at) => {
    if (messageId === null) early.push({ m, bytes, at });
    else take(m, bytes, at);
  };
  const body = JSON.stringify({ id: nextId, method: 'chat.send', params });
  const sentAt = nowMs();
  const reply = await request('chat.send', params);
  const acceptedAt = nowMs();
  if (!('ok' in reply) || !reply.ok) throw new Error(`chat.send: ${JSON.stringify(reply)}`);
  messageId = (reply.result as { assistantMessage: { id: string } }).assistantMessage.id;
  for (const e of early) take(e.m, e.bytes, e.at);
  const done = await finished;
  onEvent = null;
  return {
    sentAt,
    acceptedAt,
    deltas,
    finishedAt: done.at,
    bytesReceived: bytesIn - startBytes,
    bytesSent: Buffer.byteLength(body),
    message: done.message,
    assistantMessageId: messageId,
  };
}
