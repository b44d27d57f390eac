// The typed message protocol between the engine supervisor (main side) and the engine process.
import type { AppliedYarn, EngineProbe, FitReport, GenerateDebug, GenerateParams, GenerationStats, LoadParams } from './types.js';

export type * from './types.js';

/** The backends an engine can be asked for ('auto': the best one that starts here). */
export const BACKEND_PREFERENCES = ['auto', 'cuda', 'vulkan', 'metal', 'cpu'] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

export type ToEngine =
  | { type: 'init'; backend: BackendPreference; threads?: number }
  | ({ type: 'generate'; requestId: number } & GenerateParams)
  | { type: 'abort'; requestId: number }
  | { type: 'probe'; requestId: number }
  /** Loads a model ahead of any answer (queued after a generation in progress). */
  | ({ type: 'load'; requestId: number } & LoadParams)
  /** Frees the loaded model and its context. */
  | { type: 'unload'; requestId: number }
  /** Token counts of texts with the model's own tokenizer (the loaded model, or its vocabulary alone). */
  | { type: 'count'; requestId: number; modelPath: string; texts: string[] };

export type FromEngine =
  | { type: 'ready'; backend: string; backendReason: string; threads: number; threadsReason: string }
  | { type: 'init-failed'; message: string }
  | { type: 'load-progress'; requestId: number; modelPath: string; progress: number }
  | { type: 'loaded'; requestId: number; modelPath: string; contextSize: number; yarn?: AppliedYarn | null }
  | ({ type: 'fitted'; requestId: number } & FitReport)
  /** Reading a long prompt: tokens evaluated of those to evaluate, and the time left at the speed so far (throttled). */
  | { type: 'prompt-progress'; requestId: number; done: number; total: number; etaMs: number | null }
  | { type: 'load-done'; requestId: number; modelPath: string; contextSize: number }
  | { type: 'load-failed'; requestId: number; message: string }
  | { type: 'unloaded'; requestId: number }
  | { type: 'delta'; requestId: number; text: string }
  | { type: 'done'; requestId: number; text: string; stopReason: string; stats: GenerationStats; debug?: GenerateDebug }
  | { type: 'failed'; requestId: number; message: string; text: string }
  | { type: 'probe-result'; requestId: number; probe: EngineProbe }
  | { type: 'probe-failed'; requestId: number; message: string }
  | { type: 'count-result'; requestId: number; counts: number[] }
  | { type: 'count-failed'; requestId: number; message: string }
  /** After 'done': the context state of that answer is on disk (or could not be written). */
  | { type: 'state-saved'; requestId: number; file: string; bytes: number; tokens: number }
  | { type: 'state-failed'; requestId: number; file: string; message: string };

const fromEngineTypes = new Set([
  'ready', 'init-failed', 'load-progress', 'loaded', 'fitted', 'prompt-progress', 'load-done', 'load-failed', 'unloaded', 'delta', 'done', 'failed', 'probe-result', 'probe-failed',
  'count-result', 'count-failed', 'state-saved', 'state-failed',
]);

/** Messages from another process are checked before use. */
export function isFromEngine(value: unknown): value is FromEngine {
  return typeof value === 'object' && value !== null && fromEngineTypes.has((value as { type?: unknown }).type as string);
}
