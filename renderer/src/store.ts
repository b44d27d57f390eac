// Actions on conversations and chat, and how main's events change what is on screen.
// Components import everything from here.
import type { AppEvent, BranchMessage, Conversation, ConversationSettings, MessagePage } from '../../app/contract.js';
import type { Connection } from './api.js';
import {
  applyBranched,
  applyDelta,
  applyFinished,
  applySent,
  isPending,
  lastKnown,
  pendingUserMessage,
  sortConversations,
  spliceTail,
  upsertConversation,
} from './messages.js';
import { type AppState, get, guarded, need, reportError, set, setApi } from './state.js';
import { refreshModels } from './models.js';
import { onModelsEvent, refreshDownloads } from './models-state.js';
import { t } from './i18n/index.js';
import { onProgressEvent } from './progress-state.js';

export { useApp, dismissError, getApi, reportError, type AppState, type ErrorNote } from './state.js';
export { addModel, refreshModels, selectModel } from './models.js';
export { continueAnswer, loadModel, unloadModel } from './progress-state.js';

/** Messages per page when a conversation opens and when scrolling up. */
export const PAGE_SIZE = 100;
/** Pages read at most to find a message (a jump from search, the end of a switched branch). */
const MAX_PAGES = 40;
const BIG_PAGE = 500;

let loadSeq = 0;
/** While above 0, this window is changing the branch itself: its events need no refresh. */
let acting = 0;

async function acted<T>(work: () => Promise<T>): Promise<T> {
  acting++;
  try {
    return await work();
  } finally {
    acting--;
  }
}

// ---- streamed text: deltas are applied at most once a frame ----------------------------------

const buffered = new Map<string, { conversationId: string; text: string }>();
let flushScheduled = false;

function flushDeltas(): void {
  flushScheduled = false;
  if (buffered.size === 0) return;
  const current = get().currentId;
  const entries = [...buffered.entries()];
  buffered.clear();
  set((s) => {
    let messages = s.messages;
    for (const [messageId, d] of entries) {
      if (d.conversationId === current) messages = applyDelta(messages, d.conversationId, messageId, d.text);
    }
    return messages === s.messages ? {} : { messages };
  });
}

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  // A frame when the page is visible; the timer when frames are paused (a hidden window).
  const timer = setTimeout(flushDeltas, 100);
  requestAnimationFrame(() => {
    clearTimeout(timer);
    flushDeltas();
  });
}

function onEvent(event: AppEvent): void {
  switch (event.type) {
    case 'chat.delta': {
      const b = buffered.get(event.messageId);
      if (b) b.text += event.text;
      else buffered.set(event.messageId, { conversationId: event.conversationId, text: event.text });
      scheduleFlush();
      break;
    }
    case 'chat.finished':
      flushDeltas();
      onProgressEvent(event);
      if (event.message.stats) set({ lastStats: event.message.stats });
      if (event.conversationId === get().currentId) {
        set((s) => ({ messages: applyFinished(s.messages, event.message) }));
      }
      break;
    case 'conversation.updated': {
      set((s) => ({ conversations: upsertConversation(s.conversations, event.conversation) }));
      const s = get();
      // The branch changed elsewhere (another window): read its end again.
      if (event.conversation.id === s.currentId && acting === 0 && !s.sending && !s.messagesLoading && !isStreaming(s)) {
        const leaf = event.conversation.activeLeafId;
        if (leaf !== (lastKnown(s.messages)?.id ?? null)) void refreshTail(null);
      }
      break;
    }
    case 'conversation.deleted':
      void dropConversation(event.conversationId);
      break;
    case 'engine.status':
      set({ engine: event.status });
      break;
    case 'engine.loading':
    case 'chat.prompt-progress':
      onProgressEvent(event);
      break;
    case 'storage.changed':
      set((s) => (s.info ? { info: { ...s.info, saveProblem: event.saveProblem } } : {}));
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
    else set({ currentId: null, messages: [], hasOlder: false });
  });
  await Promise.all([refreshModels(), refreshDownloads(), refreshPresets()]);
}

// ---- the window of messages on screen ----------------------------------------------------------

export async function openConversation(id: string): Promise<void> {
  const seq = ++loadSeq;
  set({ currentId: id, messagesLoading: true, sending: false, focus: null });
  try {
    const page = await need().call('messages.page', { conversationId: id, limit: PAGE_SIZE });
    if (seq === loadSeq) set({ messages: page.messages, hasOlder: page.hasMore, messagesLoading: false, loadingOlder: false });
  } catch (error) {
    if (seq === loadSeq) set({ messages: [], hasOlder: false, messagesLoading: false });
    reportError(error);
  }
}

