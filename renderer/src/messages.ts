// Pure helpers that apply chat results and events to the list of messages on screen.
// The list is a window of the active branch, oldest first, that always reaches its end.
import type { BranchMessage, Conversation, Message, SearchHit } from '../../app/contract.js';

/**
 * A message on screen: main's BranchMessage (with sibling information), or one the renderer made
 * up (a pending question, or an answer whose first deltas came before chat.send answered).
 */
export type ShownMessage = Message & Partial<Pick<BranchMessage, 'siblingIndex' | 'siblingCount' | 'siblingIds'>>;

function indexFromEnd(messages: readonly ShownMessage[], id: string): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.id === id) return i;
  return -1;
}

/** Appends streamed text; a delta for an unknown message starts a streaming placeholder. */
export function applyDelta(messages: ShownMessage[], conversationId: string, messageId: string, text: string): ShownMessage[] {
  const i = indexFromEnd(messages, messageId);
  if (i === -1) {
    const placeholder: ShownMessage = {
      id: messageId,
      conversationId,
      role: 'assistant',
      content: text,
      status: 'streaming',
      error: null,
      model: null,
      stats: null,
      createdAt: Date.now(),
    };
    return [...messages, placeholder];
  }
  const next = messages.slice();
  const m = next[i]!;
  next[i] = { ...m, content: m.content + text };
  return next;
}

/** Puts the final message in place of its streaming version (or appends it), keeping its sibling information. */
export function applyFinished(messages: ShownMessage[], message: Message): ShownMessage[] {
  const i = indexFromEnd(messages, message.id);
  if (i === -1) return [...messages, message];
  const next = messages.slice();
  const old = next[i]!;
  next[i] = { ...message, siblingIndex: old.siblingIndex, siblingCount: old.siblingCount, siblingIds: old.siblingIds, ...pickBranch(message) };
  return next;
}

function pickBranch(m: Message): Partial<ShownMessage> {
  const b = m as Partial<BranchMessage>;
  return b.siblingIds ? { siblingIndex: b.siblingIndex, siblingCount: b.siblingCount, siblingIds: b.siblingIds, parentId: b.parentId } : {};
}

/** The answer as main returned it, or the version on screen if deltas (or its end) came first. */
function merged(known: ShownMessage | undefined, fresh: BranchMessage): ShownMessage {
  if (!known) return fresh;
  return { ...fresh, content: known.content, status: known.status, stats: known.stats ?? fresh.stats, error: known.error };
}

/**
 * Adds the pair returned by chat.send. Deltas (or even the end) of the answer may have
 * arrived before the response, so the text of an answer already on screen is kept.
 */
export function applySent(messages: ShownMessage[], pendingId: string, user: BranchMessage, assistant: BranchMessage): ShownMessage[] {
  const known = messages.find((m) => m.id === assistant.id);
  const rest = messages.filter((m) => m.id !== pendingId && m.id !== user.id && m.id !== assistant.id);
  return [...rest, user, merged(known, assistant)];
}

/**
 * The branch after a new answer (chat.regenerate) or a new question and its answer (chat.edit):
 * everything up to `parentId` of the first new message stays, the new messages follow.
 */
export function applyBranched(messages: ShownMessage[], fresh: BranchMessage[]): ShownMessage[] {
  const first = fresh[0];
  if (!first) return messages;
  const ids = new Set(fresh.map((m) => m.id));
  const parent = first.parentId === null ? -1 : indexFromEnd(messages, first.parentId);
  const kept = messages.slice(0, parent + 1).filter((m) => !ids.has(m.id));
  const byId = new Map(messages.map((m) => [m.id, m]));
  return [...kept, ...fresh.map((m) => merged(byId.get(m.id), m))];
}

/**
 * Replaces what follows `keepUntilId` with `tail` (the end of the branch as main sees it now; the
 * pages read back from its leaf, oldest first). Returns null when `tail` does not reach back to
 * `keepUntilId` (the caller then starts over from `tail`).
 */
export function spliceTail(messages: ShownMessage[], keepUntilId: string | null, tail: BranchMessage[]): ShownMessage[] | null {
  if (keepUntilId === null) return null;
  const inTail = tail.findIndex((m) => m.id === keepUntilId);
  const onScreen = indexFromEnd(messages, keepUntilId);
  if (inTail === -1 || onScreen === -1) return null;
  return [...messages.slice(0, onScreen), ...tail.slice(inTail)];
}

/** A user message shown at once, before main confirms it. */
export function pendingUserMessage(conversationId: string, text: string, parentId: string | null = null): ShownMessage {
  return {
    id: `pending-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    conversationId,
    role: 'user',
    content: text,
    status: 'done',
    error: null,
    model: null,
    stats: null,
    createdAt: Date.now(),
    parentId,
  };
}

export function isPending(message: Message): boolean {
  return message.id.startsWith('pending-');
}

/** The last message main knows of (not a pending one). */
export function lastKnown(messages: readonly ShownMessage[]): ShownMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (!isPending(messages[i]!)) return messages[i];
  return undefined;
}

/** Pinned first, then newest first (the order of conversations.list). */
export function upsertConversation(list: Conversation[], conversation: Conversation): Conversation[] {
  const next = list.filter((c) => c.id !== conversation.id);
  next.push(conversation);
  return sortConversations(next);
}

export function sortConversations(list: Conversation[]): Conversation[] {
  return list.slice().sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt - a.updatedAt);
}

/** The newest context measurement on screen: the meter's tokens used and the context's size. */
export function contextUse(messages: readonly ShownMessage[]): { used: number; size: number } | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const s = messages[i]!.stats;
    if (s && s.contextTokens != null && s.contextSize) return { used: s.contextTokens, size: s.contextSize };
  }
  return null;
}

/** Pieces of a snippet: plain text, and the parts inside `ranges` marked (never HTML). */
export function splitByRanges(text: string, ranges: SearchHit['ranges']): Array<{ text: string; match: boolean }> {
  const parts: Array<{ text: string; match: boolean }> = [];
  let at = 0;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    const start = Math.max(at, Math.min(r.start, text.length));
    const end = Math.max(start, Math.min(r.end, text.length));
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    if (end > start) parts.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}
