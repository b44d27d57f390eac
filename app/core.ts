// The application core: opens the store, the model library and the engine, and answers
// every request of the contract. Transports (Electron IPC, the headless host's WebSocket) only
// carry requests here and events back.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, parseRequest, type AppEvent, type AppInfo, type EngineStatus, type Method, type Params, type ResponseEnvelope, type Results } from './contract.js';
import { dataPaths } from './paths.js';
import { ChatService, type PromptCapture } from './services/chat.js';
import { ChatSteps } from './services/chat-steps.js';
import { DocumentsController } from './services/documents/controller.js';
import { documentHandlers } from './services/documents/handlers.js';
import { StateFiles, type StateLimits } from './services/documents/state-files.js';
import { AppSettingsService, DATA_LOCATION_FILE, storedEngineOptions } from './services/app-settings.js';
import { conversationHandlers } from './services/conversation-handlers.js';
import { engineHandlers } from './services/engine-handlers.js';
import { niahHandlers } from './services/niah/handlers.js';
import { NiahRunner } from './services/niah/runner.js';
import { createNiahRuns } from './store/niah.js';
import { Presets } from './services/presets.js';
import { createSearch } from './store/search.js';
import { createTree } from './store/tree.js';
import { FitPlanner } from './services/planner.js';
import { createCatalogue } from './services/catalogue.js';
import { machineFacts, machineSpeed } from './services/machine-speed.js';
import { DownloadService } from './services/downloads/service.js';
import { ModelLibrary } from './services/library.js';
import { watchModelsFolder } from './services/models-watch.js';
import type { Store } from './store/index.js';
import { DiskGuard, DISK_FULL_READ_ONLY } from './services/disk-guard.js';
import { isStorageFull } from './services/disk.js';
import { openAppStore, readOnlyView } from './services/store-start.js';
import type { EngineLauncher } from '../native/engine/main/channel.js';
import type { BackendPreference, Engine } from './engine.js';
import { LocalEngine } from './local-engine.js';

export interface CoreOptions {
  dataDir: string;
  launcher: EngineLauncher;
  engineEntry: string;
  nativeBinding?: string;
  /** Backend and threads from the command line; when absent, the stored settings (settings.update) apply. */
  backend?: BackendPreference;
  threads?: number;
  /**
   * Where settings.update keeps the data folder for the next start: the launcher passes
   * DATA_LOCATION_FILE in the platform's default data folder and opens resolveDataDir(default)
   * (app/services/app-settings.ts). Default: DATA_LOCATION_FILE in dataDir.
   */
  dataLocationFile?: string;
  /** Receives llama.cpp's log (the engine process's stderr). */
  onEngineLog?(text: string): void;
  /** Downloads: where hf: URIs point (tests use a loopback server) and when a silent server counts as stalled. */
  downloads?: { hfBase?: string; stallMs?: number };
  /** Bounds of the saved context states of conversations with documents (<dataDir>/state). */
  stateLimits?: StateLimits;
  /** Space held back for the answer in flight when the disk fills (default 8 MiB; 0: none), and how often a full disk is checked for room. */
  disk?: { reserveBytes?: number; pollMs?: number };
  /** Tests and diagnostics: receives every answer's rendered prompt (one rendering per answer). */
  debug?: { onPrompt?(capture: PromptCapture): void };
}

export interface Core {
  handle(method: string, params: unknown): Promise<ResponseEnvelope>;
  onEvent(listener: (event: AppEvent) => void): () => void;
  readonly info: AppInfo;
  /** The model library (the headless host imports uploaded files through it). */
  readonly library: ModelLibrary;
  readonly downloads: DownloadService;
  /** Documents of conversations (the headless host attaches uploaded files through it). */
  readonly documents: DocumentsController;
  /** Prepare and generate an answer with a sink of one's own, storing nothing (the app's conversations store around them). */
  readonly chatSteps: ChatSteps;
  /** For diagnostics and tests: the running engine process id. */
  readonly enginePid: number | undefined;
  close(): Promise<void>;
}

type Handlers = { [M in Method]: (params: Params<M>) => Promise<Results[M]> | Results[M] };

