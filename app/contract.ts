// The one definition of every request and event between the renderer and main.
// Main validates every request with these schemas before acting on it; the renderer
// imports only the types (and the method list) from here. Issue 5's requests (branches, presets,
// search, export/import, settings) are defined in contract-chat.ts and merged in below.
import { z } from 'zod';
import { Id, MessageStatus, Sampling, type BackendPreference, type StopReason } from './contract-base.js';
import { chatRequests, type BranchMessage, type ChatEvent, type ChatResults, type ConversationSettings } from './contract-chat.js';
import { documentRequests, type DocumentEvent, type DocumentResults } from './contract-documents.js';

export { BackendPreference, DEFAULT_ANSWER_LIMIT, Id, MessageStatus, Sampling, StopReason } from './contract-base.js';
export * from './contract-chat.js';
export * from './contract-documents.js';

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** Pinned conversations come first in conversations.list. */
  pinned: boolean;
  settings: ConversationSettings;
  /** The last message of the active branch (null when empty): when it changes, refetch messages.page. */
  activeLeafId: string | null;
}

/** The honest numbers of one answer (null fields: not measured, e.g. answers from before version 0.2). */
export interface MessageStats {
  /** Tokens generated. */
  tokens: number;
  /** Decode speed: tokens after the first, per second. */
  tokensPerSecond: number;
  timeToFirstTokenMs: number;
  /** Prompt tokens the engine had to evaluate for this answer (the rest was reused from the context). */
  promptTokens: number | null;
  /** The context meter: tokens in the context after the answer, out of contextSize. */
  contextTokens: number | null;
  contextSize: number | null;
}

export interface Message {
  id: string;
  conversationId: string;
  role: 'system' | 'user' | 'assistant';
  content: string;
  status: MessageStatus;
  error: string | null;
  model: string | null;
  stats: MessageStats | null;
  createdAt: number;
  /** The message this one follows (null for the first). Always set by main; optional only for messages the renderer makes up. */
  parentId?: string | null;
  /**
   * Answers: how many earlier messages of the branch were left out of the prompt because they no
   * longer fit the context (the UI shows "N earlier messages no longer fit in the {stats.contextSize}-token
   * context" above this answer). 0 when everything fit. Always set by main.
   */
  droppedMessages?: number;
  /** Answers: the sampling the engine used (request > conversation > preset > model > Qwen2 defaults). */
  sampling?: Sampling | null;
  /**
   * Finished answers: why the last generation ended ('limit' and 'context-full' can be continued
   * with chat.continue); null while streaming, when stopped, failed, or for answers from before 0.3.
   */
  stopReason?: StopReason | null;
}

export interface ModelFile {
  path: string;
  name: string;
  sizeBytes: number;
  /** From the GGUF header: 'qwen2' | 'qwen2moe'; null when the file was rejected. */
  architecture: string | null;
  /** Why the file cannot be used, or null when it can. */
  problem: string | null;
}

export type EngineState = 'stopped' | 'starting' | 'loading' | 'ready' | 'generating' | 'crashed';

export interface EngineStatus {
  state: EngineState;
  /** 'cuda' | 'vulkan' | 'metal' | 'cpu', once the engine process has started. */
  backend: string | null;
  /** Why this backend: what was tried and what failed. */
  backendReason: string | null;
  threads: number | null;
  modelPath: string | null;
  loadProgress: number | null;
  contextSize: number | null;
  tokensPerSecond: number | null;
  error: string | null;
  /**
   * Set while the engine is stopped after the backend or threads changed (settings.update), until it
   * starts again: the next answer starts it with these (threads null = automatic). Not an error.
   */
  restartWith: { backend: BackendPreference; threads: number | null } | null;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  modelsDir: string;
  databasePath: string;
  /** Why nothing new can be saved now (the disk is full), or null while everything can be saved. */
  saveProblem: SaveProblem | null;
}

/** 'disk-full': until there is room again; 'read-only': started on a full disk, until the next start. */
export interface SaveProblem {
  kind: 'disk-full' | 'read-only';
  message: string;
}

// ---- model manager (issue 3) ----------------------------------------------------------------

export const KvCacheType = z.enum(['f16', 'q8_0', 'q4_0']);
export type KvCacheType = z.infer<typeof KvCacheType>;

/** Per-model defaults, used for every chat with that model unless a conversation overrides them. */
export const ModelDefaults = z
  .object({
    contextSize: z.number().int().min(512).max(131072),
    systemPrompt: z.string().max(100_000),
    sampling: Sampling,
    kvType: KvCacheType,
    flashAttention: z.boolean(),
  })
  .partial()
  .strict();
