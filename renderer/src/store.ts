// Actions on conversations and chat, and how main's events change what is on screen.
// Components import everything from here.
import type { AppEvent, Conversation } from '../../app/contract.js';
import type { Connection } from './api.js';
import {
  applyDelta,
  applyFinished,
  applySent,
  isPending,
  pendingUserMessage,
  sortConversations,
  upsertConversation,
} from './messages.js';
import { type AppState, get, guarded, need, reportError, set, setApi } from './state.js';
import { refreshModels } from './models.js';
import { onModelsEvent, refreshDownloads } from './models-state.js';

export { useApp, dismissError, getApi, reportError, type AppState, type ErrorNote } from './state.js';
export { addModel, refreshModels, selectModel } from './models.js';

let loadSeq = 0;

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
  setApi(connection.api);
  connection.api.onEvent(onEvent);
  connection.api.onEvent(onModelsEvent);
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
  await Promise.all([refreshModels(), refreshDownloads()]);
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