const version = readVersion();

export async function createCore(opts: CoreOptions): Promise<Core> {
  const paths = dataPaths(opts.dataDir);
  fs.mkdirSync(paths.modelsDir, { recursive: true });
  const listeners = new Set<(event: AppEvent) => void>();
  const disk = new DiskGuard({
    dataDir: paths.dataDir, ...opts.disk,
    onChange: (saveProblem) => listeners.forEach((l) => l({ type: 'storage.changed', saveProblem })),
  });
  // On a full disk the store opens with the reserve released, or else read-only (history is shown).
  const { store, readOnly } = openAppStore(paths.databasePath, disk, { nativeBinding: opts.nativeBinding });
  // Answers that were streaming when the app last died are kept, marked as interrupted.
  if (!readOnly) store.messages.markStreamingAsInterrupted();
  disk.start();

  // Context states of conversations with documents; a deleted conversation's goes with it.
  const states = new StateFiles(path.join(paths.dataDir, 'state'), opts.stateLimits);
  const emit = (event: AppEvent) => {
    if (event.type === 'conversation.deleted') void states.invalidate(event.conversationId).catch(() => {});
    for (const l of listeners) l(event);
  };
  const engine = createEngine(opts, storedEngineOptions(store.settings));
  engine.onStatus((s) => emit({ type: 'engine.status', status: toStatus(s) }));
  engine.onLoadProgress((p) => emit({ type: 'engine.loading', ...p }));
  // A model counts as loaded while the engine process holds it (not once it stopped or crashed).
  const isLoaded = (modelPath: string) => {
    const s = engine.status;
    return s.modelPath === modelPath && s.state !== 'stopped' && s.state !== 'crashed';
  };
  const models = new ModelLibrary({ defaultFolder: paths.modelsDir, store, isLoaded, onChange: () => emit({ type: 'models.changed' }) });
  // Files copied into (or deleted from) the models folder show up without anyone asking.
  const modelsWatch = watchModelsFolder({ folder: () => models.folder(), rescan: () => models.rescan() });
  const downloads = new DownloadService({ store: readOnly ? readOnlyView(store) : store, library: models, emit, ...opts.downloads });
  const planner = new FitPlanner(engine);
  const tree = createTree(store.db, store.messages);
  const presets = new Presets(store.settings);
  // Documents left half-written or half-removed by a crash are removed before anything else.
  const documents = new DocumentsController({
    store, engine, models, states, emit, defaultModel: () => appSettings.get().defaultModelPath, nativeBinding: opts.nativeBinding,
  });
  if (!readOnly) await documents.recover();
  void states.prune().catch(() => {});
  engine.onStateSaved(() => void states.prune().catch(() => {}));
  // One set of chat steps for every caller, so fitting is decided in one place with what the engine holds.
  const chatSteps = new ChatSteps({ engine, models, planner, presets, documents: { controller: documents, states } });
  const chat = new ChatService({ store, tree, steps: chatSteps, emit, documents, onPrompt: opts.debug?.onPrompt, disk });
  const appSettings = new AppSettingsService(store.settings, engine, {
    dataDir: paths.dataDir,
    locationFile: opts.dataLocationFile ?? path.join(paths.dataDir, DATA_LOCATION_FILE),
  }, { folder: () => models.folder(), folderChanged: () => {
    modelsWatch.follow();
    emit({ type: 'models.changed' });
  } });
  // Long-context test runs; those that were going when the app last stopped can be resumed.
  const niahRuns = createNiahRuns(store.db);
  if (!readOnly) niahRuns.markRunningAsInterrupted();
  const niah = new NiahRunner({ engine, models, planner, runs: niahRuns, emit });
  const catalogue = createCatalogue({ hfBase: opts.downloads?.hfBase });
  const info = (): AppInfo => ({ version, ...paths, modelsDir: models.folder(), saveProblem: disk.saveProblem });

  const handlers: Handlers = {
    'app.info': info,
    ...conversationHandlers({ store, tree, search: createSearch(store.db), chat, presets, appSettings, emit }),
    'models.list': () => models.list(),
    'models.rescan': () => {
      modelsWatch.follow();
      return models.rescan(true);
    },
    'models.add': (p) => models.add(p.path, p.mode ?? 'reference'),
    'models.inspect': (p) => models.get(p.id),
    'models.update': (p) => models.update(p.id, { labels: p.labels, defaults: p.defaults }),
    'models.delete': async (p) => {
      await models.remove(p.id, p.deleteFile ?? false);
      return { deleted: true as const };
    },
    'models.plan': async (p) => {
      const model = await models.get(p.id);
      if (model.problem) throw new AppError('invalid_request', `${model.name} cannot be used: ${model.problem}`);
      return planner.plan(await planner.shapeOf(model.parts), p);
    },
    'catalogue.list': async () => {
      const probe = await planner.probe();
      const machine = machineFacts(probe, machineSpeed(store.settings, probe.gpus.map((g) => g.name)));
      return catalogue.list({ plan: (entry, file, contextSize) => planner.plan(catalogue.planInputs(entry.id, file), { contextSize }), machine });
    },
    'system.resources': async () => {
      const resources = await planner.resources();
      return { ...resources, speed: machineSpeed(store.settings, resources.gpus.map((g) => g.name)) };
    },
    'downloads.list': () => downloads.list(),
    'downloads.start': (p) => downloads.start(p.uri, p.sha256),
    'downloads.pause': (p) => downloads.pause(p.id),
    'downloads.resume': (p) => downloads.resume(p.id),
    'downloads.cancel': (p) => downloads.cancel(p.id),
    'engine.status': () => toStatus(engine.status),
    ...documentHandlers(documents),
    ...engineHandlers({ engine, models, planner, chat }),
    ...niahHandlers(niah),
  };

  return {
    get info() {
      return info();
    },
    library: models,
    downloads,
    documents,
    chatSteps,
    get enginePid() {
      return engine.pid;
    },
    async handle(method: string, params: unknown): Promise<ResponseEnvelope> {
      try {
        const request = parseRequest(method, params);
        // Adding a document writes much (its passages and index): refused up front while the disk is full.
        if (request.method === 'documents.attach' && disk.problem) throw new AppError('failed', disk.problem);
        const handler = handlers[request.method] as (p: unknown) => unknown;
        return { id: 0, ok: true, result: await handler(request.params) };
      } catch (error) {
        // A write that found the disk full (or the store read-only): say so plainly, whatever wrote.
        if (isStorageFull(error)) disk.writeFailed(error);
        const code = (error as { code?: unknown })?.code;
        const raw = !(error instanceof AppError); // an AppError already says what could not be done
        if (raw && (isStorageFull(error) || (readOnly && typeof code === 'string' && code.startsWith('SQLITE_READONLY')))) {
          return { id: 0, ok: false, error: { code: 'failed', message: disk.problem ?? DISK_FULL_READ_ONLY } };
        }
        if (error instanceof AppError) return { id: 0, ok: false, error: { code: error.code, message: error.message } };
        return { id: 0, ok: false, error: { code: 'failed', message: (error as Error)?.message ?? String(error) } };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      modelsWatch.close();
      for (const c of store.conversations.list()) if (chat.isRunning(c.id)) await chat.stop(c.id);
      await chat.idle();
      await niah.close();
      chat.disposeWriters();
      disk.close();
      await downloads.close();
      await documents.close();
      await engine.dispose();
      store.close();
      listeners.clear();
    },
  };
}

/** The app's version from the nearest package.json above this file (source, dist/ or packaged). */
function readVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    const parent = path.dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
}

function toStatus(s: EngineStatus): EngineStatus {
  return { ...s };
}

/** The engine the app runs its models with: the local engine process, with the launcher's or the stored options. */
function createEngine(opts: CoreOptions, stored: { backend?: BackendPreference; threads?: number }): Engine {
  return new LocalEngine({
    launcher: opts.launcher,
    entryFile: opts.engineEntry,
    backend: opts.backend ?? stored.backend,
    threads: opts.threads ?? stored.threads,
    onLog: opts.onEngineLog,
  });
}
