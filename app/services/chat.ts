// Chat: stores the question, streams the answer from the engine into SQLite (batched) and to the
// renderer (only the new text), and keeps a partial answer when it is stopped or the engine dies.
import { createAnswerWriter, type AnswerWriter, type Store } from '../store/index.js';
import { AppError, type AppEvent, type Conversation, type Message, type Sampling } from '../contract.js';
import { DEFAULT_FLASH_ATTENTION, DEFAULT_KV_TYPE, refusalFor, type FitPlanner } from './planner.js';
import type { EngineSupervisor, GenerateOutcome } from '../../native/engine/supervisor.js';
import { QWEN2_DEFAULT_SYSTEM_PROMPT } from '../../native/engine/defaults.js';
import type { ModelLibrary } from './library.js';

export const DEFAULT_CONTEXT_SIZE = 4096;
const TITLE_LENGTH = 60;

export interface SendInput {
  conversationId: string;
  text: string;
  modelPath: string;
  systemPrompt?: string;
  sampling?: Sampling;
}

interface Running {
  requestId: number;
  done: Promise<void>;
}

export class ChatService {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly store: Store,
    private readonly engine: EngineSupervisor,
    private readonly models: ModelLibrary,
    private readonly planner: FitPlanner,
    private readonly emit: (event: AppEvent) => void,
  ) {}

  /** The model and load settings the engine holds after the last answer, if it still holds them. */
  private loadedKey: string | null = null;
  /** Conversations whose send is being prepared (before the engine has the request). */
  private readonly preparing = new Set<string>();

  async send(input: SendInput): Promise<{ userMessage: Message; assistantMessage: Message }> {
    const conversation = this.store.conversations.get(input.conversationId);
    if (!conversation) throw new AppError('not_found', 'This conversation no longer exists.');
    if (this.running.has(input.conversationId) || this.preparing.has(input.conversationId)) {
      throw new AppError('busy', 'An answer is still being written in this conversation: stop it or wait.');
    }
    this.preparing.add(input.conversationId);
    try {
      return await this.start(input, conversation);
    } finally {
      this.preparing.delete(input.conversationId);
    }
  }

  private async start(input: SendInput, conversation: Conversation): Promise<{ userMessage: Message; assistantMessage: Message }> {
    const model = await this.models.usable(input.modelPath);
    // The model's own defaults apply unless this request says otherwise.
    const load = {
      contextSize: model.defaults.contextSize ?? DEFAULT_CONTEXT_SIZE,
      kvType: model.defaults.kvType ?? DEFAULT_KV_TYPE,
      flashAttention: model.defaults.flashAttention ?? DEFAULT_FLASH_ATTENTION,
    };
    const loadKey = JSON.stringify([model.path, load]);
    if (loadKey !== this.loadedKey || this.engine.status.modelPath !== model.path) {
      // Refused before loading: a context that cannot fit never reaches llama.cpp.
      const plan = await this.planner.plan(await this.planner.shapeOf(model.parts), load);
      if (plan.verdict === 'does-not-fit') throw refusalFor(plan, model.name);
    }
    const history = this.store.messages.list(input.conversationId);

    const userMessage = this.store.messages.insert({ conversationId: input.conversationId, role: 'user', content: input.text, status: 'done' });
    const assistantMessage = this.store.messages.insert({ conversationId: input.conversationId, role: 'assistant', content: '', status: 'streaming', model: model.name });
    if (history.length === 0 && conversation.title === 'New conversation') {
      this.store.conversations.rename(conversation.id, titleFrom(input.text));
    }
    this.store.conversations.touch(conversation.id);
    const updated = this.store.conversations.get(conversation.id);
    if (updated) this.emit({ type: 'conversation.updated', conversation: updated });

    const writer = createAnswerWriter(this.store.messages, assistantMessage.id);
    const { requestId, outcome } = this.engine.generate({
      modelPath: model.path,
      ...load,
      systemPrompt: input.systemPrompt?.trim() || model.defaults.systemPrompt?.trim() || QWEN2_DEFAULT_SYSTEM_PROMPT,
      messages: [...history, userMessage]
        .filter((m) => (m.role === 'user' || m.role === 'assistant') && m.content.length > 0)
        .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
      sampling: { ...model.defaults.sampling, ...input.sampling },
      onDelta: (text) => {
        writer.append(text);
        this.emit({ type: 'chat.delta', conversationId: input.conversationId, messageId: assistantMessage.id, text });
      },
    });
    const done = outcome.then((result) => {
      this.loadedKey = result.kind === 'done' ? loadKey : null;
      this.finish(input.conversationId, assistantMessage.id, writer, result);
    });
    this.running.set(input.conversationId, { requestId, done });
    return { userMessage, assistantMessage };
  }

  /** Stops the answer being written in a conversation; the text so far is kept. */
  async stop(conversationId: string): Promise<{ stopped: boolean }> {
    const running = this.running.get(conversationId);
    if (!running) return { stopped: false };
    this.engine.abort(running.requestId);
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

  private finish(conversationId: string, messageId: string, writer: AnswerWriter, result: GenerateOutcome): void {
    this.running.delete(conversationId);
    let message: Message;
    try {
      if (result.kind === 'done') {
        const status = result.stopReason === 'abort' ? 'stopped' : 'done';
        const stats = { tokens: result.stats.tokens, tokensPerSecond: result.stats.tokensPerSecond, timeToFirstTokenMs: result.stats.timeToFirstTokenMs };
        message = writer.finish(status, stats);
      } else if (result.kind === 'crashed') {
        const why = `${result.message} The partial answer is kept; the next message starts a fresh engine.`;
        message = writer.finish('interrupted', null, why);
      } else {
        message = writer.finish('error', null, result.message);
      }
    } catch (error) {
      // The store itself failed (disk full, say): tell the renderer, keep the app running.
      const stored = this.store.messages.get(messageId);
      if (!stored) return;
      message = { ...stored, status: 'error', error: `The answer could not be saved: ${(error as Error).message}` };
    }
    this.emit({ type: 'chat.finished', conversationId, message });
  }
}

function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line || 'New conversation';
}
