// Chat: stores the question, streams the answer from the engine into SQLite (batched) and to the
// renderer (only the new text), and keeps a partial answer when it is stopped or the engine dies.
// Send, regenerate and edit all add to the conversation's tree: a regenerated answer is a sibling
// of the old one, an edited question a sibling of the old question; nothing is copied or replaced.
import { createAnswerWriter, type Store } from '../store/index.js';
import type { Tree } from '../store/tree.js';
import { AppError, type AppEvent, type BranchMessage, type Conversation, type Message, type Sampling } from '../contract.js';
import { DEFAULT_FLASH_ATTENTION, DEFAULT_KV_TYPE, refusalFor, type FitPlanner } from './planner.js';
import type { EngineSupervisor } from '../../native/engine/supervisor.js';
import type { ModelLibrary } from './library.js';
import type { Presets } from './presets.js';
import { resolveAnswerSettings } from './chat-settings.js';
import { finishAnswer, turnsOf } from './chat-answer.js';

export const DEFAULT_CONTEXT_SIZE = 4096;
const TITLE_LENGTH = 60;
const DEFAULT_TITLE = 'New conversation';

export interface AnswerOptions {
  modelPath: string;
  systemPrompt?: string;
  sampling?: Sampling;
}

export interface SendInput extends AnswerOptions {
  conversationId: string;
  text: string;
}

/** What to answer: a new question (after `parentId`; undefined = the end of the active branch) or one already stored. */
type Question = { text: string; parentId: string | null | undefined } | { existing: Message };

interface Running {
  requestId: number;
  done: Promise<void>;
}

export interface ChatDeps {
  store: Store;
  tree: Tree;
  engine: EngineSupervisor;
  models: ModelLibrary;
  planner: FitPlanner;
  presets: Presets;
  emit(event: AppEvent): void;
}

export class ChatService {
  private readonly running = new Map<string, Running>();
  /** The model and load settings the engine holds after the last answer, if it still holds them. */
  private loadedKey: string | null = null;
  /** Conversations whose answer is being prepared (before the engine has the request). */
  private readonly preparing = new Set<string>();

  constructor(private readonly deps: ChatDeps) {}

  send(input: SendInput): Promise<{ userMessage: BranchMessage; assistantMessage: BranchMessage }> {
    return this.guarded(input.conversationId, (c) => this.start(c, input, { text: input.text, parentId: undefined }));
  }

  /** A new answer: a sibling of the answer `messageId`, or an answer to the question `messageId`. */
  async regenerate(messageId: string, opts: AnswerOptions): Promise<{ assistantMessage: BranchMessage }> {
    const target = this.message(messageId);
    const question = target.role === 'assistant' && target.parentId ? this.deps.store.messages.get(target.parentId) : target;
    if (!question || question.role !== 'user') {
      throw new AppError('invalid_request', 'Only an answer to a question (or the question itself) can be answered again.');
    }
    const { assistantMessage } = await this.guarded(question.conversationId, (c) => this.start(c, opts, { existing: question }));
    return { assistantMessage };
  }

  /** A new version of the question `messageId` next to the old one, and its answer. */
  edit(messageId: string, text: string, opts: AnswerOptions): Promise<{ userMessage: BranchMessage; assistantMessage: BranchMessage }> {
    const original = this.message(messageId);
    if (original.role !== 'user') throw new AppError('invalid_request', 'Only your own messages can be edited; regenerate an answer instead.');
    return this.guarded(original.conversationId, (c) => this.start(c, opts, { text, parentId: original.parentId ?? null }));
  }

  /** Throws AppError('busy') while an answer is being prepared or written in the conversation. */
  assertIdle(conversationId: string): void {
    if (this.running.has(conversationId) || this.preparing.has(conversationId)) {
      throw new AppError('busy', 'An answer is still being written in this conversation: stop it or wait.');
    }
  }

  /** Stops the answer being written in a conversation; the text so far is kept. */
  async stop(conversationId: string): Promise<{ stopped: boolean }> {
    const running = this.running.get(conversationId);
    if (!running) return { stopped: false };
    this.deps.engine.abort(running.requestId);
    await running.done;
    return { stopped: true };
  }

