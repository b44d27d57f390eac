// Types of the engine supervisor (supervisor.ts re-exports them).
import type { EngineLauncher } from './channel.js';
import type { BackendPreference, ToEngine } from '../shared/protocol.js';
import type {
  AppliedYarn, FitReport, GenerateOutcome, GenerateParams, PromptProgress,
} from '../shared/types.js';

export type { GenerateOutcome, LoadProgress, PromptProgress, StateSaved } from '../shared/types.js';

export type EngineState = 'stopped' | 'starting' | 'loading' | 'ready' | 'generating' | 'crashed';

export interface EngineSnapshot {
  state: EngineState;
  backend: string | null;
  backendReason: string | null;
  threads: number | null;
  modelPath: string | null;
  loadProgress: number | null;
  contextSize: number | null;
  tokensPerSecond: number | null;
  error: string | null;
  /** Set while stopped with changed options (threads null = automatic): the next request starts an engine with them. */
  restartWith: { backend: BackendPreference; threads: number | null } | null;
}

export interface GenerateInput extends GenerateParams {
  onDelta(text: string): void;
  /** Called when the model is loaded for this request (not when it was loaded already). */
  onLoaded?(info: { contextSize: number; yarn: AppliedYarn | null }): void;
  /** Called before the first token with how the history was fitted into the context. */
  onFitted?(report: FitReport): void;
  /** Reading a prompt longer than one batch (throttled): tokens evaluated of those to evaluate, time left. */
  onPromptProgress?(progress: PromptProgress): void;
}

export interface InFlight {
  input: GenerateInput;
  /** Handed to the engine process (false while the engine is still starting). */
  sent: boolean;
  text: string;
  resolve(outcome: GenerateOutcome): void;
}

export interface SupervisorOptions {
  launcher: EngineLauncher;
  entryFile: string;
  backend?: BackendPreference;
  threads?: number;
  env?: Record<string, string>;
  onLog?(text: string): void;
}

/** A context state the engine wrote after an answer (or why it could not). */

/** A probe or a token count waiting for the engine's answer. */
export type Call = { resolve(value: unknown): void; reject(e: Error): void };
type WithoutId<T> = T extends unknown ? Omit<T, 'requestId'> : never;
/** Requests the engine answers at once, also while it generates. */
export type EngineQuestion = WithoutId<Extract<ToEngine, { type: 'probe' } | { type: 'count' } | { type: 'load' } | { type: 'unload' }>>;
