// Pure helpers that apply chat results and events to the list of messages on screen.
import type { Conversation, Message } from '../../app/contract.js';

/** Appends streamed text; a delta for an unknown message starts a streaming placeholder. */
export function applyDelta(messages: Message[], conversationId: string, messageId: string, text: string): Message[] {
  const i = messages.findIndex((m) => m.id === messageId);
  if (i === -1) {
    const placeholder: Message = {
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

/** Puts the final message in place of its streaming version (or appends it). */
export function applyFinished(messages: Message[], message: Message): Message[] {
  const i = messages.findIndex((m) => m.id === message.id);
  if (i === -1) return [...messages, message];
  const next = messages.slice();
  next[i] = message;
  return next;
}

/**
 * Adds the pair returned by chat.send. Deltas (or even the end) of the answer may have
 * arrived before the response, so an answer already on screen is kept as it is.
 */
export function applySent(messages: Message[], pendingId: string, user: Message, assistant: Message): Message[] {
  const known = messages.find((m) => m.id === assistant.id);
  const rest = messages.filter((m) => m.id !== pendingId && m.id !== user.id && m.id !== assistant.id);
  return [...rest, user, known ?? assistant];
}

/** A user message shown at once, before main confirms it. */
export function pendingUserMessage(conversationId: string, text: string): Message {
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
  };
}

export function isPending(message: Message): boolean {
  return message.id.startsWith('pending-');
}

/** Newest first. */
export function upsertConversation(list: Conversation[], conversation: Conversation): Conversation[] {
  const next = list.filter((c) => c.id !== conversation.id);
  next.push(conversation);
  return sortConversations(next);
}

export function sortConversations(list: Conversation[]): Conversation[] {
  return list.slice().sort((a, b) => b.updatedAt - a.updatedAt);
}
