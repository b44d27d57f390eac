// The data that crosses the Engine seam (app/engine.ts): what a generation needs, what it reports,
// and what an engine says about itself and the machine.
//
// These are the app's own definitions, not imports from the engine process's wire protocol
// (native/engine/protocol.ts): the services depend on what any engine must say, and an engine that
// is not the local process (a server, another machine) implements the same types. The local
// adapter (app/local-engine.ts) is the one place that hands these to the supervisor and takes its
// results back, so the compiler checks there that the wire types still match them.
import type { BackendPreference, EngineState, EngineStatus, KvCacheType, Sampling } from './contract.js';
import type { CpuWeightLayout } from '../native/engine/memory-plan.js';

export type { BackendPreference, EngineState, EngineStatus };

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** Sampling as the engine takes it (every field optional: the engine's defaults apply). */
export type GenerateSampling = Sampling;

/** A model with its context, as an engine loads it (ahead of an answer, or for one). */
export interface LoadParams {
  modelPath: string;
  contextSize: number;
  /** KV cache element type (both K and V); absent: the engine's default. */
  kvType?: KvCacheType;
  flashAttention?: boolean;
  /** Default: true (memory-map the model file). */
  useMmap?: boolean;
}

/**
 * Where the engine keeps a conversation's context state (the evaluated prompt) between answers
 * and across engine restarts (only where capabilities.savedState).
 */
export interface StateRequest {
  /** Absolute path of the state file. */
  file: string;
  /** What the state is valid for (model file, load settings, documents): a state with another key is not used. */
  key: string;
}

/** What happened to the context state before an answer: reused in memory, loaded from disk, or neither. */
export type StateOutcome = 'none' | 'kept' | 'loaded' | 'missing' | 'invalid';

/** What one generation needs. */
export interface GenerateParams extends LoadParams {
  systemPrompt: string;
  messages: ChatTurn[];
  sampling: GenerateSampling;
  /** Reuse (and afterwards save) the conversation's context state. */
  state?: StateRequest;
  /** Send the rendered prompt back with the result (tests and diagnostics). */
  capturePrompt?: boolean;
  /** The last of `messages` is an unfinished answer to go on with; the result's text is only what follows it. */
  continueAnswer?: boolean;
  /** At most this many answer tokens when sampling.maxTokens is not set (it does not enlarge the room kept for the answer). */
  answerLimit?: number;
}

/** How the conversation was fitted into the context, before the first token. */
export interface FitReport {
  /** The first `droppedTurns` turns of the request were left out (they did not fit). */
  droppedTurns: number;
  /** Tokens of the whole prompt sent (system prompt and the turns kept). */
  inputTokens: number;
  contextSize: number;
}

/** The YaRN rope scaling a load applied (only above the native context). */
export interface AppliedYarn {
  factor: number;
  originalContext: number;
}

/** Reading a long prompt: tokens evaluated of those to evaluate, and the time left (null before anything was measured). */
export interface PromptProgress {
  done: number;
  total: number;
  etaMs: number | null;
}

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

export interface GenerationStats {
  /** Tokens generated. */
  tokens: number;
  /** Tokens of the prompt that had to be evaluated (not reused). */
  promptTokens: number;
  timeToFirstTokenMs: number;
  /** Decode speed: tokens after the first, per second of decoding. */
  tokensPerSecond: number;
  /** Tokens in the context after the answer (the context meter), out of contextSize; contextSize 0: nothing was measured. */
  contextTokens: number;
  contextSize: number;
}

/** Extra facts about one generation. */
export interface GenerateDebug {
  /** Tokens of the whole prompt (evaluated or reused). */
  promptTokensTotal: number;
  state: StateOutcome;
  /** The prompt exactly as rendered for the model; only when the request set capturePrompt. */
  promptText?: string;
}

/** How a generation ended; `text` is what was generated, also when it failed or the engine died. */
export type GenerateOutcome =
  | { kind: 'done'; text: string; stopReason: string; stats: GenerationStats; debug?: GenerateDebug }
  | { kind: 'failed'; text: string; message: string }
  | { kind: 'crashed'; text: string; message: string };

/** A model load (for an answer or on its own), throttled; ends with progress 1. */
export interface LoadProgress {
  modelPath: string;
  progress: number;
}

/** A context state the engine wrote after an answer (or why it could not). */
export type StateSaved = { file: string; bytes: number; tokens: number; error?: undefined } | { file: string; error: string };

/** The machine the engine runs on, for planning a load (native/engine/memory-plan.ts). */
export interface EngineProbe {
  backend: 'cuda' | 'vulkan' | 'metal' | 'cpu';
  gpus: { name: string; totalVram: number; freeVram: number }[];
  /** Only the sum over several GPUs is known; each then gets an equal share. */
  vramIsAggregate: boolean;
  /** VRAM shared with the CPU (Apple silicon and other SoCs). */
  unifiedMemory: boolean;
  totalRam: number;
  freeRam: number;
  cpuWeightLayout: CpuWeightLayout;
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
