// The Engine seam: everything the services ask of an engine that runs models. app/core.ts builds
// one (today the local engine process, app/local-engine.ts) and hands it to the services, which
// know only this interface and the types of app/engine-types.ts.
import type {
  EngineCapabilities, EngineOptions, EngineProbe, EngineStatus, GenerateOutcome, GenerateParams, GenerateSink, GenerationStats, LoadParams, LoadProgress, StateSaved,
} from './engine-types.js';

export type * from './engine-types.js';

export interface Engine {
  /** What this engine can do (fixed for its lifetime). */
  readonly capabilities: EngineCapabilities;

  /** Where the engine is now (starting, loading, generating…), with its backend and loaded model. */
  readonly status: EngineStatus;
  onStatus(listener: (status: EngineStatus) => void): () => void;
  /** Every model load's progress, also for loads a generation starts. */
  onLoadProgress(listener: (progress: LoadProgress) => void): () => void;
  /** A context state was written (or failed to be) after a generation that asked for one. */
  onStateSaved(listener: (saved: StateSaved) => void): () => void;

  /** The backend and threads the engine runs (or next starts) with. */
  readonly options: EngineOptions;
  /** Changes backend or threads, applied once nothing is in flight; returns whether anything changed. */
  reconfigure(change: Partial<EngineOptions>): boolean;

  /**
   * Generates an answer: its text goes to `sink` as it comes, and the promise says how it ended.
   * Aborting `signal` stops it; the outcome is then 'done' with stopReason 'abort' and the text so far.
   */
  generate(params: GenerateParams, sink: GenerateSink, signal?: AbortSignal): Promise<GenerateOutcome>;
  /** Token counts of many texts in one call, with the tokenizer of `modelPath`. */
  countTokens(modelPath: string, texts: readonly string[]): Promise<number[]>;
  /** The machine the engine runs on: backend, GPUs and their memory, RAM. */
  probe(): Promise<EngineProbe>;
  /** Loads a model with its context ahead of any answer (after the answer in progress, if any). */
  load(params: LoadParams): Promise<{ contextSize: number }>;
  /** Frees the loaded model (after the answer in progress, if any). */
  unload(): Promise<void>;

  /** Process id of the engine's process, where it has one here (diagnostics and crash tests). */
  readonly pid?: number | undefined;
  /** Stops the engine; what is in flight ends. */
  dispose(): Promise<void>;
}

/** The outcome of a generation stopped before the engine had it: nothing was generated or measured. */
export function stoppedBeforeStart(): GenerateOutcome {
  const stats: GenerationStats = { tokens: 0, promptTokens: 0, timeToFirstTokenMs: 0, tokensPerSecond: 0, contextTokens: 0, contextSize: 0 };
  return { kind: 'done', text: '', stopReason: 'abort', stats };
}
