// Issue 5 of the contract: branches, per-conversation settings and presets, search, export and
// import, app settings. app/contract.ts merges these requests, results and events into its own
// (import from there, not from here).
import { z } from 'zod';
import { BackendPreference, Id, Sampling } from './contract-base.js';
import type { Conversation, Message } from './contract.js';

// ---- per-conversation settings and presets --------------------------------------------------

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

/** A reusable system prompt (and optionally sampling), stored in the settings table. */
export interface Preset {
  id: string;
  name: string;
  systemPrompt: string;
  sampling: Sampling;
  createdAt: number;
  updatedAt: number;
}

// ---- branches --------------------------------------------------------------------------------

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

// ---- search, export, settings ----------------------------------------------------------------

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

export const Language = z.enum(['system', 'en', 'zh-CN']);
export type Language = z.infer<typeof Language>;
export const Theme = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof Theme>;

export interface AppSettings {
  language: Language;
  theme: Theme;
  /** The model a new conversation starts with; null: none chosen. */
  defaultModelPath: string | null;
  /** Changes restart the engine once it is idle (the next answer starts a fresh one). */
  engineBackend: BackendPreference;
  /** 0 = automatic (one per CPU core, fewer on a GPU). */
  engineThreads: number;
  /** The data folder in use now (database, and models unless library.folder says otherwise). */
  dataDir: string;
  /**
   * The data folder to use from the next start; null = the platform default. It is kept in a small
   * JSON file (data-location.json) in the default data folder, where the launcher reads it before
   * opening the database; nothing is moved: copy the folder yourself or start with an empty one.
   */
  nextDataDir: string | null;
  /** The models folder in use (the library): `models/` in the data folder unless set here. */
  modelsDir: string;
}

export const AppSettingsPatch = z
  .object({
    language: Language,
    theme: Theme,
    defaultModelPath: z.string().min(1).max(4096).nullable(),
    engineBackend: BackendPreference,
    engineThreads: z.number().int().min(0).max(1024),
    /** An absolute path, or null for the platform default. */
    nextDataDir: z.string().min(1).max(4096).nullable(),
    /** An absolute path (created if missing), or null for `models/` in the data folder. Applies at once. */
    modelsDir: z.string().min(1).max(4096).nullable(),
  })
  .partial()
  .strict();
export type AppSettingsPatch = z.infer<typeof AppSettingsPatch>;

// ---- requests ---------------------------------------------------------------------------------

const answerOptions = {
  modelPath: z.string().min(1).max(4096),
  systemPrompt: z.string().max(100_000).optional(),
  sampling: Sampling.optional(),
};

export const chatRequests = {
  /** A new answer to the same question, as a sibling of `messageId` (an answer), or a new answer to `messageId` (a question). */
  'chat.regenerate': { params: z.object({ messageId: Id, ...answerOptions }).strict() },
  /** A new version of the question `messageId` (a sibling of it) and its answer; the old branch stays. */
  'chat.edit': { params: z.object({ messageId: Id, text: z.string().min(1).max(1_000_000), ...answerOptions }).strict() },
  /** Paging through the active branch: the last `limit` (default 100) messages before `beforeId` (default: the end). */
  'messages.page': {
    params: z.object({ conversationId: Id, limit: z.number().int().min(1).max(1000).optional(), beforeId: Id.optional() }).strict(),
  },
  /** Deletes a message and every message after it on any branch; the active branch moves to a sibling or the parent. */
  'messages.delete': { params: z.object({ id: Id }).strict() },
  /** Makes the branch through `messageId` active, following the newest answers below it. */
  'conversations.switchBranch': { params: z.object({ messageId: Id }).strict() },
  'conversations.update': {
    params: z.object({ id: Id, pinned: z.boolean().optional(), settings: ConversationSettings.optional() }).strict(),
  },
  'conversations.export': { params: z.object({ id: Id, format: z.enum(['markdown', 'json']) }).strict() },
  /** A JSON export (any branch layout) becomes a new conversation with new ids; a bad file changes nothing. */
  'conversations.import': { params: z.object({ content: z.string().min(1).max(200_000_000) }).strict() },
  'presets.list': { params: z.object({}).strict() },
  /** Creates a preset (no id) or replaces the one with this id. */
  'presets.save': {
    params: z
      .object({ id: Id.optional(), name: z.string().trim().min(1).max(100), systemPrompt: z.string().max(100_000), sampling: Sampling.optional() })
      .strict(),
  },
  'presets.delete': { params: z.object({ id: Id }).strict() },
  /**
   * Full-text search over conversation titles (first, most recently changed first) and every message
   * of every conversation (all branches, newest first). The query's whitespace-separated terms must
   * all occur in the title, or in the message (substring match, any case; Chinese works).
   */
  'search.messages': { params: z.object({ query: z.string().trim().min(1).max(500), limit: z.number().int().min(1).max(500).optional() }).strict() },
  'settings.get': { params: z.object({}).strict() },
  'settings.update': { params: AppSettingsPatch },
} as const;

export interface ChatResults {
  'chat.regenerate': { assistantMessage: BranchMessage };
  'chat.edit': { userMessage: BranchMessage; assistantMessage: BranchMessage };
  'messages.page': MessagePage;
  'messages.delete': { deleted: number; conversation: Conversation };
  'conversations.switchBranch': Conversation;
  'conversations.update': Conversation;
  'conversations.export': ExportedConversation;
  'conversations.import': Conversation;
  'presets.list': Preset[];
  'presets.save': Preset;
  'presets.delete': { deleted: true };
  'search.messages': SearchHit[];
  'settings.get': AppSettings;
  'settings.update': AppSettings;
}

export type ChatEvent =
  /** The conversation is gone (deleted here or by another window): drop it from the list. */
  { type: 'conversation.deleted'; conversationId: string };
