// Runs the engine in its own process and watches it. When the process dies (killed, native abort,
// out of memory) the request in flight ends as 'crashed' with the text received so far, and the
// next request starts a fresh process.
import type { EngineChannel } from './channel.js';
import { engineProcessEnv } from './process-env.js';
import { isFromEngine, type BackendPreference, type EngineProbe, type FromEngine, type LoadParams } from '../shared/protocol.js';
import type { Call, EngineSnapshot, EngineQuestion, GenerateInput, GenerateOutcome, InFlight, LoadProgress, StateSaved, SupervisorOptions } from './supervisor-types.js';

export type { EngineSnapshot, EngineState, GenerateInput, GenerateOutcome, LoadProgress, PromptProgress, StateSaved, SupervisorOptions } from './supervisor-types.js';

export class EngineSupervisor {
  private channel: EngineChannel | null = null;
  private started: Promise<void> | null = null;
  private nextId = 1;
  private readonly inFlight = new Map<number, InFlight>();
  /** Probes and token counts: answered by the engine at once, also while it generates. */
  private readonly probes = new Map<number, Call>();
  private readonly listeners = new Set<(s: EngineSnapshot) => void>();
  private readonly stateListeners = new Set<(s: StateSaved) => void>();
  private readonly loadListeners = new Set<(p: LoadProgress) => void>();
  private snapshot: EngineSnapshot = {
    state: 'stopped', backend: null, backendReason: null, threads: null, modelPath: null,
    loadProgress: null, contextSize: null, tokensPerSecond: null, error: null, restartWith: null,
  };

  /** Set when the backend or threads changed while the engine ran: it stops once idle. */
  private restartPending = false;

  constructor(private opts: SupervisorOptions) {}

  /** The backend and thread count the next engine process starts with. */
  get options(): { backend: BackendPreference; threads: number | undefined } {
    return { backend: this.opts.backend ?? 'auto', threads: this.opts.threads };
  }

  /**
   * Changes the backend or thread count (threads undefined = automatic). A running engine is
   * stopped as soon as nothing is in flight, so the next request starts one with the new options.
   * Returns whether anything changed.
   */
  reconfigure(change: { backend?: BackendPreference; threads?: number | undefined }): boolean {
    const next = { ...this.options, ...change };
    if (next.backend === this.options.backend && next.threads === this.options.threads) return false;
    this.opts = { ...this.opts, backend: next.backend, threads: next.threads };
    if (this.channel || this.started) {
      this.restartPending = true;
      this.stopIfIdle();
    } else if (this.snapshot.state === 'stopped' || this.snapshot.state === 'crashed') {
      this.update({ restartWith: this.restartOptions() });
    }
    return true;
  }

  get status(): EngineSnapshot {
    return this.snapshot;
  }

  /** Process id of the running engine, if any (for diagnostics and crash tests). */
  get pid(): number | undefined {
    return this.channel?.pid;
  }

