// Chat: stores the question, streams the answer from the engine into SQLite (batched) and to the
// renderer (only the new text), and keeps a partial answer when it is stopped or the engine dies.
// Send, regenerate and edit all add to the conversation's tree: a regenerated answer is a sibling
// of the old one, an edited question a sibling of the old question; nothing is copied or replaced.
import { createAnswerWriter, type AnswerWriter, type Store } from '../store/index.js';
import type { Tree } from '../store/tree.js';
import { AppError, type AppEvent, type BranchMessage, type Conversation, type Message, type Sampling } from '../contract.js';
import { DEFAULT_FLASH_ATTENTION, DEFAULT_KV_TYPE, refusalFor, type FitPlanner } from './planner.js';
import { stoppedBeforeStart, type Engine, type GenerateOutcome } from '../engine.js';
import type { ModelLibrary } from './library.js';
import type { Presets } from './presets.js';
import { resolveAnswerSettings, resolveContextSize } from './chat-settings.js';
import { engineSampling, finishAnswer, turnsOf, type AnswerJob, type PromptCapture, type Running } from './chat-answer.js';
import { promptWithDocuments } from './chat-documents.js';
import type { DocumentsController } from './documents/controller.js';
import type { StateFiles } from './documents/state-files.js';

export type { PromptCapture } from './chat-answer.js';

export { DEFAULT_CONTEXT_SIZE } from './chat-settings.js';
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

export interface ChatDeps {
  store: Store;
  tree: Tree;
  engine: Engine;
  models: ModelLibrary;
  planner: FitPlanner;
  presets: Presets;
  emit(event: AppEvent): void;
  /** With documents: planning, the prompt, and where context states are kept. */
  documents?: { controller: DocumentsController; states: StateFiles };
  /** Receives every answer's rendered prompt (costs one rendering per answer, nothing per token). */
  onPrompt?(capture: PromptCapture): void;
  /** Whether the disk has room: new answers are refused while it is full; a failed write may free the reserve. */
  disk?: { readonly problem: string | null; writeFailed(error: unknown): boolean };
}

export class ChatService {
  private readonly running = new Map<string, Running>();
  /** The model and load settings the engine holds after the last answer, if it still holds them. */
  private loadedKey: string | null = null;
  /** Conversations whose answer is being prepared (before the engine has the request). */
  private readonly preparing = new Set<string>();
  /** Answers whose end could not be stored yet (the disk is full): their writers keep trying. */
  private readonly unsaved = new Set<AnswerWriter>();

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

  /**
   * Generates more of the finished answer `messageId` into the same message: the prompt ends with
   * the answer's text as an unfinished turn, and the new text is appended to it.
   */
  async continue(messageId: string, opts: AnswerOptions): Promise<{ assistantMessage: BranchMessage }> {
    const target = this.message(messageId);
    if (target.role !== 'assistant' || target.content === '' || !target.parentId || target.status === 'streaming' || target.status === 'error') {
      throw new AppError('invalid_request', 'Only a finished answer with text can be continued.');
    }
    const question = this.deps.store.messages.get(target.parentId);
    if (!question) throw new AppError('not_found', 'The question of this answer no longer exists.');
    const assistantMessage = await this.guarded(target.conversationId, (c) =>
      this.start(c, { ...opts, sampling: { ...target.sampling, ...opts.sampling } }, { existing: question }, target),
    );
    return { assistantMessage: assistantMessage.assistantMessage };
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
    running.stop.abort();
    await running.done;
    return { stopped: true };
  }

  /** Resolves when every answer in progress has ended (used at shutdown and by tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** At shutdown: one last try to store the answers that could not be saved yet. */
  disposeWriters(): void {
    for (const w of this.unsaved) w.dispose();
    this.unsaved.clear();
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
    const full = this.deps.disk?.problem;
    if (full) throw new AppError('failed', full);
    this.preparing.add(conversationId);
    try {
      return await run(conversation);
    } finally {
      this.preparing.delete(conversationId);
    }
  }