export type ModelDefaults = z.infer<typeof ModelDefaults>;

/** What the GGUF header says, read in JS without loading the model. */
export interface ModelSummary {
  architecture: 'qwen2' | 'qwen2moe';
  name: string | null;
  contextLength: number;
  layers: number;
  embedding: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number | null;
  experts: number | null;
  expertsUsed: number | null;
  /** MoE: the feed-forward width of one routed expert and of the shared expert. */
  expertFfn: number | null;
  sharedExpertFfn: number | null;
  ropeFreqBase: number | null;
  ropeScaling: { type: string; factor: number | null; originalContextLength: number | null } | null;
  quantisation: string;
  parameterCount: number;
  activeParameterCount: number;
  chatTemplate: string | null;
  sizeBytes: number;
  split: { count: number; tensors: number | null } | null;
}

export interface LibraryModel extends ModelFile {
  id: string;
  /** folder: found in the models folder; copied/downloaded: put there by the app; referenced: used where it is. */
  source: 'folder' | 'copied' | 'downloaded' | 'referenced';
  labels: string[];
  defaults: ModelDefaults;
  summary: ModelSummary | null;
  /** Every file of a split model, first part first (one entry otherwise). */
  parts: string[];
  addedAt: number;
  /** True while the engine has this model loaded (it cannot be deleted then). */
  loaded: boolean;
}

export type FitVerdict = 'gpu' | 'split' | 'cpu' | 'does-not-fit';

export interface FitPlan {
  contextSize: number;
  kvType: KvCacheType;
  flashAttention: boolean;
  backend: string;
  weightsBytes: number;
  kvCacheBytes: number;
  computeBytes: number;
  totalBytes: number;
  verdict: FitVerdict;
  gpuLayers: number;
  /** The largest context that fits here, up to the model's extended context. */
  maxContext: number;
  /** The model's extended context (with YaRN where the model supports it). */
  extendedContext: number;
  /** YaRN is applied only above the native 32K. */
  yarn: { factor: number; originalContext: number } | null;
  explanation: string;
}

export interface SystemResources {
  backend: string;
  gpus: Array<{ name: string; totalVram: number; freeVram: number }>;
  totalRam: number;
  freeRam: number;
  cpuCores: number;
  /** How fast this computer reads memory, the basis of the recommendation's speed estimate. */
  speed: MachineSpeed;
}

/** Memory bandwidth figures (bytes/s), each an estimate, with how it was obtained. */
export interface MachineSpeed {
  cpuBandwidth: number;
  /** copy-probe: the best of a few timed copies of `cpuProbeBytes` in memory, once per machine. */
  cpuMethod: 'copy-probe';
  cpuProbeBytes: number;
  cpuMeasuredAt: number;
  gpuBandwidth: number | null;
  /** gpu-model: the card's published memory speed; assumed: an unknown card; null without a GPU. */
  gpuMethod: 'gpu-model' | 'assumed' | null;
  /** The slowest answer speed the recommendation accepts, tokens/s. */
  minTokensPerSecond: number;
}

/** The one file this computer should start with, and why. */
export interface Recommendation {
  fileName: string;
  quant: string;
  placement: 'gpu' | 'split' | 'cpu';
  /** The context it fits with room to spare (32K, else 8K) in the total memory. */
  contextSize: number;
  /** Estimated answer speed here (decode, from memory bandwidth). */
  tokensPerSecond: number;
  /** none; slow: nothing fits that reaches the minimum speed; low-bits: nothing of Q4 or better fits. */
  compromise: 'none' | 'slow' | 'low-bits';
}

export interface CatalogueFile {
  quant: string;
  /** The file name, or the first part of a split model. */
  fileName: string;
  parts: string[];
  sizeBytes: number;
  /** True when the size comes from the repository listing, false for an estimate. */
  sizeExact: boolean;
  uri: string;
  fit: FitPlan | null;
}

export interface CatalogueEntry {
  id: string;
  name: string;
  architecture: 'qwen2' | 'qwen2moe';
  parameters: number;
  activeParameters: number;
  nativeContext: number;
  extendedContext: number;
  repo: string;
  description: string;
  files: CatalogueFile[];
  /** The file this machine should start with: set on one entry at most. */
  recommendedFile: string | null;
  /** Why that file, and how fast it should answer (on the same entry as recommendedFile). */
  recommendation: Recommendation | null;
}