  onStatus(listener: (s: EngineSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts a generation; returns its id at once and its outcome when it ends. */
  generate(input: GenerateInput): { requestId: number; outcome: Promise<GenerateOutcome> } {
    const requestId = this.nextId++;
    const outcome = new Promise<GenerateOutcome>((resolve) => {
      this.inFlight.set(requestId, { input, sent: false, text: '', resolve });
    });
    void this.ensureStarted()
      .then((channel) => {
        const flight = this.inFlight.get(requestId);
        if (!flight) return;
        flight.sent = true;
        // Only data crosses to the engine process: the callbacks stay here.
        const { onDelta: _delta, onLoaded: _loaded, onFitted: _fitted, onPromptProgress: _progress, ...rest } = input;
        channel.send({ type: 'generate', requestId, ...rest });
      })
      .catch((error: Error) => this.settle(requestId, { kind: 'failed', text: '', message: error.message }));
    return { requestId, outcome };
  }

  /** Starts the engine if needed and asks it about the machine (backend, GPUs and VRAM, RAM). */
  probe(): Promise<EngineProbe> {
    return this.ask<EngineProbe>({ type: 'probe' });
  }

  /** Token counts of texts with the tokenizer of `modelPath` (the loaded model, or only its vocabulary). */
  count(modelPath: string, texts: string[]): Promise<number[]> {
    return this.ask<number[]>({ type: 'count', modelPath, texts });
  }

  /** Loads a model with its context ahead of any answer (after the answer in progress, if any). */
  load(params: LoadParams): Promise<{ contextSize: number }> {
    return this.ask<{ contextSize: number }>({ type: 'load', ...params });
  }

  /** Frees the loaded model (after the answer in progress, if any); nothing to do when no engine runs. */
  async unload(): Promise<void> {
    if (!this.channel) return;
    await this.ask<void>({ type: 'unload' });
  }

  /** Every model load's progress (throttled by the engine), also for loads an answer starts. */
  onLoadProgress(listener: (p: LoadProgress) => void): () => void {
    this.loadListeners.add(listener);
    return () => this.loadListeners.delete(listener);
  }

  /** Called when the engine has written (or failed to write) the context state of an answer. */
  onStateSaved(listener: (s: StateSaved) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private async ask<T>(question: EngineQuestion): Promise<T> {
    const channel = await this.ensureStarted();
    const requestId = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.probes.set(requestId, { resolve: resolve as (v: unknown) => void, reject });
      channel.send({ ...question, requestId });
    });
  }

  abort(requestId: number): void {
    const flight = this.inFlight.get(requestId);
    if (flight && !flight.sent) {
      // Stopped before the engine (still starting) received it: nothing was generated.
      const stats = { tokens: 0, promptTokens: 0, timeToFirstTokenMs: 0, tokensPerSecond: 0, contextTokens: 0, contextSize: 0 };
      this.settle(requestId, { kind: 'done', text: '', stopReason: 'abort', stats });
      return;
    }
    this.channel?.send({ type: 'abort', requestId });
  }

  async dispose(): Promise<void> {
    const channel = this.channel;
    this.channel = null;
    this.started = null;
    for (const [id, pending] of this.probes) {
      this.probes.delete(id);
      pending.reject(new Error('The engine was stopped.'));
    }
    if (channel) {
      const exited = new Promise<void>((r) => channel.onExit(() => r()));
      channel.kill();
      await exited;
    }
  }

  private ensureStarted(): Promise<EngineChannel> {
    if (!this.started) this.started = this.start();
    return this.started.then(() => {
      if (!this.channel) throw new Error('The engine process is not running.');
      return this.channel;
    });
  }

  private start(): Promise<void> {
    this.update({ state: 'starting', error: null, modelPath: null, loadProgress: null, contextSize: null, restartWith: null });
    const channel = this.opts.launcher(this.opts.entryFile, { ...engineProcessEnv(), ...this.opts.env });
    this.channel = channel;
    if (this.opts.onLog) channel.onLog?.(this.opts.onLog);
    return new Promise<void>((resolve, reject) => {
      channel.onMessage((raw) => {
        if (!isFromEngine(raw)) return;
        if (raw.type === 'ready') {
          this.update({ state: 'ready', backend: raw.backend, backendReason: raw.backendReason, threads: raw.threads });
          resolve();
        } else if (raw.type === 'init-failed') {
          reject(new Error(`The engine could not start: ${raw.message}`));
          channel.kill();
        } else this.onEngineMessage(raw);
      });
      channel.onExit((code, signal) => {
        const why = signal ? `killed by ${signal}` : `exit code ${code}`;
        reject(new Error(`The engine process ended while starting (${why}).`));
        this.onExit(channel, why);
      });
      channel.send({ type: 'init', backend: this.opts.backend ?? 'auto', threads: this.opts.threads });
    });
  }

  private onEngineMessage(m: FromEngine): void {
    if (m.type === 'ready' || m.type === 'init-failed') return;
    if (m.type === 'probe-result' || m.type === 'probe-failed' || m.type === 'count-result' || m.type === 'count-failed') {
      const pending = this.probes.get(m.requestId);
      this.probes.delete(m.requestId);
      if (m.type === 'probe-result') pending?.resolve(m.probe);
      else if (m.type === 'count-result') pending?.resolve(m.counts);
      else pending?.reject(new Error(m.message));
      this.stopIfIdle();
      return;
    }
    if (m.type === 'load-progress') {
      this.update({ state: 'loading', modelPath: m.modelPath, loadProgress: m.progress, contextSize: null });
      for (const l of this.loadListeners) l({ modelPath: m.modelPath, progress: m.progress });
      return;
    }
    if (m.type === 'load-done' || m.type === 'load-failed' || m.type === 'unloaded') {
      const pending = this.probes.get(m.requestId);
      this.probes.delete(m.requestId);
      if (m.type === 'load-done') {
        this.update({ state: 'ready', modelPath: m.modelPath, loadProgress: 1, contextSize: m.contextSize, error: null });
        pending?.resolve({ contextSize: m.contextSize });
      } else if (m.type === 'unloaded') {
        this.update({ state: 'ready', modelPath: null, loadProgress: null, contextSize: null });
        pending?.resolve(undefined);
      } else {
        this.update({ state: 'ready', modelPath: null, loadProgress: null, contextSize: null, error: m.message });
        pending?.reject(new Error(m.message));
      }
      this.stopIfIdle();
      return;
    }
    if (m.type === 'state-saved' || m.type === 'state-failed') {
      const saved: StateSaved = m.type === 'state-saved' ? { file: m.file, bytes: m.bytes, tokens: m.tokens } : { file: m.file, error: m.message };
      for (const l of this.stateListeners) l(saved);
      return;
    }
    const flight = this.inFlight.get(m.requestId);
    if (!flight) return;
    switch (m.type) {
      case 'prompt-progress':
        flight.input.onPromptProgress?.({ done: m.done, total: m.total, etaMs: m.etaMs });
        break;
      case 'fitted':
        flight.input.onFitted?.({ droppedTurns: m.droppedTurns, inputTokens: m.inputTokens, contextSize: m.contextSize });
        break;
      case 'loaded':
        this.update({ state: 'generating', modelPath: m.modelPath, loadProgress: 1, contextSize: m.contextSize });
        flight.input.onLoaded?.({ contextSize: m.contextSize, yarn: m.yarn ?? null });
        break;
      case 'delta':
        if (this.snapshot.state !== 'generating') this.update({ state: 'generating', modelPath: flight.input.modelPath });
        flight.text += m.text;
        flight.input.onDelta(m.text);
        break;
      case 'done':
        this.update({ state: 'ready', tokensPerSecond: m.stats.tokensPerSecond });
        this.settle(m.requestId, { kind: 'done', text: m.text, stopReason: m.stopReason, stats: m.stats, debug: m.debug });
        break;
      case 'failed':
        this.update({ state: 'ready', error: m.message });
        this.settle(m.requestId, { kind: 'failed', text: m.text || flight.text, message: m.message });
        break;
    }
  }

  private onExit(channel: EngineChannel, why: string): void {
    if (this.channel !== channel) return; // an engine we already replaced or disposed
    this.channel = null;
    this.started = null;
    const message = `The engine stopped unexpectedly (${why}).`;
    this.update({ state: 'crashed', error: message, loadProgress: null });
    for (const [id, flight] of this.inFlight) this.settle(id, { kind: 'crashed', text: flight.text, message });
    for (const [id, pending] of this.probes) {
      this.probes.delete(id);
      pending.reject(new Error(message));
    }
  }

  private settle(requestId: number, outcome: GenerateOutcome): void {
    const flight = this.inFlight.get(requestId);
    if (!flight) return;
    this.inFlight.delete(requestId);
    flight.resolve(outcome);
    this.stopIfIdle();
  }

  /** Ends the engine process for a pending restart once no request or probe needs it. */
  private stopIfIdle(): void {
    if (!this.restartPending || this.inFlight.size > 0 || this.probes.size > 0) return;
    this.restartPending = false;
    const channel = this.channel;
    this.started?.catch(() => {}); // a start cut short here is not an error anyone waits for
    this.channel = null;
    this.started = null;
    channel?.kill();
    // What the stopped engine ran with no longer applies: the status says what the next one starts with.
    this.update({
      state: 'stopped', modelPath: null, loadProgress: null, contextSize: null, error: null,
      backend: null, backendReason: null, threads: null, restartWith: this.restartOptions(),
    });
  }

  private restartOptions(): { backend: BackendPreference; threads: number | null } {
    return { backend: this.options.backend, threads: this.options.threads ?? null };
  }

  private update(patch: Partial<EngineSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l(this.snapshot);
  }
}
