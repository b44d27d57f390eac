// The typed message protocol between the engine supervisor (main side) and the engine process.

export type BackendPreference = 'auto' | 'cuda' | 'vulkan' | 'metal' | 'cpu';

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface GenerateSampling {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  seed?: number;
}

export interface GenerationStats {
  /** Tokens generated. */
  tokens: number;
  /** Tokens of the prompt that had to be evaluated (not reused from the context). */
  promptTokens: number;
  timeToFirstTokenMs: number;
  /** Decode speed: tokens after the first, per second of decoding. */
  tokensPerSecond: number;
}

export type ToEngine =
  | { type: 'init'; backend: BackendPreference; threads?: number }
  | {
      type: 'generate';
      requestId: number;
      modelPath: string;
      contextSize: number;
      systemPrompt: string;
      messages: ChatTurn[];
      sampling: GenerateSampling;
    }
  | { type: 'abort'; requestId: number };

export type FromEngine =
  | { type: 'ready'; backend: string; backendReason: string; threads: number; threadsReason: string }
  | { type: 'init-failed'; message: string }
  | { type: 'load-progress'; requestId: number; modelPath: string; progress: number }
  | { type: 'loaded'; requestId: number; modelPath: string; contextSize: number }
  | { type: 'delta'; requestId: number; text: string }
  | { type: 'done'; requestId: number; text: string; stopReason: string; stats: GenerationStats }
  | { type: 'failed'; requestId: number; message: string; text: string };

const fromEngineTypes = new Set(['ready', 'init-failed', 'load-progress', 'loaded', 'delta', 'done', 'failed']);

/** Messages from another process are checked before use. */
export function isFromEngine(value: unknown): value is FromEngine {
  return typeof value === 'object' && value !== null && fromEngineTypes.has((value as { type?: unknown }).type as string);
}
