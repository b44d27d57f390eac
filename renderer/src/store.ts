// The renderer's state: what main told us, plus what is on screen. Events update it in place.
import { create } from 'zustand';
import type { Api, AppEvent, AppInfo, Conversation, EngineStatus, Message, MessageStats, ModelFile } from '../../app/contract.js';
import type { Connection, ConnectionState } from './api.js';
import {
  applyDelta,
  applyFinished,
  applySent,
  isPending,
  pendingUserMessage,
  sortConversations,
  upsertConversation,
} from './messages.js';

const MODEL_KEY = 'qwen2desk.modelPath';

export interface ErrorNote {
  id: number;
  text: string;
}

export interface AppState {
  connection: ConnectionState;
  info: AppInfo | null;
  conversations: Conversation[];
  currentId: string | null;
  messages: Message[];
  messagesLoading: boolean;
  models: ModelFile[];
  modelPath: string | null;
  engine: EngineStatus | null;
  /** Stats of the last answer that finished, in any conversation. */
  lastStats: MessageStats | null;
  /** True between pressing Send and main accepting the message. */
  sending: boolean;
  errors: ErrorNote[];
}

export const useApp = create<AppState>()(() => ({
  connection: { state: 'connecting' },
  info: null,
  conversations: [],
  currentId: null,
  messages: [],
  messagesLoading: false,
  models: [],
  modelPath: readStoredModel(),
  engine: null,
  lastStats: null,
  sending: false,
  errors: [],
}));

const set = useApp.setState;
const get = useApp.getState;
let api: Api | null = null;
let nextErrorId = 1;
let loadSeq = 0;

function readStoredModel(): string | null {
  try {
    return localStorage.getItem(MODEL_KEY);
  } catch {
    return null;
  }
}

export function getApi(): Api | null {
  return api;
}

function need(): Api {
  if (!api) throw new Error('The store is used before init().');
  return api;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function reportError(error: unknown): void {
  set((s) => ({ errors: [...s.errors, { id: nextErrorId++, text: messageOf(error) }].slice(-5) }));
}

export function dismissError(id: number): void {
  set((s) => ({ errors: s.errors.filter((e) => e.id !== id) }));
}

/** Runs an action; a failure becomes an error note instead of an unhandled rejection. */
async function guarded<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    reportError(error);
    return undefined;
  }
}

function onEvent(event: AppEvent): void {
  switch (event.type) {
    case 'chat.delta':
      if (event.conversationId === get().currentId) {
        set((s) => ({ messages: applyDelta(s.messages, event.conversationId, event.messageId, event.text) }));
      }
      break;
    case 'chat.finished':
      if (event.message.stats) set({ lastStats: event.message.stats });
      if (event.conversationId === get().currentId) {
        set((s) => ({ messages: applyFinished(s.messages, event.message) }));
      }
      break;
    case 'conversation.updated':
      set((s) => ({ conversations: upsertConversation(s.conversations, event.conversation) }));
      break;
    case 'engine.status':
      set({ engine: event.status });
      break;
  }
}

/** Connects the store to main; reloads everything each time the transport (re)opens. */
export function init(connection: Connection): void {
  api = connection.api;
  api.onEvent(onEvent);
  connection.onConnection((state) => {
    set({ connection: state });
    if (state.state === 'open') void refreshAll();
  });
}

export async function refreshAll(): Promise<void> {
  const a = need();
  await guarded(async () => {
    const [info, conversations, engine] = await Promise.all([
      a.call('app.info', {}),
      a.call('conversations.list', {}),
      a.call('engine.status', {}),
    ]);
    set({ info, conversations: sortConversations(conversations), engine });
    const current = get().currentId;
    const keep = current && conversations.some((c) => c.id === current);
    const first = get().conversations[0];
    if (keep) await openConversation(current);
    else if (first) await openConversation(first.id);
    else set({ currentId: null, messages: [] });
  });
  await refreshModels();
}

export async function refreshModels(): Promise<void> {
  const models = await guarded(() => need().call('models.list', {}));
  if (!models) return;
  set({ models });
  const chosen = get().modelPath;
  const usable = models.filter((m) => !m.problem);
  if (!chosen || !usable.some((m) => m.path === chosen)) selectModel(usable[0]?.path ?? null);
}

export function selectModel(path: string | null): void {
  set({ modelPath: path });
  try {
    if (path) localStorage.setItem(MODEL_KEY, path);
    else localStorage.removeItem(MODEL_KEY);
  } catch {
    // Storage may be unavailable; the choice then lasts for this page only.
  }
}

/** Adds a model file by path; returns the error message to show, or null. */
export async function addModel(path: string): Promise<string | null> {
  try {
    const model = await need().call('models.add', { path });
    await refreshModels();
    if (model.problem) return `${model.name}: ${model.problem}`;
    selectModel(model.path);
    return null;
  } catch (error) {
    return messageOf(error);
  }
}

export async function openConversation(id: string): Promise<void> {
  const seq = ++loadSeq;
  set({ currentId: id, messagesLoading: true, sending: false });
  try {
    const messages = await need().call('messages.list', { conversationId: id });
    if (seq === loadSeq) set({ messages, messagesLoading: false });
  } catch (error) {
    if (seq === loadSeq) set({ messages: [], messagesLoading: false });
    reportError(error);
  }
}

export async function newConversation(): Promise<Conversation | undefined> {
  const conversation = await guarded(() => need().call('conversations.create', {}));
  if (!conversation) return undefined;
  loadSeq++;
  set((s) => ({
    conversations: upsertConversation(s.conversations, conversation),
    currentId: conversation.id,
    messages: [],
    messagesLoading: false,
    sending: false,
  }));
  return conversation;
}

export async function renameConversation(id: string, title: string): Promise<void> {
  const conversation = await guarded(() => need().call('conversations.rename', { id, title }));
  if (conversation) set((s) => ({ conversations: upsertConversation(s.conversations, conversation) }));
}

export async function deleteConversation(id: string): Promise<void> {
  const done = await guarded(() => need().call('conversations.delete', { id }));
  if (!done) return;
  set((s) => ({ conversations: s.conversations.filter((c) => c.id !== id) }));
  if (get().currentId !== id) return;
  const next = get().conversations[0];
  if (next) await openConversation(next.id);
  else set({ currentId: null, messages: [] });
}

/** Sends a message (creating a conversation if none is open); false when it was not sent. */
export async function send(text: string): Promise<boolean> {
  const modelPath = get().modelPath;
  if (!modelPath) {
    reportError('Choose a model first (the picker at the top).');
    return false;
  }
  const conversationId = get().currentId ?? (await newConversation())?.id;
  if (!conversationId) return false;
  const pending = pendingUserMessage(conversationId, text);
  set((s) => ({ messages: [...s.messages, pending], sending: true }));
  try {
    const { userMessage, assistantMessage } = await need().call('chat.send', { conversationId, text, modelPath });
    if (get().currentId === conversationId) {
      set((s) => ({ messages: applySent(s.messages, pending.id, userMessage, assistantMessage), sending: false }));
    }
    return true;
  } catch (error) {
    set((s) => ({ messages: s.messages.filter((m) => m.id !== pending.id), sending: false }));
    reportError(error);
    return false;
  }
}

export async function stop(): Promise<void> {
  const id = get().currentId;
  if (id) await guarded(() => need().call('chat.stop', { conversationId: id }));
}

/** Whether an answer is being written in the open conversation. */
export function isStreaming(s: AppState): boolean {
  return s.sending || s.messages.some((m) => m.status === 'streaming' && !isPending(m));
}
