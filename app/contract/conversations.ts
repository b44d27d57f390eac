// Conversations and their messages: the list, branches, per-conversation settings, paging,
// search, export and import.
import { z } from 'zod';
import { Id, MessageStatus, NoParams, Sampling, type StopReason } from './common.js';
import { method, returns } from './method.js';

/**
 * A conversation's own settings; each field overrides the preset it names, which overrides the
 * model's defaults. `conversations.update` replaces the whole object: send every field to keep.
 */
export const ConversationSettings = z
  .object({
    /** Empty or absent: the preset's prompt, else the model's, else "You are a helpful assistant." */
    systemPrompt: z.string().max(100_000),
    /** A preset from presets.list; a deleted preset is ignored. */
    presetId: Id,
    sampling: Sampling,
    /** The context this conversation's answers run at; absent: the model's default (its contextSize, else 4096). */
    contextSize: z.number().int().min(512).max(131072),
  })
  .partial()
  .strict();
export type ConversationSettings = z.infer<typeof ConversationSettings>;

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

/**
 * A message on the conversation's active branch, with its place among its siblings (the other
 * answers to the same question, or the other versions of an edited question): the UI shows
 * `< siblingIndex+1 / siblingCount >` and switches with conversations.switchBranch(siblingIds[i]).
 */
export interface BranchMessage extends Message {
  parentId: string | null;
  /** 0-based, oldest sibling first. */
  siblingIndex: number;
  siblingCount: number;
  siblingIds: string[];
}

/** Part of the active branch, oldest first: the last `limit` messages before `beforeId` (or the leaf). */
export interface MessagePage {
  messages: BranchMessage[];
  /** True when older messages exist before messages[0]: ask again with beforeId = messages[0].id. */
  hasMore: boolean;
}

export interface SearchHit {
  /** 'title': the conversation's title matches (listed first; opens the conversation); 'message': one of its messages. */
  kind: 'title' | 'message';
  conversationId: string;
  conversationTitle: string;
  /** Null for a title hit. */
  messageId: string | null;
  role: Message['role'] | null;
  /** The message's time, or for a title hit when the conversation last changed. */
  createdAt: number;
  /** Plain text around the first match ("…" where cut); never HTML. */
  snippet: string;
  /** Where the query's terms occur in `snippet`: [start, end) in UTF-16 code units (JS string indices). */
  ranges: Array<{ start: number; end: number }>;
}

export interface ExportedConversation {
  fileName: string;
  mimeType: 'text/markdown' | 'application/json';
  content: string;
}

const pageParams = { conversationId: Id, limit: z.number().int().min(1).max(1000).optional(), beforeId: Id.optional() };

export const conversationRequests = {
  'conversations.list': method(NoParams, returns<Conversation[]>()),
  'conversations.create': method(z.object({ title: z.string().max(200).optional() }).strict(), returns<Conversation>()),
  'conversations.rename': method(z.object({ id: Id, title: z.string().min(1).max(200) }).strict(), returns<Conversation>()),
  'conversations.delete': method(z.object({ id: Id }).strict(), returns<{ deleted: true }>()),
  'conversations.update': method(
    z.object({ id: Id, pinned: z.boolean().optional(), settings: ConversationSettings.optional() }).strict(),
    returns<Conversation>(),
  ),
  /** Makes the branch through `messageId` active, following the newest answers below it. */
  'conversations.switchBranch': method(z.object({ messageId: Id }).strict(), returns<Conversation>()),
  'conversations.export': method(z.object({ id: Id, format: z.enum(['markdown', 'json']) }).strict(), returns<ExportedConversation>()),
  /** A JSON export (any branch layout) becomes a new conversation with new ids; a bad file changes nothing. */
  'conversations.import': method(z.object({ content: z.string().min(1).max(200_000_000) }).strict(), returns<Conversation>()),
  /** The whole active branch, oldest first (limit/beforeId: the same paging as messages.page, without hasMore). */
  'messages.list': method(z.object(pageParams).strict(), returns<BranchMessage[]>()),
  /** Paging through the active branch: the last `limit` (default 100) messages before `beforeId` (default: the end). */
  'messages.page': method(z.object(pageParams).strict(), returns<MessagePage>()),
  /** Deletes a message and every message after it on any branch; the active branch moves to a sibling or the parent. */
  'messages.delete': method(z.object({ id: Id }).strict(), returns<{ deleted: number; conversation: Conversation }>()),
  /**
   * Full-text search over conversation titles (first, most recently changed first) and every message
   * of every conversation (all branches, newest first). The query's whitespace-separated terms must
   * all occur in the title, or in the message (substring match, any case; Chinese works).
   */
  'search.messages': method(
    z.object({ query: z.string().trim().min(1).max(500), limit: z.number().int().min(1).max(500).optional() }).strict(),
    returns<SearchHit[]>(),
  ),
} as const;

export type ConversationEvent =
  | { type: 'conversation.updated'; conversation: Conversation }
  /** The conversation is gone (deleted here or by another window): drop it from the list. */
  | { type: 'conversation.deleted'; conversationId: string };