  private async start(conversation: Conversation, opts: AnswerOptions, question: Question, continued?: Message) {
    const { store, tree, engine, models, planner, presets, emit } = this.deps;
    const model = await models.usable(opts.modelPath);
    // The model's own defaults apply unless this request says otherwise.
    const load = {
      contextSize: resolveContextSize(conversation, model.defaults),
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

    // Both messages (and the new end of the branch) are stored together, or neither is; a continued
    // answer is the same message, streaming again.
    const { user, assistant } = store.db.transaction(() => {
      if (continued && 'existing' in question) {
        store.conversations.touch(conversation.id);
        return { user: question.existing, assistant: store.messages.reopen(continued.id) };
      }
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

    const writer = createAnswerWriter(store.messages, assistant.id, {
      initialText: continued?.content ?? '',
      onWriteError: (error) => this.deps.disk?.writeFailed(error) ?? false,
      onLateFinish: (message) => {
        this.unsaved.delete(writer);
        emit({ type: 'chat.finished', conversationId: conversation.id, message });
      },
    });
    const running: Running = { stop: new AbortController(), done: Promise.resolve() };
    this.running.set(conversation.id, running);
    running.done = this.answer({
      conversationId: conversation.id, model, load, loadKey, settings, userId: user.id, assistantId: assistant.id, writer, running,
      ...(continued ? { continues: { stats: continued.stats } } : {}),
    });
    return { userMessage: tree.branchMessage(user.id), assistantMessage: tree.branchMessage(assistant.id) };
  }

  /** Prepares the prompt (with the documents, when there are any), generates, and stores how it ended. */
  private async answer(a: AnswerJob): Promise<void> {
    const { store, tree, engine, emit, documents } = this.deps;
    let outcome: GenerateOutcome;
    try {
      // Continuing: the branch up to the answer itself, whose text is the last (unfinished) turn.
      const { turns, pathIndexOfTurn } = turnsOf(tree.pathTo(a.continues ? a.assistantId : a.userId));
      const question = a.continues ? turns.slice(0, -1) : turns;
      const { sampling, answerLimit } = engineSampling(a.settings.sampling);
      const job = { ...a, settings: { ...a.settings, sampling } };
      // Without documents nothing is awaited here: the engine has the request at once.
      const docs = documents?.controller.has(a.conversationId) ? await promptWithDocuments({ ...documents, engine, planner: this.deps.planner, emit }, job, question) : null;
      const signal = a.running.stop.signal;
      if (signal.aborted) outcome = stoppedBeforeStart();
      else {
        outcome = await engine.generate({
          modelPath: a.model.path,
          ...a.load,
          systemPrompt: docs?.systemPrompt ?? a.settings.systemPrompt,
          messages: docs ? [...docs.turns, ...turns.slice(question.length)] : turns,
          sampling,
          ...(answerLimit !== undefined ? { answerLimit } : {}),
          ...(a.continues ? { continueAnswer: true } : {}),
          ...(docs?.state ? { state: docs.state } : {}),
          capturePrompt: this.deps.onPrompt !== undefined,
        }, {
          onPromptProgress: (p) => emit({ type: 'chat.prompt-progress', conversationId: a.conversationId, messageId: a.assistantId, ...p }),
          onFitted: (report) => {
            // The stored messages before the first turn kept (empty ones, never sent, included).
            const dropped = report.droppedTurns === 0 ? 0 : pathIndexOfTurn[report.droppedTurns]!;
            store.messages.setFitted(a.assistantId, dropped, report.contextSize);
          },
          onDelta: (text) => {
            a.writer.append(text);
            emit({ type: 'chat.delta', conversationId: a.conversationId, messageId: a.assistantId, text });
          },
        }, signal);
      }
    } catch (error) {
      outcome = { kind: 'failed', text: '', message: (error as Error)?.message ?? String(error) };
    }
    if (outcome.kind === 'done' && outcome.debug?.promptText !== undefined) {
      const { promptText, promptTokensTotal, state } = outcome.debug;
      this.deps.onPrompt?.({ conversationId: a.conversationId, messageId: a.assistantId, text: promptText, promptTokensTotal, promptTokens: outcome.stats.promptTokens, state });
    }
    this.loadedKey = outcome.kind === 'done' ? a.loadKey : null;
    this.running.delete(a.conversationId);
    finishAnswer(store, a.writer, a.assistantId, outcome, (message) => emit({ type: 'chat.finished', conversationId: a.conversationId, message }), a.continues);
    if (!a.writer.saved) this.unsaved.add(a.writer);
  }
}

function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line || DEFAULT_TITLE;
}
