// The data that crosses the Engine seam (app/engine.ts): what a generation needs, what it reports,
// and what an engine says about itself and the machine.
//
// The generation data (turns, load and generation parameters, outcomes, progress, the machine probe)
// is defined once, types only, in native/engine/shared/types.ts, which the engine process's wire protocol
// also uses; the services take it from here, never from the protocol or the supervisor. What only the
// seam has (the sink, the options, the capabilities) is defined here. An engine that is not the local
// process (a server, another machine) implements the same types.
import type { BackendPreference, EngineState, EngineStatus } from './contract.js';
import type { AppliedYarn, FitReport, PromptProgress } from '../native/engine/shared/types.js';

export type { BackendPreference, EngineState, EngineStatus };
export type {
  AppliedYarn, ChatTurn, EngineProbe, FitReport, GenerateDebug, GenerateOutcome, GenerateParams, GenerateSampling,
  GenerationStats, LoadParams, LoadProgress, PromptProgress, StateOutcome, StateRequest, StateSaved,
} from '../native/engine/shared/types.js';

/** Where a generation's text and progress go while it runs. */
export interface GenerateSink {
  onDelta(text: string): void;
  /** The model was loaded for this request (not called when it was loaded already). */
  onLoaded?(info: { contextSize: number; yarn: AppliedYarn | null }): void;
  /** How the history was fitted into the context, before the first token. */
  onFitted?(report: FitReport): void;
  /** Reading a prompt longer than one batch (throttled). */
  onPromptProgress?(progress: PromptProgress): void;
}

/** The backend and thread count an engine runs with (threads undefined = automatic). */
export interface EngineOptions {
  backend: BackendPreference;
  threads: number | undefined;
}

/** What an engine can do; the services ask instead of assuming the local engine. */
export interface EngineCapabilities {
  /** countTokens uses the model's own tokenizer (else the counts are estimates). */
  exactTokenCounts: boolean;
  /** A generation's StateRequest is honoured: the evaluated prompt is kept and reloaded between answers. */
  savedState: boolean;
  embeddings: boolean;
  /** Output constrained by a grammar (JSON schema and the like). */
  grammar: boolean;
  /** 'per-load': each load names its context size; 'fixed': the engine's own (its size, where known). */
  contextSize: { kind: 'per-load' } | { kind: 'fixed'; size: number | null };
  /** The model runs on this machine, so the memory planner's verdict applies before a load. */
  memoryPlanning: boolean;
}