export type DownloadFailureReason =
  | 'host-not-found' | 'connection-refused' | 'timed-out' | 'connection-lost' | 'network' | 'not-found' | 'needs-access'
  | 'http' | 'checksum' | 'disk-full' | 'not-gguf' | 'size-mismatch' | 'interrupted' | 'other';

export type DownloadState = 'queued' | 'downloading' | 'paused' | 'verifying' | 'done' | 'failed' | 'cancelled';

export interface Download {
  id: string;
  uri: string;
  fileName: string;
  state: DownloadState;
  receivedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number;
  etaSeconds: number | null;
  error: string | null;
  /** What went wrong, as a kind the UI can name (with `error` as the detail); null when nothing did. */
  reason: DownloadFailureReason | null;
  sha256: string | null;
  /** The library model it became, once done. */
  modelId: string | null;
  createdAt: number;
}

// ---- requests -------------------------------------------------------------------------------

export const requests = {
  'app.info': { params: z.object({}).strict() },
  'conversations.list': { params: z.object({}).strict() },
  'conversations.create': { params: z.object({ title: z.string().max(200).optional() }).strict() },
  'conversations.rename': { params: z.object({ id: Id, title: z.string().min(1).max(200) }).strict() },
  'conversations.delete': { params: z.object({ id: Id }).strict() },
  /** The whole active branch, oldest first (limit/beforeId: the same paging as messages.page, without hasMore). */
  'messages.list': {
    params: z.object({ conversationId: Id, limit: z.number().int().min(1).max(1000).optional(), beforeId: Id.optional() }).strict(),
  },
  'chat.send': {
    params: z
      .object({
        conversationId: Id,
        text: z.string().min(1).max(1_000_000),
        modelPath: z.string().min(1).max(4096),
        systemPrompt: z.string().max(100_000).optional(),
        sampling: Sampling.optional(),
      })
      .strict(),
  },
  'chat.stop': { params: z.object({ conversationId: Id }).strict() },
  'models.list': { params: z.object({}).strict() },
  /** Reads the models folder again and every file's header anew (its watch too); 'models.changed' follows. */
  'models.rescan': { params: z.object({}).strict() },
  /** Adds a GGUF from disk: 'copy' into the library folder, or 'reference' it where it is (default). */
  'models.add': {
    params: z.object({ path: z.string().min(1).max(4096), mode: z.enum(['copy', 'reference']).optional() }).strict(),
  },
  'models.inspect': { params: z.object({ id: Id }).strict() },
  'models.update': {
    params: z.object({ id: Id, labels: z.array(z.string().min(1).max(40)).max(20).optional(), defaults: ModelDefaults.optional() }).strict(),
  },
  'models.delete': { params: z.object({ id: Id, deleteFile: z.boolean().optional() }).strict() },
  'models.plan': {
    params: z
      .object({ id: Id, contextSize: z.number().int().min(512).max(131072), kvType: KvCacheType.optional(), flashAttention: z.boolean().optional() })
      .strict(),
  },
  'catalogue.list': { params: z.object({}).strict() },
  'system.resources': { params: z.object({}).strict() },
  'downloads.list': { params: z.object({}).strict() },
  'downloads.start': {
    params: z.object({ uri: z.string().min(1).max(4096), sha256: z.string().regex(/^[0-9a-f]{64}$/).optional() }).strict(),
  },
  'downloads.pause': { params: z.object({ id: Id }).strict() },
  'downloads.resume': { params: z.object({ id: Id }).strict() },
  'downloads.cancel': { params: z.object({ id: Id }).strict() },
  'engine.status': { params: z.object({}).strict() },
  /** Loads a model now (with its default context unless contextSize is given); engine.loading events report the progress. */
  'engine.load': {
    params: z.object({ modelPath: z.string().min(1).max(4096), contextSize: z.number().int().min(512).max(131072).optional() }).strict(),
  },
  /** Frees the loaded model (after the answer being written, if any). */
  'engine.unload': { params: z.object({}).strict() },
  /**
   * Generates more of the finished answer `messageId` into the same message (the prompt ends with its
   * text, no end-of-turn), up to the answer limit again.
   */
  'chat.continue': {
    params: z.object({ messageId: Id, modelPath: z.string().min(1).max(4096), sampling: Sampling.optional() }).strict(),
  },
  ...chatRequests,
  ...documentRequests,
} as const;

export type Method = keyof typeof requests;
export type Params<M extends Method> = z.infer<(typeof requests)[M]['params']>;

