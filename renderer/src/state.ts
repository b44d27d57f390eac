// The renderer's state (one zustand store) and the few helpers every action shares.
import { create } from 'zustand';
import type { Api, AppInfo, Conversation, EngineStatus, LibraryModel, MessageStats, Preset } from '../../app/contract.js';
import type { ConnectionState } from './api.js';
import type { ShownMessage } from './messages.js';

export const MODEL_KEY = 'qwen2desk.modelPath';

export interface PromptProgress {
  done: number;
  total: number;
  etaMs: number | null;
}

export interface ErrorNote {
  id: number;
  text: string;
}

export interface AppState {
  connection: ConnectionState;
  info: AppInfo | null;
  conversations: Conversation[];
  currentId: string | null;
  /** A window of the open conversation's active branch, oldest first, reaching to its end. */
  messages: ShownMessage[];
  messagesLoading: boolean;
  /** Older messages of the branch exist before messages[0] (messages.page's hasMore). */
  hasOlder: boolean;
  loadingOlder: boolean;
  /** A message to scroll into view and highlight briefly (a search result); seq changes on every jump. */
  focus: { messageId: string; seq: number } | null;
  presets: Preset[];
  models: LibraryModel[];
  modelPath: string | null;
  engine: EngineStatus | null;
  /** Stats of the last answer that finished, in any conversation. */
  lastStats: MessageStats | null;
  /** True between pressing Send and main accepting the message. */
  sending: boolean;
  /** Answers still reading a long prompt, by message id (chat.prompt-progress). */
  promptProgress: Record<string, PromptProgress>;
  /** While engine.load or engine.unload is asked for and not answered. */
  engineAction: 'load' | 'unload' | null;
  errors: ErrorNote[];
}

function readStoredModel(): string | null {
  try {
    return localStorage.getItem(MODEL_KEY);
  } catch {
    return null;
  }
}

export const useApp = create<AppState>()(() => ({
  connection: { state: 'connecting' },
  info: null,
  conversations: [],
  currentId: null,
  messages: [],
  messagesLoading: false,
  hasOlder: false,
  loadingOlder: false,
  focus: null,
  presets: [],
  models: [],
  modelPath: readStoredModel(),
  engine: null,
  lastStats: null,
  sending: false,
  promptProgress: {},
  engineAction: null,
  errors: [],
}));

export const set = useApp.setState;
export const get = useApp.getState;

let api: Api | null = null;
let nextErrorId = 1;

export function setApi(next: Api): void {
  api = next;
}

export function getApi(): Api | null {
  return api;
}

export function need(): Api {
  if (!api) throw new Error('The store is used before init().');
  return api;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function reportError(error: unknown): void {
  set((s) => ({ errors: [...s.errors, { id: nextErrorId++, text: messageOf(error) }].slice(-5) }));
}

export function dismissError(id: number): void {
  set((s) => ({ errors: s.errors.filter((e) => e.id !== id) }));
}

/** Runs an action; a failure becomes an error note instead of an unhandled rejection. */
export async function guarded<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    reportError(error);
    return undefined;
  }
}