/** Reads the page of older messages before the window (scrolling up). */
export async function loadOlder(): Promise<void> {
  const s = get();
  const first = s.messages.find((m) => !isPending(m));
  if (!s.currentId || !s.hasOlder || s.loadingOlder || s.messagesLoading || !first) return;
  const seq = loadSeq;
  set({ loadingOlder: true });
  try {
    const page = await need().call('messages.page', { conversationId: s.currentId, limit: PAGE_SIZE, beforeId: first.id });
    if (seq !== loadSeq || get().messages[0]?.id !== first.id) return set({ loadingOlder: false });
    set((now) => ({ messages: [...page.messages, ...now.messages], hasOlder: page.hasMore, loadingOlder: false }));
  } catch (error) {
    set({ loadingOlder: false });
    reportError(error);
  }
}

/** The end of the active branch, read back from its leaf until `untilId` is in it (or one page when null). */
async function readTail(conversationId: string, untilId: string | null, limit = PAGE_SIZE): Promise<MessagePage> {
  const messages: BranchMessage[] = [];
  let hasMore = false;
  for (let n = 0; n < MAX_PAGES; n++) {
    const page = await need().call('messages.page', { conversationId, limit, beforeId: messages[0]?.id });
    messages.unshift(...page.messages);
    hasMore = page.hasMore;
    if (untilId === null || !hasMore || page.messages.some((m) => m.id === untilId)) break;
  }
  return { messages, hasMore };
}

/** After the branch changed below `keepUntilId`: keeps the window up to it and reads the rest again. */
async function refreshTail(keepUntilId: string | null): Promise<void> {
  const conversationId = get().currentId;
  if (!conversationId) return;
  const seq = ++loadSeq;
  const tail = await readTail(conversationId, keepUntilId);
  if (seq !== loadSeq) return;
  set((s) => {
    const spliced = spliceTail(s.messages, keepUntilId, tail.messages);
    return spliced ? { messages: spliced } : { messages: tail.messages, hasOlder: tail.hasMore };
  });
}

/** The message before `id` in the window (its parent), or null. */
function before(id: string): string | null {
  const list = get().messages;
  const i = list.findIndex((m) => m.id === id);
  return i > 0 ? list[i - 1]!.id : null;
}

// ---- conversations ----------------------------------------------------------------------------

export async function newConversation(): Promise<Conversation | undefined> {
  const conversation = await guarded(() => need().call('conversations.create', {}));
  if (!conversation) return undefined;
  loadSeq++;
  set((s) => ({
    conversations: upsertConversation(s.conversations, conversation),
    currentId: conversation.id,
    messages: [],
    hasOlder: false,
    messagesLoading: false,
    sending: false,
    focus: null,
  }));
  return conversation;
}

export async function renameConversation(id: string, title: string): Promise<void> {
  const conversation = await guarded(() => need().call('conversations.rename', { id, title }));
  if (conversation) set((s) => ({ conversations: upsertConversation(s.conversations, conversation) }));
}

async function dropConversation(id: string): Promise<void> {
  set((s) => ({ conversations: s.conversations.filter((c) => c.id !== id) }));
  if (get().currentId !== id) return;
  const next = get().conversations[0];
  if (next) await openConversation(next.id);
  else set({ currentId: null, messages: [], hasOlder: false });
}

export async function deleteConversation(id: string): Promise<void> {
  const done = await guarded(() => need().call('conversations.delete', { id }));
  if (done) await dropConversation(id);
}

export async function setPinned(id: string, pinned: boolean): Promise<void> {
  const conversation = await guarded(() => need().call('conversations.update', { id, pinned }));
  if (conversation) set((s) => ({ conversations: upsertConversation(s.conversations, conversation) }));
}

/** Replaces the conversation's settings (system prompt, preset, sampling); true when saved. */
export async function saveConversationSettings(id: string, settings: ConversationSettings): Promise<boolean> {
  const conversation = await guarded(() => need().call('conversations.update', { id, settings }));
  if (conversation) set((s) => ({ conversations: upsertConversation(s.conversations, conversation) }));
  return conversation !== undefined;
}

// ---- chat --------------------------------------------------------------------------------------

function chosenModel(): string | null {
  const modelPath = get().modelPath;
  if (!modelPath) reportError(t('chat.chooseModel'));
  return modelPath;
}

