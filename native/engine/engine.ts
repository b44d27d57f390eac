// The engine inside the engine process: one Llama, one loaded model with one context, chat in
// Qwen2's ChatML with streaming, abort that keeps the partial answer, and sampling options.
import os from 'node:os';
import { LlamaChat, type ChatHistoryItem, type Llama, type LlamaContext, type LlamaModel } from 'node-llama-cpp';
import { selectBackend } from './backend.js';
import { Qwen2ChatWrapper } from './chat-template.js';
import type { BackendPreference, ChatTurn, GenerateSampling, GenerationStats } from './protocol.js';
import { chooseThreads } from './threads.js';

interface Loaded {
  modelPath: string;
  contextSize: number;
  model: LlamaModel;
  context: LlamaContext;
  chat: LlamaChat;
}

export interface GenerateRequest {
  modelPath: string;
  contextSize: number;
  systemPrompt: string;
  messages: ChatTurn[];
  sampling: GenerateSampling;
  signal: AbortSignal;
  onLoadProgress(progress: number): void;
  onLoaded(contextSize: number): void;
  onDelta(text: string): void;
}

export interface GenerateResult {
  text: string;
  stopReason: string;
  stats: GenerationStats;
}

export class Engine {
  private loaded: Loaded | null = null;

  private constructor(
    readonly llama: Llama,
    readonly backend: string,
    readonly backendReason: string,
    readonly threads: number,
    readonly threadsReason: string,
  ) {}

  static async start(opts: { backend: BackendPreference; threads?: number; logger?: (level: string, message: string) => void }): Promise<Engine> {
    // Thread pool size is fixed when llama.cpp starts: decide before the backend loads.
    const provisional = chooseThreads({ requested: opts.threads, gpu: false });
    const picked = await selectBackend(opts.backend, { maxThreads: provisional.threads, logger: opts.logger });
    const choice = chooseThreads({ requested: opts.threads, cpuMathCores: picked.llama.cpuMathCores || os.availableParallelism(), gpu: picked.backend !== 'cpu' });
    return new Engine(picked.llama, picked.backend, picked.reason, choice.threads, choice.reason);
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const loaded = await this.ensureLoaded(req);
    const history: ChatHistoryItem[] = [{ type: 'system', text: req.systemPrompt }];
    for (const turn of req.messages) {
      history.push(turn.role === 'user' ? { type: 'user', text: turn.content } : { type: 'model', response: [turn.content] });
    }
    history.push({ type: 'model', response: [] });

    const sequence = loaded.chat.sequence;
    const evaluatedBefore = sequence.tokenMeter.usedInputTokens;
    const started = performance.now();
    let firstTokenAt = 0;
    let tokens = 0;
    let promptTokens = 0;
    const s = req.sampling;
    const response = await loaded.chat.generateResponse(history, {
      signal: req.signal,
      stopOnAbortSignal: true,
      maxTokens: s.maxTokens,
      temperature: s.temperature,
      topP: s.topP,
      topK: s.topK,
      seed: s.seed,
      onToken: (t) => {
        if (tokens === 0) {
          firstTokenAt = performance.now();
          promptTokens = sequence.tokenMeter.usedInputTokens - evaluatedBefore;
        }
        tokens += t.length;
      },
      onTextChunk: (text) => {
        if (text) req.onDelta(text);
      },
    });
    const ended = performance.now();
    const decodeSeconds = (ended - firstTokenAt) / 1000;
    return {
      text: response.response,
      stopReason: response.metadata.stopReason,
      stats: {
        tokens,
        promptTokens,
        timeToFirstTokenMs: tokens > 0 ? firstTokenAt - started : ended - started,
        tokensPerSecond: tokens > 1 && decodeSeconds > 0 ? (tokens - 1) / decodeSeconds : 0,
      },
    };
  }

  private async ensureLoaded(req: GenerateRequest): Promise<Loaded> {
    const current = this.loaded;
    if (current && current.modelPath === req.modelPath && current.contextSize === req.contextSize) return current;
    if (current) {
      this.loaded = null;
      await current.chat.dispose();
      await current.context.dispose();
      await current.model.dispose();
    }
    const model = await this.llama.loadModel({
      modelPath: req.modelPath,
      onLoadProgress: (p) => req.onLoadProgress(p),
      loadSignal: req.signal,
    });
    try {
      const trained = model.trainContextSize;
      const contextSize = Math.min(req.contextSize, trained > 0 ? trained : req.contextSize);
      const context = await model.createContext({ contextSize, threads: { ideal: this.threads, min: 1 }, sequences: 1 });
      const chat = new LlamaChat({ contextSequence: context.getSequence(), chatWrapper: new Qwen2ChatWrapper() });
      this.loaded = { modelPath: req.modelPath, contextSize: req.contextSize, model, context, chat };
      req.onLoaded(context.contextSize);
      return this.loaded;
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  async dispose(): Promise<void> {
    const current = this.loaded;
    this.loaded = null;
    if (current) {
      await current.chat.dispose();
      await current.context.dispose();
      await current.model.dispose();
    }
    await this.llama.dispose();
  }
}
