// Chat: stores the question, streams the answer from the engine into SQLite (batched) and to the
// renderer (only the new text), and keeps a partial answer when it is stopped or the engine dies.
// Send, regenerate and edit all add to the conversation's tree: a regenerated answer is a sibling
// of the old one, an edited question a sibling of the old question; nothing is copied or replaced.
// Each answer goes through the chat steps (chat-steps.ts): resolved, stored as it starts, planned
// with its documents, generated into the conversation's sink, stored as it ends (chat-persist.ts).
import { createAnswerWriter, type AnswerWriter, type Store } from '../store/index.js';
import type { Tree } from '../store/tree.js';
import { AppError, type AppEvent, type BranchMessage, type Conversation, type Message, type MessageStats } from '../contract.js';
import type { GenerateOutcome } from '../engine.js';
import { turnsOf, type PromptCapture, type Running } from './chat-answer.js';
import { failedOutcome } from './chat-generate.js';
import { beginAnswer, finishAnswer, saveSources, type Question } from './chat-persist.js';
import type { AnswerOptions, ResolvedAnswer } from './chat-prepare.js';
import { conversationSink } from './chat-sink.js';
import type { ChatSteps } from './chat-steps.js';
import type { DocumentsController } from './documents/controller.js';

export type { PromptCapture } from './chat-answer.js';
export type { AnswerOptions } from './chat-prepare.js';

export { DEFAULT_CONTEXT_SIZE } from './chat-settings.js';

export interface SendInput extends AnswerOptions {
  conversationId: string;
  text: string;
}

export interface ChatDeps {
  store: Store;
  tree: Tree;
  /** Prepare and generate; shared with any other caller of the engine's answers. */
  steps: ChatSteps;
  emit(event: AppEvent): void;
  /** With documents: where the documents' plan of each answer is stored. */
  documents?: DocumentsController;
  /** Receives every answer's rendered prompt (costs one rendering per answer, nothing per token). */
  onPrompt?(capture: PromptCapture): void;
  /** Whether the disk has room: new answers are refused while it is full; a failed write may free the reserve. */
  disk?: { readonly problem: string | null; writeFailed(error: unknown): boolean };
}

/** One answer being written in a conversation, once its rows are stored. */
interface AnswerJob {
  conversationId: string;
  resolved: ResolvedAnswer;
  userId: string;
  assistantId: string;
  writer: AnswerWriter;
  running: Running;
  /** Continuing this finished answer: its stats so far (the new numbers are added to them). */
  continues?: { stats: MessageStats | null };
}

export class ChatService {
  private readonly running = new Map<string, Running>();
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
    const { store, tree, steps, emit } = this.deps;
    const resolved = await steps.resolve(conversation, opts);
    const { user, assistant } = beginAnswer(store, {
      conversation, question, continued, modelName: resolved.model.name, sampling: resolved.settings.sampling,
    });
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
      conversationId: conversation.id, resolved, userId: user.id, assistantId: assistant.id, writer, running,
      ...(continued ? { continues: { stats: continued.stats } } : {}),
    });
    return { userMessage: tree.branchMessage(user.id), assistantMessage: tree.branchMessage(assistant.id) };
  }

  /** Plans the request (with the documents, when there are any), generates, and stores how it ended. */
  private async answer(a: AnswerJob): Promise<void> {
    const { store, tree, steps, emit, documents } = this.deps;
    let outcome: GenerateOutcome;
    try {
      // Continuing: the branch up to the answer itself, whose text is the last (unfinished) turn.
      const { turns, pathIndexOfTurn } = turnsOf(tree.pathTo(a.continues ? a.assistantId : a.userId));
      const prepared = await steps.plan(a.resolved, {
        conversationId: a.conversationId, turns, continueAnswer: a.continues !== undefined, capturePrompt: this.deps.onPrompt !== undefined,
      });
      if (prepared.sources && documents) saveSources(documents, emit, prepared.sources, a.assistantId);
      const sink = conversationSink(store, emit, { conversationId: a.conversationId, messageId: a.assistantId, writer: a.writer, pathIndexOfTurn });
      outcome = await steps.generate(prepared, sink, a.running.stop.signal);
    } catch (error) {
      outcome = failedOutcome(error);
      steps.forgetLoad();
    }
    if (outcome.kind === 'done' && outcome.debug?.promptText !== undefined) {
      const { promptText, promptTokensTotal, state } = outcome.debug;
      this.deps.onPrompt?.({ conversationId: a.conversationId, messageId: a.assistantId, text: promptText, promptTokensTotal, promptTokens: outcome.stats.promptTokens, state });
    }
    this.running.delete(a.conversationId);
    finishAnswer(store, a.writer, a.assistantId, outcome, (message) => emit({ type: 'chat.finished', conversationId: a.conversationId, message }), a.continues);
    if (!a.writer.saved) this.unsaved.add(a.writer);
  }
}
