// The one definition of every request and event between the renderer and main.
// Main validates every request with these schemas before acting on it; the renderer
// imports only the types (and the method list) from here.
import { z } from 'zod';

export const Id = z.string().min(1).max(64);

export const Sampling = z
  .object({
    temperature: z.number().min(0).max(2),
    topP: z.number().gt(0).max(1),
    topK: z.number().int().min(0).max(1000),
    maxTokens: z.number().int().min(1).max(131072),
    seed: z.number().int().min(0).max(2 ** 32 - 1),
  })
  .partial()
  .strict();
export type Sampling = z.infer<typeof Sampling>;

export const MessageStatus = z.enum(['done', 'streaming', 'stopped', 'interrupted', 'error']);
export type MessageStatus = z.infer<typeof MessageStatus>;

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
}

export interface MessageStats {
  tokens: number;
  tokensPerSecond: number;
  timeToFirstTokenMs: number;
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
}

export interface AppInfo {
  version: string;
  dataDir: string;
  modelsDir: string;
  databasePath: string;
}

// ---- requests -------------------------------------------------------------------------------

export const requests = {
  'app.info': { params: z.object({}).strict() },
  'conversations.list': { params: z.object({}).strict() },
  'conversations.create': { params: z.object({ title: z.string().max(200).optional() }).strict() },
  'conversations.rename': { params: z.object({ id: Id, title: z.string().min(1).max(200) }).strict() },
  'conversations.delete': { params: z.object({ id: Id }).strict() },
  'messages.list': { params: z.object({ conversationId: Id }).strict() },
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
  'models.add': { params: z.object({ path: z.string().min(1).max(4096) }).strict() },
  'engine.status': { params: z.object({}).strict() },
} as const;

export type Method = keyof typeof requests;
export type Params<M extends Method> = z.infer<(typeof requests)[M]['params']>;

export interface Results {
  'app.info': AppInfo;
  'conversations.list': Conversation[];
  'conversations.create': Conversation;
  'conversations.rename': Conversation;
  'conversations.delete': { deleted: true };
  'messages.list': Message[];
  'chat.send': { userMessage: Message; assistantMessage: Message };
  'chat.stop': { stopped: boolean };
  'models.list': ModelFile[];
  'models.add': ModelFile;
  'engine.status': EngineStatus;
}

// ---- events (main -> renderer) --------------------------------------------------------------

export type AppEvent =
  /** Only the new text of one answer: never the whole conversation. */
  | { type: 'chat.delta'; conversationId: string; messageId: string; text: string }
  | { type: 'chat.finished'; conversationId: string; message: Message }
  | { type: 'conversation.updated'; conversation: Conversation }
  | { type: 'engine.status'; status: EngineStatus };

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
}