  /** Resolves when every answer in progress has ended (used at shutdown and by tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  isRunning(conversationId: string): boolean {
    return this.running.has(conversationId);
  }

  private message(id: string): Message {
    const found = this.deps.store.messages.get(id);
    if (!found) throw new AppError('not_found', 'This message no longer exists.');
    return found;
  }

  private async guarded<T>(conversationId: string, run: (c: Conversation) => Promise<T>): Promise<T> {
    const conversation = this.deps.store.conversations.get(conversationId);
    if (!conversation) throw new AppError('not_found', 'This conversation no longer exists.');
    this.assertIdle(conversationId);
    this.preparing.add(conversationId);
    try {
      return await run(conversation);
    } finally {
      this.preparing.delete(conversationId);
    }
  }

  private async start(conversation: Conversation, opts: AnswerOptions, question: Question) {
    const { store, tree, engine, models, planner, presets, emit } = this.deps;
    const model = await models.usable(opts.modelPath);
    // The model's own defaults apply unless this request says otherwise.
    const load = {
      contextSize: model.defaults.contextSize ?? DEFAULT_CONTEXT_SIZE,
      kvType: model.defaults.kvType ?? DEFAULT_KV_TYPE,
      flashAttention: model.defaults.flashAttention ?? DEFAULT_FLASH_ATTENTION,
    };
    const loadKey = JSON.stringify([model.path, load]);
    if (loadKey !== this.loadedKey || engine.status.modelPath !== model.path) {
      // Refused before loading: a context that cannot fit never reaches llama.cpp.
      const plan = await planner.plan(await planner.shapeOf(model.parts), load);
      if (plan.verdict === 'does-not-fit') throw refusalFor(plan, model.name);
    }
    const presetId = conversation.settings.presetId;
    const settings = resolveAnswerSettings({
      request: opts, conversation, preset: presetId ? presets.get(presetId) : null, model: model.defaults,
    });

    // Both messages (and the new end of the branch) are stored together, or neither is.
    const { user, assistant } = store.db.transaction(() => {
      const user =
        'existing' in question
          ? question.existing
          : store.messages.insert({ conversationId: conversation.id, role: 'user', content: question.text, status: 'done', parentId: question.parentId });
      const assistant = store.messages.insert({
        conversationId: conversation.id, role: 'assistant', status: 'streaming', model: model.name, parentId: user.id, sampling: settings.sampling,
      });
      if (!('existing' in question) && user.parentId === null && conversation.title === DEFAULT_TITLE) {
        store.conversations.rename(conversation.id, titleFrom(question.text));
      }
      store.conversations.touch(conversation.id);
      return { user, assistant };
    })();
    const updated = store.conversations.get(conversation.id);
    if (updated) emit({ type: 'conversation.updated', conversation: updated });

    const { turns, pathIndexOfTurn } = turnsOf(tree.pathTo(user.id));
    const writer = createAnswerWriter(store.messages, assistant.id);
    const { requestId, outcome } = engine.generate({
      modelPath: model.path,
      ...load,
      systemPrompt: settings.systemPrompt,
      messages: turns,
      sampling: settings.sampling,
      onFitted: (report) => {
        // The stored messages before the first turn kept (empty ones, never sent, included).
        const dropped = report.droppedTurns === 0 ? 0 : pathIndexOfTurn[report.droppedTurns]!;
        store.messages.setFitted(assistant.id, dropped, report.contextSize);
      },
      onDelta: (text) => {
        writer.append(text);
        emit({ type: 'chat.delta', conversationId: conversation.id, messageId: assistant.id, text });
      },
    });
    const done = outcome.then((result) => {
      this.loadedKey = result.kind === 'done' ? loadKey : null;
      this.running.delete(conversation.id);
      finishAnswer(store, writer, assistant.id, result, (message) => emit({ type: 'chat.finished', conversationId: conversation.id, message }));
    });
    this.running.set(conversation.id, { requestId, done });
    return { userMessage: tree.branchMessage(user.id), assistantMessage: tree.branchMessage(assistant.id) };
  }
}

function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line || DEFAULT_TITLE;
}
