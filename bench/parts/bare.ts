// Drives the bare node-llama-cpp worker (bench/workers/bare.ts) in its own process.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BareCommand, DecodeResult, PrefillResult } from '../workers/bare.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface BareInfo {
  pid: number;
  threads: number;
  cpuMathCores: number;
  auto: { threads: number; reason: string };
  cpuBackend: string | null;
  contextSize: number;
  batchSize: number;
}

export class BareRunner {
  private queue: Promise<unknown> = Promise.resolve();
  private constructor(
    private readonly child: ChildProcess,
    readonly info: BareInfo,
  ) {}

  /** `env` adds to this process's environment (the app's engine process settings, or none for Node's defaults). */
  static async start(modelPath: string, threads: number, contextSize: number, env: Record<string, string> = {}): Promise<BareRunner> {
    const child = fork(path.join(here, '..', 'workers', 'bare.ts'), [], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const info = (await call(child, { cmd: 'init', modelPath, threads, contextSize })) as BareInfo;
    return new BareRunner(child, info);
  }

  private call<T>(m: BareCommand): Promise<T> {
    const next = this.queue.then(() => call(this.child, m));
    this.queue = next.catch(() => {});
    return next as Promise<T>;
  }

  count(text: string): Promise<number> {
    return this.call({ cmd: 'count', text });
  }

  decode(prompt: string, tokens: number): Promise<DecodeResult> {
    return this.call({ cmd: 'decode', prompt, tokens });
  }

  prefill(prompt: string): Promise<PrefillResult> {
    return this.call({ cmd: 'prefill', prompt });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ cmd: 'exit' } satisfies BareCommand);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

function call(child: ChildProcess, m: BareCommand): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: { ok: boolean; result?: unknown; error?: string }) => {
      cleanup();
      if (reply.ok) resolve(reply.result);
      else reject(new Error(`bare worker: ${reply.error}`));
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`bare worker exited (${signal ?? code}) during ${m.cmd}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.send(m);
  });
}
