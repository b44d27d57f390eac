// The app under test: the real core (SQLite store, chat service, engine supervisor and engine
// process) and the real headless host in this process ("main"), and a WebSocket client in its own
// process ("the browser"). Token timings are taken where the person would see them: on arrival
// at the client.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCore, type Core } from '../../app/core.js';
import type { AppEvent } from '../../app/contract.js';
import { startHost, type Host } from '../../main/host/server.js';
import type { EngineChannel, EngineLauncher } from '../../native/engine/main/channel.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { nowMs } from '../lib/clock.js';
import type { ChatTrace, ClientCommand } from '../workers/ws-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface EngineArrival {
  /** Stamp of the engine process when it sent the delta (instrumented launcher only). */
  sentAt: number | null;
  /** When main's channel received it. */
  receivedAt: number;
  /** Bytes of the message on the IPC channel (its JSON size: an estimate of the advanced-serialised size). */
  bytes: number;
}

export interface MainEmit {
  at: number;
  type: string;
  messageId?: string;
  bytes: number;
}

export interface AppOptions {
  threads?: number;
  /** Stamp deltas in the engine process (a preload that wraps process.send); default false. */
  instrumented?: boolean;
  dataDir?: string;
  /** Experiment: merge the engine's deltas, at most one message per this many ms (probe/engine-coalesce.mjs). */
  coalesceMs?: number;
  /** Serve this built renderer (dist/renderer) so a browser can open the app; default none. */
  rendererDir?: string;
}

/**
 * The app's own fork launcher, wrapped to record when each engine message reaches main. When
 * instrumented, the engine process also preloads bench/probe/engine-stamp.mjs (through NODE_OPTIONS),
 * which stamps each delta as it leaves the engine.
 */
function recordingLauncher(instrumented: boolean, coalesceMs: number, record: (m: unknown, receivedAt: number) => void): EngineLauncher {
  const probe = (name: string) => `--import=${pathToFileURL(path.join(here, '..', 'probe', name)).href}`;
  return (entryFile, env) => {
    // Each preload wraps process.send in turn: the engine calls the coalescer first, which calls the
    // stamper when a (merged) delta actually leaves, so the stamp is the real send time.
    const preloads = [...(instrumented ? [probe('engine-stamp.mjs')] : []), ...(coalesceMs > 0 ? [probe('engine-coalesce.mjs')] : [])];
    const extra: Record<string, string> = preloads.length ? { NODE_OPTIONS: [process.env.NODE_OPTIONS, ...preloads].filter(Boolean).join(' ') } : {};
    if (coalesceMs > 0) extra.QWEN2_DESK_BENCH_COALESCE_MS = String(coalesceMs);
    const channel = forkLauncher(entryFile, { ...env, ...extra });
    return {
      send: (m) => channel.send(m),
      onMessage: (l) =>
        channel.onMessage((m) => {
          record(m, nowMs());
          l(m);
        }),
      onExit: (l) => channel.onExit(l),
      onLog: channel.onLog ? (l) => channel.onLog!(l) : undefined,
      kill: () => channel.kill(),
      get pid() {
        return channel.pid;
      },
    };
  };
}

export class AppUnderTest {
  readonly engineArrivals: EngineArrival[] = [];
  readonly mainEmits: MainEmit[] = [];
  recordEmits = false;
  private client!: ChildProcess;
  private clientQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly core: Core,
    readonly host: Host,
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
  ) {}

  static async start(opts: AppOptions = {}): Promise<AppUnderTest> {
    const ownsDataDir = !opts.dataDir;
    const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-bench-'));
    let app: AppUnderTest | null = null;
    const record = (m: unknown, receivedAt: number) => {
      const message = m as { type?: string; benchSentAt?: number };
      if (message?.type !== 'delta' || !app) return;
      app.engineArrivals.push({ sentAt: message.benchSentAt ?? null, receivedAt, bytes: Buffer.byteLength(JSON.stringify(m)) });
    };
    const launcher = recordingLauncher(opts.instrumented ?? false, opts.coalesceMs ?? 0, record);
    const core = await createCore({ dataDir, launcher, engineEntry: engineEntryFile(), backend: 'cpu', threads: opts.threads });
    const host = await startHost({ core, rendererDir: opts.rendererDir ?? path.join(dataDir, 'no-renderer') });
    app = new AppUnderTest(core, host, dataDir, ownsDataDir);
    core.onEvent((event: AppEvent) => {
      if (!app!.recordEmits) return;
      const at = nowMs();
      const messageId = event.type === 'chat.delta' ? event.messageId : undefined;
      app!.mainEmits.push({ at, type: event.type, messageId, bytes: Buffer.byteLength(JSON.stringify({ event })) });
    });
    await app.startClient();
    return app;
  }

  private async startClient(): Promise<void> {
    this.client = fork(path.join(here, '..', 'workers', 'ws-client.ts'), [], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await this.clientCall({ cmd: 'connect', port: this.host.port, token: this.host.token });
  }

  get clientPid(): number {
    return this.client.pid!;
  }

  clientCall<T>(m: ClientCommand): Promise<T> {
    const next = this.clientQueue.then(
      () =>
        new Promise((resolve, reject) => {
          const onMessage = (reply: { ok: boolean; result?: unknown; error?: string }) => {
            this.client.off('message', onMessage);
            if (reply.ok) resolve(reply.result);
            else reject(new Error(`client: ${reply.error}`));
          };
          this.client.on('message', onMessage);
          this.client.send(m);
        }),
    );
    this.clientQueue = next.catch(() => {});
    return next as Promise<T>;
  }

  /** Calls a method of the contract over the WebSocket; returns its result and round-trip time. */
  async call<T>(method: string, params: unknown = {}): Promise<{ result: T; ms: number }> {
    return this.clientCall({ cmd: 'call', method, params });
  }

  async newConversation(title = 'bench'): Promise<string> {
    return (await this.call<{ id: string }>('conversations.create', { title })).result.id;
  }

  /** Sends one message and waits for the whole answer. */
  chat(params: { conversationId: string; text: string; modelPath: string; sampling?: Record<string, number> }): Promise<ChatTrace> {
    return this.clientCall({ cmd: 'chat', params });
  }

  /** A model file placed in this app's models folder (hard link, else a copy). */
  addModel(file: string): string {
    const target = path.join(this.core.info.modelsDir, path.basename(file));
    if (!fs.existsSync(target)) {
      try {
        fs.linkSync(file, target);
      } catch {
        fs.copyFileSync(file, target);
      }
    }
    return target;
  }

  get enginePid(): number | undefined {
    return this.core.enginePid;
  }

  async engineStatus(): Promise<{ threads: number | null; backend: string | null; contextSize: number | null }> {
    return (await this.call<{ threads: number | null; backend: string | null; contextSize: number | null }>('engine.status')).result;
  }

  async close(): Promise<void> {
    try {
      await this.clientCall({ cmd: 'exit' });
    } catch {
      // already gone
    }
    await this.host.close();
    await this.core.close();
    if (this.ownsDataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

