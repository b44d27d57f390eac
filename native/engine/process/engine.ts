// The engine inside the engine process: one Llama, one loaded model with one context, chat in
// Qwen2's ChatML with streaming, abort that keeps the partial answer, and sampling options.
// Load settings (KV cache type, flash attention, mmap, YaRN above the native context) are resolved
// in load-options.ts; the machine probe for main's planner is in probe.ts.
import os from 'node:os';
import type { ChatHistoryItem, Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { generateAnswer } from './answer-loop.js';
import { selectBackend, type BackendResult } from './backend.js';
import { Qwen2ChatWrapper } from './chat-template.js';
import { fitToContext, type FitCounter } from './context-fit.js';
import { FitMemory } from './fit-memory.js';
import { LlamaLogTail, loadError } from './load-log.js';
import { loadKey, resolveLoad, type LoadSettings } from './load-options.js';
import { probeMachine } from './probe.js';
import type {
  AppliedYarn, BackendPreference, ChatTurn, EngineProbe, FitReport, GenerateDebug, GenerateSampling, GenerateParams, GenerationStats, LoadOptions, LoadParams, StateOutcome, StateRequest,
} from '../shared/protocol.js';
import { continuationTokens, type LastAnswer } from './continuation.js';
import { restoreState, saveState } from './session-state.js';
import { chooseThreads } from './threads.js';
import { TokenCounter } from './tokenizer.js';

interface Loaded {
  key: string;
  modelPath: string;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  wrapper: Qwen2ChatWrapper;
  /** The saved state (file + key) the sequence holds now, if it holds one conversation's documents. */
  holds: string | null;
}

export interface LoadRequest extends LoadParams {
  signal: AbortSignal;
  onLoadProgress(progress: number): void;
  onLoaded(contextSize: number, yarn: AppliedYarn | null): void;
}

export interface GenerateRequest extends GenerateParams, LoadRequest {
  /** Reading a prompt longer than one batch: tokens evaluated of those to evaluate. */
  onPromptProgress?(done: number, total: number): void;
  /** How the history was fitted into the context, before the first token. */
  onFitted(report: FitReport): void;
  onDelta(text: string): void;
}

export interface GenerateResult {
  text: string;
  stopReason: string;
  stats: GenerationStats;
  debug: GenerateDebug;
}

const holdsKey = (s: StateRequest) => JSON.stringify([s.file, s.key]);

export class LlamaEngine {
  private loaded: Loaded | null = null;
  private readonly counter: TokenCounter;
  /** Where recent conversations' prompts started: kept while they fit, so their evaluated prefix is reused. */
  private readonly fits = new FitMemory();
  /** The state to write after the last answer (persistState), if it asked for one. */
  private toSave: { loaded: Loaded; state: StateRequest } | null = null;
  /** The tokens of the last answer, so that continuing it reuses exactly what the sequence holds. */
  private lastAnswer: LastAnswer | null = null;

  private constructor(
    readonly llama: Llama,
    readonly backend: BackendResult['backend'],
    readonly backendReason: string,
    readonly threads: number,
    readonly threadsReason: string,
    private readonly log: LlamaLogTail,
  ) {
    this.counter = new TokenCounter(llama, () => this.loaded);
  }

  static async start(opts: { backend: BackendPreference; threads?: number; logger?: (level: string, message: string) => void }): Promise<LlamaEngine> {
    // Thread pool size is fixed when llama.cpp starts: decide before the backend loads.
    const provisional = chooseThreads({ requested: opts.threads, gpu: false });
    const log = new LlamaLogTail();
    const logger = (level: string, message: string) => {
      log.record(level, message);
      opts.logger?.(level, message);
    };
    const picked = await selectBackend(opts.backend, { maxThreads: provisional.threads, logger });
    const choice = chooseThreads({ requested: opts.threads, cpuMathCores: picked.llama.cpuMathCores || os.availableParallelism(), gpu: picked.backend !== 'cpu' });
    return new LlamaEngine(picked.llama, picked.backend, picked.reason, choice.threads, choice.reason, log);
  }

  /** The machine as llama.cpp sees it, for main's fit planner. */
  probe(): Promise<EngineProbe> {
    return probeMachine(this.llama, this.backend);
  }

  /** Token counts of texts with the tokenizer of `modelPath` (loaded, or its vocabulary alone). */
  count(modelPath: string, texts: readonly string[]): Promise<number[]> {
    return this.counter.count(modelPath, texts);
  }

  /** Writes the context state of the last answer, when it asked for it; null when there is nothing to write. */
  async persistState(): Promise<{ file: string; bytes: number; tokens: number } | null> {
    const job = this.toSave;
    this.toSave = null;
    if (!job || this.loaded !== job.loaded || job.loaded.holds !== holdsKey(job.state)) return null;
    const saved = await saveState(job.loaded.sequence, job.state);
    return { file: job.state.file, ...saved };
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const loaded = await this.ensureLoaded(req);
    this.toSave = null;
    let state: StateOutcome = 'none';
    if (req.state) {
      state = loaded.holds === holdsKey(req.state) ? 'kept' : await restoreState(loaded.sequence, req.state);
    }
    loaded.holds = null; // until this answer has ended well
    const s = req.sampling;
    const contextSize = loaded.context.contextSize;
    // The fit's last exact count is of the history it returns: its tokens are the prompt, kept so a
    // long prompt (a document) is not tokenized a second time.
    const counted = { history: null as ChatHistoryItem[] | null, tokens: [] as Token[] };
    const tokenizePrompt = (chatHistory: ChatHistoryItem[]) => loaded.wrapper.generateContextState({ chatHistory }).contextText.tokenize(loaded.model.tokenizer);
    const counter: FitCounter = {
      countPrompt: (chatHistory) => {
        counted.history = chatHistory;
        counted.tokens = tokenizePrompt(chatHistory);
        return counted.tokens.length;
      },
      countText: (text) => loaded.model.tokenize(text, false).length,
    };
    const fit = fitToContext({ systemPrompt: req.systemPrompt, turns: req.messages, contextSize, maxTokens: s.maxTokens, counter, keepFrom: this.fits.keepFrom(req.systemPrompt, req.messages) });
    this.fits.remember(req.systemPrompt, req.messages, fit.droppedTurns);
    req.onFitted({ droppedTurns: fit.droppedTurns, inputTokens: fit.promptTokens, contextSize });
    // Continuing: the unfinished answer is the last turn, left open (no empty turn after it).
    const history = req.continueAnswer ? fit.history.slice(0, -1) : fit.history;
    const promptText = req.capturePrompt ? loaded.wrapper.generateContextState({ chatHistory: history }).contextText.toString() : undefined;

    const sequence = loaded.sequence;
    const partial = req.continueAnswer ? (req.messages.at(-1)?.content ?? '') : '';
    const prompt = counted.history === fit.history ? counted.tokens : tokenizePrompt(fit.history);
    const continued = req.continueAnswer
      ? continuationTokens({
          // The prompt up to the unfinished answer's own open turn.
          opening: tokenizePrompt([...fit.history.slice(0, -2), { type: 'model', response: [] }]),
          partial,
          last: this.lastAnswer?.loaded === loaded ? this.lastAnswer : null,
          tokenizeWhole: () => tokenizePrompt(history),
        })
      : null;
    const tokens = continued?.tokens ?? prompt;
    // The answer may use the limit again, but never more than the context has room for.
    const room = contextSize - tokens.length - 1;
    if (room < 1) throw new Error(`The context is full: the ${contextSize}-token context has no room to continue this answer.`);
    const limit = s.maxTokens ?? req.answerLimit;
    const maxTokens = Math.min(fit.maxAnswerTokens, room, limit ?? Infinity);
    const started = performance.now();
    let firstTokenAt = 0;
    const answer = await generateAnswer(sequence, loaded.model, {
      tokens,
      maxTokens,
      sampling: s,
      signal: req.signal,
      onFirstToken: () => (firstTokenAt = performance.now()),
      onText: (text) => req.onDelta(text),
      onPromptProgress: req.onPromptProgress,
    });
    const ended = performance.now();
    this.lastAnswer = continued && !continued.answerTokens ? null : {
      loaded,
      opening: continued?.opening ?? prompt,
      answerTokens: [...(continued?.answerTokens ?? []), ...answer.answerTokens],
      text: partial + answer.text,
    };
    // A stop at the token budget: the answer limit when that was the smaller, else the context's room.
    const stopReason = answer.stopReason === 'maxTokens' && !(limit !== undefined && limit <= maxTokens) ? 'contextFull' : answer.stopReason;
    const decodeSeconds = (ended - firstTokenAt) / 1000;
    if (req.state) {
      loaded.holds = holdsKey(req.state);
      this.toSave = { loaded, state: req.state };
    }
    return {
      debug: { promptTokensTotal: fit.promptTokens, state, ...(promptText !== undefined ? { promptText } : {}) },
      text: answer.text,
      stopReason,
      stats: {
        tokens: answer.tokens,
        promptTokens: answer.promptTokens,
        timeToFirstTokenMs: answer.tokens > 0 ? firstTokenAt - started : ended - started,
        tokensPerSecond: answer.tokens > 1 && decodeSeconds > 0 ? (answer.tokens - 1) / decodeSeconds : 0,
        contextTokens: sequence.nextTokenIndex,
        contextSize,
      },
    };
  }

  /** Loads a model and its context ahead of any answer (a no-op when it is loaded with these settings). */
  async load(req: LoadRequest): Promise<{ contextSize: number }> {
    const loaded = await this.ensureLoaded(req);
    return { contextSize: loaded.context.contextSize };
  }

  /** Frees the loaded model and its context; the next answer loads again. */
  async unload(): Promise<void> {
    const current = this.loaded;
    this.loaded = null;
    this.lastAnswer = null;
    this.toSave = null;
    if (current) await disposeLoaded(current);
  }

  private async ensureLoaded(req: LoadRequest): Promise<Loaded> {
    const settings: LoadSettings = { modelPath: req.modelPath, contextSize: req.contextSize, kvType: req.kvType, flashAttention: req.flashAttention, useMmap: req.useMmap };
    const current = this.loaded;
    if (current && current.key === loadKey(settings)) return current;
    const resolved = await resolveLoad(settings);
    if (current) {
      this.loaded = null;
      await disposeLoaded(current);
    }
    const mark = this.log.mark();
    const model = await this.llama
      .loadModel({ ...resolved.model, onLoadProgress: (p) => req.onLoadProgress(p), loadSignal: req.signal })
      .catch(async (error: unknown) => {
        if (req.signal.aborted) throw error;
        // Log lines still queued from the native side arrive before the next turn of the event loop.
        await new Promise((r) => setImmediate(r));
        throw loadError(req.modelPath, error, this.log.reasonSince(mark));
      });
    try {
      const context = await model.createContext({ ...resolved.context, threads: { ideal: this.threads, min: 1 }, sequences: 1 });
      const wrapper = new Qwen2ChatWrapper();
      // No silent context shift: fitToContext keeps prompt + answer inside the context.
      const sequence = context.getSequence();
      this.loaded = { key: resolved.key, modelPath: req.modelPath, model, context, sequence, wrapper, holds: null };
      req.onLoaded(context.contextSize, resolved.yarn);
      return this.loaded;
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  async dispose(): Promise<void> {
    const current = this.loaded;
    this.loaded = null;
    if (current) await disposeLoaded(current);
    await this.counter.dispose();
    await this.llama.dispose();
  }
}

async function disposeLoaded(loaded: Loaded): Promise<void> {
  loaded.sequence.dispose();
  await loaded.context.dispose();
  await loaded.model.dispose();
}