export interface Results extends ChatResults, DocumentResults {
  'app.info': AppInfo;
  'conversations.list': Conversation[];
  'conversations.create': Conversation;
  'conversations.rename': Conversation;
  'conversations.delete': { deleted: true };
  'messages.list': BranchMessage[];
  'chat.send': { userMessage: BranchMessage; assistantMessage: BranchMessage };
  'chat.stop': { stopped: boolean };
  'models.list': LibraryModel[];
  'models.rescan': LibraryModel[];
  'models.add': LibraryModel;
  'models.inspect': LibraryModel;
  'models.update': LibraryModel;
  'models.delete': { deleted: true };
  'models.plan': FitPlan;
  'catalogue.list': CatalogueEntry[];
  'system.resources': SystemResources;
  'downloads.list': Download[];
  'downloads.start': Download;
  'downloads.pause': Download;
  'downloads.resume': Download;
  'downloads.cancel': Download;
  'engine.status': EngineStatus;
  'engine.load': EngineStatus;
  'engine.unload': EngineStatus;
  'chat.continue': { assistantMessage: BranchMessage };
}

// ---- events (main -> renderer) --------------------------------------------------------------

export type AppEvent =
  /** Only the new text of one answer: never the whole conversation. */
  | { type: 'chat.delta'; conversationId: string; messageId: string; text: string }
  | { type: 'chat.finished'; conversationId: string; message: Message }
  | { type: 'conversation.updated'; conversation: Conversation }
  /** AppInfo.saveProblem changed: the disk became full, or has room again. */
  | { type: 'storage.changed'; saveProblem: SaveProblem | null }
  | ChatEvent
  | DocumentEvent
  | { type: 'engine.status'; status: EngineStatus }
  /** A model is loading (for an answer or engine.load): progress 0..1, throttled, ending with 1. */
  | { type: 'engine.loading'; modelPath: string; progress: number }
  /**
   * The answer `messageId` is still reading a long prompt (a document): `done` of `total` prompt tokens
   * evaluated, and the time left at the speed so far (null until measured). Throttled; ends with done = total.
   */
  | { type: 'chat.prompt-progress'; conversationId: string; messageId: string; done: number; total: number; etaMs: number | null }
  /** Progress of one download (sent at most a few times a second). */
  | { type: 'download.updated'; download: Download }
  /** The library changed (added, removed, updated): refetch models.list. */
  | { type: 'models.changed' };

// ---- wire shapes (WebSocket and Electron IPC carry the same objects) ------------------------

export const RequestEnvelope = z
  .object({
    id: z.number().int().nonnegative(),
    method: z.string().max(64),
    params: z.unknown().optional(),
  })
  .strict();
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

export type ResponseEnvelope =
  | { id: number; ok: true; result: unknown }
  | { id: number | null; ok: false; error: { code: ErrorCode; message: string } };

export type ErrorCode = 'invalid_request' | 'unknown_method' | 'not_found' | 'failed' | 'busy';

/** An error whose message is meant for the person using the app. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(requests, name);
}

/** Validates one request; throws AppError('invalid_request' | 'unknown_method') with a specific message. */
export function parseRequest(method: string, params: unknown): { method: Method; params: unknown } {
  if (!isMethod(method)) throw new AppError('unknown_method', `Unknown method "${method}".`);
  const parsed = requests[method].params.safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? ` at "${issue.path.join('.')}"` : '';
    throw new AppError('invalid_request', `Invalid parameters for ${method}${where}: ${issue?.message ?? 'invalid'}.`);
  }
  return { method, params: parsed.data };
}

/** The API every transport (Electron IPC, WebSocket) offers to the renderer. */
export interface Api {
  call<M extends Method>(method: M, params: Params<M>): Promise<Results[M]>;
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** Present only where the shell can show a native file picker (Electron). */
  pickModelFile?: () => Promise<string | null>;
}

/** What the server side of a transport sends: a response to one request, or an event. */
export type ServerMessage = ResponseEnvelope | { event: AppEvent };

/** Electron IPC channel names (preload <-> main). */
export const IPC_CALL = 'qwen2desk:call';
export const IPC_EVENT = 'qwen2desk:event';
export const IPC_PICK_MODEL = 'qwen2desk:pick-model';

/** What the Electron preload exposes on window.qwen2Desk (the renderer wraps it into an Api). */
export interface DesktopBridge {
  call(method: string, params: unknown): Promise<ResponseEnvelope>;
  onEvent(listener: (event: AppEvent) => void): () => void;
  pickModelFile(): Promise<string | null>;
  /** The path on disk of a file dropped on the window (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string;
}
