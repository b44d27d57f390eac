// Runs the document worker from the main thread: progress, cancellation (AbortSignal), a time
// limit on extraction, and a specific error for every way the worker can end.
import { Worker } from 'node:worker_threads';
import { ExtractError, type ExtractReason } from './extract/errors.js';
import type { ProgressFn } from './extract/types.js';
import type { FromWorker, ToWorker, WorkerJob } from './worker-protocol.js';

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** After a cancel while storing, how long the worker has to remove what it wrote before it is stopped. */
const CANCEL_GRACE_MS = 10_000;

export interface RunOptions {
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  /** Limit on reading and extracting (not on storing, which reports progress). */
  timeoutMs?: number;
}

export type WorkerOutcome = Extract<FromWorker, { type: 'extracted' } | { type: 'stored' }>;

/**
 * The worker next to this file. From source (under tsx) a worker ignores `--import` in execArgv on
 * Node 20, so a one-line bootstrap registers tsx in the worker and then imports the .ts entry.
 */
function startWorker(job: WorkerJob): Worker {
  const options = { workerData: job, stdout: false, stderr: false };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./extract-worker.js', import.meta.url), options);
  const entry = new URL('./extract-worker.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

export function runWorker(job: WorkerJob, opts: RunOptions = {}): Promise<WorkerOutcome> {
  const fail = (reason: ExtractReason, message: string) => new ExtractError(reason, message);
  if (opts.signal?.aborted) return Promise.reject(fail('cancelled', `Adding "${job.name}" was cancelled.`));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return new Promise<WorkerOutcome>((resolve, reject) => {
    const worker = startWorker(job);
    let storing = false;
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error: Error | null, outcome?: WorkerOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      opts.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve(outcome!);
    };
    timer = setTimeout(() => {
      if (storing) return;
      finish(fail('timeout', `Cannot add "${job.name}": reading it took longer than ${Math.round(timeoutMs / 1000)} s; ` +
        'the file may be damaged or too complex.'));
    }, timeoutMs);
    const cancelled = () => fail('cancelled', `Adding "${job.name}" was cancelled.`);
    const onAbort = () => {
      if (!storing) return finish(cancelled());
      // Writing: let the worker remove its rows itself; stop it if it does not in time.
      worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      grace = setTimeout(() => finish(cancelled()), CANCEL_GRACE_MS);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') opts.onProgress?.(m.progress);
      else if (m.type === 'storing') {
        storing = true;
        clearTimeout(timer);
      } else if (m.type === 'error') finish(fail(m.reason, m.message));
      else finish(null, m);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const message =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `Cannot add "${job.name}": reading it needs more memory than is available.`
          : `Cannot add "${job.name}": the document reader failed (${error.message}).`;
      finish(fail('failed', message));
    });
    worker.on('exit', (code) => {
      finish(fail('failed', `Cannot add "${job.name}": the document reader stopped unexpectedly (exit code ${code}).`));
    });
  });
}
