// The data a generation needs and reports, shared by the engine process's wire protocol
// (protocol.ts), the supervisor (main/supervisor-types.ts) and the app's Engine seam (app/engine-types.ts),
// which re-exports it. Types only: no runtime code, so importing it ties nothing to the engine process.

/** KV cache element type (both K and V). */
export type KvType = 'f16' | 'q8_0' | 'q4_0';

/**
 * How the CPU backend stores matmul weights (the engine's `probe` reports it): 'amx' on x86 CPUs
 * with AMX-INT8, 'repack-x86' on other x86 CPUs with AVX2 (Q4_0, Q4_K, IQ4_NL repacked, same size),
 * 'repack-arm' on ARM with dot-product instructions (also Q8_0, Q5_K, Q6_K), 'plain' otherwise.
 */
export type CpuWeightLayout = 'plain' | 'repack-x86' | 'repack-arm' | 'amx';

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface GenerateSampling {
  temperature?: number;
  topP?: number;
  topK?: number;
  /** 0 = off. */
  minP?: number;
  /** node-llama-cpp's repeatPenalty.penalty; 1 = off. */
  repeatPenalty?: number;
  /** Without it, the answer may use what is left of the context (never more: no silent context shift). */
  maxTokens?: number;
  seed?: number;
}

/** How the conversation was fitted into the context, sent before the first token. */
export interface FitReport {
  /** The first `droppedTurns` turns of the request were left out (they did not fit). */
  droppedTurns: number;
  /** Tokens of the whole prompt sent (system prompt and the turns kept). */
  inputTokens: number;
  contextSize: number;
}

export interface GenerationStats {
  /** Tokens generated. */
  tokens: number;
  /** Tokens of the prompt that had to be evaluated (not reused from the context). */
  promptTokens: number;
  timeToFirstTokenMs: number;
  /** Decode speed: tokens after the first, per second of decoding. */
  tokensPerSecond: number;
  /** Tokens in the context after the answer (the context meter), out of contextSize. */
  contextTokens: number;
  contextSize: number;
}

/** Load settings beyond the model and context; absent fields keep node-llama-cpp's defaults. */
export interface LoadOptions {
  /** KV cache element type (both K and V); q8_0/q4_0 need flash attention and a head size divisible by 32. */
  kvType?: KvType;
  /** Default: node-llama-cpp's 'auto' (on where the backend supports it). */
  flashAttention?: boolean;
  /** Default: true (memory-map the model file). */
  useMmap?: boolean;
}

/** What the engine process reports about the machine, for planning a load (main/memory-plan.ts). */
export interface EngineProbe {
  backend: 'cuda' | 'vulkan' | 'metal' | 'cpu';
  gpus: { name: string; totalVram: number; freeVram: number }[];
  /** llama.cpp only reports the sum over several GPUs; each then gets an equal share. */
  vramIsAggregate: boolean;
  /** VRAM shared with the CPU (Apple silicon and other SoCs). */
  unifiedMemory: boolean;
  totalRam: number;
  freeRam: number;
  cpuWeightLayout: CpuWeightLayout;
}

/** The YaRN rope scaling a load applied (only above the native context). */
export interface AppliedYarn {
  factor: number;
  originalContext: number;
}

/**
 * Where the engine keeps a conversation's context state (the evaluated KV cache) between answers
 * and across engine restarts: `file` (.bin) and, next to it, a .json with the key and the tokens.
 */
export interface StateRequest {
  /** Absolute path of the state file (.bin). */
  file: string;
  /** What the state is valid for (model file, load settings, documents): a file with another key is deleted. */
  key: string;
}

/** What happened to the context state before an answer: reused in memory, loaded from disk, or neither. */
export type StateOutcome = 'none' | 'kept' | 'loaded' | 'missing' | 'invalid';

/** Extra facts about one generation (no per-token cost). */
export interface GenerateDebug {
  /** Tokens of the whole prompt (evaluated or reused). */
  promptTokensTotal: number;
  state: StateOutcome;
  /** The prompt exactly as rendered for the model; only when the request set capturePrompt. */
  promptText?: string;
}

/** A model with its context, as the engine loads it (ahead of an answer, or for one). */
export interface LoadParams extends LoadOptions {
  modelPath: string;
  contextSize: number;
}

/** What one generation needs: the same fields in the supervisor's input, the message and the engine. */
export interface GenerateParams extends LoadParams {
  systemPrompt: string;
  messages: ChatTurn[];
  sampling: GenerateSampling;
  /** Reuse (and afterwards save) the conversation's context state on disk. */
  state?: StateRequest;
  /** Send the rendered prompt back with the result (tests and diagnostics). */
  capturePrompt?: boolean;
  /**
   * The last of `messages` is an unfinished answer to go on with: the prompt ends with its text
   * (an open assistant turn, no <|im_end|>) and the result's text is only what follows it.
   */
  continueAnswer?: boolean;
  /**
   * At most this many answer tokens when sampling.maxTokens is not set; unlike maxTokens it does not
   * enlarge the room kept for the answer when the conversation is fitted into the context.
   */
  answerLimit?: number;
}

export interface PromptProgress {
  done: number;
  total: number;
  /** From the speed measured so far; null before anything was measured. */
  etaMs: number | null;
}

/** A model load (for an answer or on its own), throttled; ends with progress 1. */
export interface LoadProgress {
  modelPath: string;
  progress: number;
}

/** How a generation ended; `text` is what was generated, also when it failed or the engine died. */
export type GenerateOutcome =
  | { kind: 'done'; text: string; stopReason: string; stats: GenerationStats; debug?: GenerateDebug }
  | { kind: 'failed'; text: string; message: string }
  | { kind: 'crashed'; text: string; message: string };

/** A context state the engine wrote after an answer (or why it could not). */
export type StateSaved = { file: string; bytes: number; tokens: number; error?: undefined } | { file: string; error: string };
