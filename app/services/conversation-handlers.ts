// The requests about conversations, their messages and branches, chat, presets, search, export and
// import, and app settings: core.ts merges these handlers with its own.
import { AppError, type AppEvent, type Conversation, type Method, type Params, type Results } from '../contract.js';
import type { Store } from '../store/index.js';
import type { Tree } from '../store/tree.js';
import type { Search } from '../store/search.js';
import type { AppSettingsService } from './app-settings.js';
import type { ChatService } from './chat.js';
import { toJson, toMarkdown } from './conversation-export.js';
import { importConversation } from './conversation-import.js';
import type { Presets } from './presets.js';

type HandlerMap<K extends Method> = { [M in K]: (params: Params<M>) => Promise<Results[M]> | Results[M] };

type ConversationMethods =
  | `conversations.${'list' | 'create' | 'rename' | 'delete' | 'update' | 'switchBranch' | 'export' | 'import'}`
  | `messages.${'list' | 'page' | 'delete'}`
  | `chat.${'send' | 'stop' | 'regenerate' | 'edit'}`
  | `presets.${'list' | 'save' | 'delete'}`
  | 'search.messages'
  | `settings.${'get' | 'update'}`;

export interface ConversationDeps {
  store: Store;
  tree: Tree;
  search: Search;
  chat: ChatService;
  presets: Presets;
  appSettings: AppSettingsService;
  emit(event: AppEvent): void;
}

const DEFAULT_SEARCH_LIMIT = 50;

export function conversationHandlers(d: ConversationDeps): HandlerMap<ConversationMethods> {
  const { store, tree, chat, emit } = d;
  const conversation = (id: string): Conversation => {
    const found = store.conversations.get(id);
    if (!found) throw new AppError('not_found', 'This conversation no longer exists.');
    return found;
  };
  const updated = (id: string): Conversation => {
    const c = conversation(id);
    emit({ type: 'conversation.updated', conversation: c });
    return c;
  };
  const messageOf = (id: string) => {
    const m = store.messages.get(id);
    if (!m) throw new AppError('not_found', 'This message no longer exists.');
    return m;
  };

  return {
    'conversations.list': () => store.conversations.list(),
    'conversations.create': (p) => store.conversations.create(p.title),
    'conversations.rename': (p) => {
      conversation(p.id);
      store.conversations.rename(p.id, p.title);
      return conversation(p.id);
    },
    'conversations.delete': async (p) => {
      conversation(p.id);
      await chat.stop(p.id);
      store.conversations.delete(p.id);
      emit({ type: 'conversation.deleted', conversationId: p.id });
      return { deleted: true as const };
    },
    'conversations.update': (p) => {
      store.conversations.update(p.id, { pinned: p.pinned, settings: p.settings });
      return updated(p.id);
    },
    'conversations.switchBranch': (p) => {
      chat.assertIdle(messageOf(p.messageId).conversationId);
      return updated(tree.switchTo(p.messageId));
    },
    'conversations.export': (p) => {
      const c = conversation(p.id);
      const all = store.messages.list(c.id);
      if (p.format === 'json') return toJson(c, all);
      return toMarkdown(c, tree.page(c.id).messages, all.length);
    },
    'conversations.import': (p) => {
      const c = conversation(importConversation(store.db, p.content));
      emit({ type: 'conversation.updated', conversation: c });
      return c;
    },
    'messages.list': (p) => {
      conversation(p.conversationId);
      return tree.page(p.conversationId, { limit: p.limit, beforeId: p.beforeId }).messages;
    },
    'messages.page': (p) => {
      conversation(p.conversationId);
      return tree.page(p.conversationId, { limit: p.limit ?? 100, beforeId: p.beforeId });
    },
    'messages.delete': (p) => {
      chat.assertIdle(messageOf(p.id).conversationId);
      const { conversationId, deleted } = tree.deleteSubtree(p.id);
      return { deleted, conversation: updated(conversationId) };
    },
    'chat.send': (p) => chat.send(p),
    'chat.stop': (p) => chat.stop(p.conversationId),
    'chat.regenerate': (p) => chat.regenerate(p.messageId, p),
    'chat.edit': (p) => chat.edit(p.messageId, p.text, p),
    'presets.list': () => d.presets.list(),
    'presets.save': (p) => d.presets.save(p),
    'presets.delete': (p) => {
      d.presets.delete(p.id);
      return { deleted: true as const };
    },
    'search.messages': (p) => d.search.messages(p.query, p.limit ?? DEFAULT_SEARCH_LIMIT),
    'settings.get': () => d.appSettings.get(),
    'settings.update': (p) => d.appSettings.update(p),
  };
}