/** Sends a message (creating a conversation if none is open); false when it was not sent. */
export async function send(text: string): Promise<boolean> {
  const modelPath = chosenModel();
  if (!modelPath) return false;
  const conversationId = get().currentId ?? (await newConversation())?.id;
  if (!conversationId) return false;
  const pending = pendingUserMessage(conversationId, text, lastKnown(get().messages)?.id ?? null);
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

/** Runs a request that starts a new branch, then puts its messages in place of the old branch's end. */
async function branchWith(work: (modelPath: string) => Promise<BranchMessage[]>): Promise<boolean> {
  const modelPath = chosenModel();
  const conversationId = get().currentId;
  if (!modelPath || !conversationId) return false;
  set({ sending: true });
  try {
    const fresh = await work(modelPath);
    if (get().currentId === conversationId) set((s) => ({ messages: applyBranched(s.messages, fresh), sending: false }));
    else set({ sending: false });
    return true;
  } catch (error) {
    set({ sending: false });
    reportError(error);
    return false;
  }
}

/** A new answer next to the answer `messageId` (or to the question `messageId`). */
export function regenerate(messageId: string): Promise<boolean> {
  return branchWith(async (modelPath) => [(await need().call('chat.regenerate', { messageId, modelPath })).assistantMessage]);
}

/** A new version of the question `messageId` and its answer; the old ones stay on their branch. */
export function editMessage(messageId: string, text: string): Promise<boolean> {
  return branchWith(async (modelPath) => {
    const r = await need().call('chat.edit', { messageId, text, modelPath });
    return [r.userMessage, r.assistantMessage];
  });
}

/** Shows the branch through `toId`, a sibling of the message `fromId` on screen. */
export async function switchBranch(fromId: string, toId: string): Promise<void> {
  const keep = before(fromId);
  await acted(async () => {
    const conversation = await guarded(() => need().call('conversations.switchBranch', { messageId: toId }));
    if (!conversation) return;
    set((s) => ({ conversations: upsertConversation(s.conversations, conversation) }));
    await guarded(() => refreshTail(keep));
  });
}

/** Deletes a message and everything after it (on every branch). */
export async function deleteMessage(id: string): Promise<void> {
  const keep = before(id);
  await acted(async () => {
    const result = await guarded(() => need().call('messages.delete', { id }));
    if (!result) return;
    set((s) => ({ conversations: upsertConversation(s.conversations, result.conversation) }));
    await guarded(() => refreshTail(keep));
  });
}

export async function stop(): Promise<void> {
  const id = get().currentId;
  if (id) await guarded(() => need().call('chat.stop', { conversationId: id }));
}

/** Whether an answer is being written in the open conversation. */
export function isStreaming(s: AppState): boolean {
  if (s.sending) return true;
  for (let i = s.messages.length - 1; i >= 0 && i >= s.messages.length - 3; i--) {
    const m = s.messages[i]!;
    if (m.status === 'streaming' && !isPending(m)) return true;
  }
  return false;
}

// ---- search results: open the conversation on the message's branch -----------------------------

let focusSeq = 0;

/** Opens the conversation, on the branch that holds `messageId`, with that message in view. */
export async function jumpToMessage(conversationId: string, messageId: string): Promise<void> {
  await acted(() => guarded(async () => {
    if (get().currentId !== conversationId || get().messagesLoading) await openConversation(conversationId);
    const seq = loadSeq;
    if (!get().messages.some((m) => m.id === messageId)) {
      // Older pages of the active branch first; the message may be far up.
      let messages = get().messages.filter((m) => !isPending(m));
      let hasOlder = get().hasOlder;
      for (let n = 0; n < MAX_PAGES && hasOlder && !messages.some((m) => m.id === messageId); n++) {
        const page = await need().call('messages.page', { conversationId, limit: BIG_PAGE, beforeId: messages[0]?.id });
        messages = [...page.messages, ...messages];
        hasOlder = page.hasMore;
      }
      if (seq !== loadSeq) return;
      if (!messages.some((m) => m.id === messageId)) {
        // On another branch: make it the active one.
        const conversation = await need().call('conversations.switchBranch', { messageId });
        set((s) => ({ conversations: upsertConversation(s.conversations, conversation) }));
        const tail = await readTail(conversationId, messageId, BIG_PAGE);
        messages = tail.messages;
        hasOlder = tail.hasMore;
      }
      if (seq !== loadSeq) return;
      loadSeq++;
      set({ messages, hasOlder });
    }
    set({ focus: { messageId, seq: ++focusSeq } });
  }));
}

// ---- presets ---------------------------------------------------------------------------------

export async function refreshPresets(): Promise<void> {
  const presets = await guarded(() => need().call('presets.list', {}));
  if (presets) set({ presets });
}
