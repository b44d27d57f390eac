// The local engine: the Engine seam over the engine supervisor, which runs llama.cpp in its own
// process on this machine (native/engine/main/supervisor.ts). It lives on the app side because it
// implements the app's Engine interface, which native/ cannot import.
import { EngineSupervisor, type SupervisorOptions } from '../native/engine/main/supervisor.js';
import { stoppedBeforeStart, type Engine } from './engine.js';
import type {
  EngineCapabilities, EngineOptions, EngineProbe, EngineStatus, GenerateOutcome, GenerateParams, GenerateSink, LoadParams, LoadProgress, StateSaved,
} from './engine-types.js';

export type LocalEngineOptions = SupervisorOptions;

export class LocalEngine implements Engine {
  /** llama.cpp through node-llama-cpp on this machine: the app sizes each context and plans its memory. */
  readonly capabilities: EngineCapabilities = {
    exactTokenCounts: true,
    savedState: true,
    embeddings: false,
    grammar: false,
    contextSize: { kind: 'per-load' },
    memoryPlanning: true,
  };

  private readonly supervisor: EngineSupervisor;

  constructor(options: LocalEngineOptions) {
    this.supervisor = new EngineSupervisor(options);
  }

  get status(): EngineStatus {
    return this.supervisor.status;
  }

  onStatus(listener: (status: EngineStatus) => void): () => void {
    return this.supervisor.onStatus(listener);
  }

  onLoadProgress(listener: (progress: LoadProgress) => void): () => void {
    return this.supervisor.onLoadProgress(listener);
  }

  onStateSaved(listener: (saved: StateSaved) => void): () => void {
    return this.supervisor.onStateSaved(listener);
  }

  get options(): EngineOptions {
    return this.supervisor.options;
  }

  reconfigure(change: Partial<EngineOptions>): boolean {
    return this.supervisor.reconfigure(change);
  }

  generate(params: GenerateParams, sink: GenerateSink, signal?: AbortSignal): Promise<GenerateOutcome> {
    // Never started, so no engine process is started for it.
    if (signal?.aborted) return Promise.resolve(stoppedBeforeStart());
    const { requestId, outcome } = this.supervisor.generate({
      ...params,
      onDelta: (text) => sink.onDelta(text),
      onLoaded: (info) => sink.onLoaded?.(info),
      onFitted: (report) => sink.onFitted?.(report),
      onPromptProgress: (progress) => sink.onPromptProgress?.(progress),
    });
    if (!signal) return outcome;
    const stop = () => this.supervisor.abort(requestId);
    signal.addEventListener('abort', stop, { once: true });
    return outcome.then((ended): GenerateOutcome => {
      signal.removeEventListener('abort', stop);
      return ended;
    });
  }

  countTokens(modelPath: string, texts: readonly string[]): Promise<number[]> {
    return this.supervisor.count(modelPath, [...texts]);
  }

  probe(): Promise<EngineProbe> {
    return this.supervisor.probe();
  }

  load(params: LoadParams): Promise<{ contextSize: number }> {
    return this.supervisor.load(params);
  }

  unload(): Promise<void> {
    return this.supervisor.unload();
  }

  get pid(): number | undefined {
    return this.supervisor.pid;
  }

  dispose(): Promise<void> {
    return this.supervisor.dispose();
  }
}
