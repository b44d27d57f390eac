// The documents requests of the contract: attach (a path, or an upload's temporary file) with
// progress events and cancellation per conversation, exact token counts with the model's own
// tokenizer (after attach, and again when the model changes), list with the context share, remove,
// the citation side panel, and how each answer used the documents.
import path from 'node:path';
import { AppError, type AnswerSources, type AppEvent, type CitedPassage, type DocumentInfo, type DocumentProgress } from '../../contract.js';
import type { Store } from '../../store/index.js';
import type { Engine } from '../../engine.js';
import type { ModelLibrary } from '../library.js';
import { resolveContextSize } from '../chat-settings.js';
import { createAnswerSources, type AnswerSourcesStore } from './answer-sources.js';
import type { Retrieval, RetrieveOptions } from './retrieve.js';
import type { DocumentService, DocumentSource } from './service.js';
import type { StateFiles } from './state-files.js';

/** The context a model runs at when its defaults set none (the same as chat's). */
export const DEFAULT_DOCUMENT_CONTEXT = 4096;

export interface DocumentsDeps {
  store: Store;
  service: DocumentService;
  engine: Pick<Engine, 'countTokens' | 'status'>;
  models: Pick<ModelLibrary, 'usable'>;
  states: StateFiles;
  /** The app's default model (settings), for counting when no model was named. */
  defaultModel(): string | null;
  emit(event: AppEvent): void;
}

export interface AttachRequest {
  modelPath?: string;
  signal?: AbortSignal;
}

export class DocumentsController {
  readonly answers: AnswerSourcesStore;
  private readonly active = new Map<string, Set<AbortController>>();
  private readonly counting = new Map<string, Promise<void>>();

  constructor(private readonly deps: DocumentsDeps) {
    this.answers = createAnswerSources(deps.store.db);
  }

  /** Cancellation for one attach or upload: documents.cancel(conversationId) aborts it. Call end() when it is over. */
  begin(conversationId: string, outer?: AbortSignal): { signal: AbortSignal; end(): void } {
    const controller = new AbortController();
    const set = this.active.get(conversationId) ?? new Set();
    set.add(controller);
    this.active.set(conversationId, set);
    return {
      signal: outer ? AbortSignal.any([outer, controller.signal]) : controller.signal,
      end: () => {
        set.delete(controller);
        if (set.size === 0 && this.active.get(conversationId) === set) this.active.delete(conversationId);
      },
    };
  }

  /** Adds a document; its tokens are counted afterwards (document.progress 'counting', then documents.changed). */
  async attach(conversationId: string, source: DocumentSource, req: AttachRequest = {}): Promise<DocumentInfo> {
    const { emit, service, states } = this.deps;
    const name = typeof source === 'string' ? path.basename(source) : source.name;
    const run = this.begin(conversationId, req.signal);
    try {
      const doc = await service.attach(conversationId, source, {
        signal: run.signal,
        onProgress: (p) => emit({ type: 'document.progress', conversationId, name, ...p }),
      });
      await states.invalidate(conversationId);
      emit({ type: 'documents.changed', conversationId });
      const model = req.modelPath ?? this.currentModel();
      if (model) void this.count(conversationId, model).catch(() => {}); // the list shows "counting" meanwhile
      return doc;
    } finally {
      run.end();
    }
  }

  /** Progress of an upload before attach (the host's upload route). */
  report(progress: DocumentProgress): void {
    this.deps.emit({ type: 'document.progress', ...progress });
  }

  /** Cancels every attach and upload in progress in the conversation; returns how many. */
  cancel(conversationId: string): number {
    const set = this.active.get(conversationId);
    if (!set) return 0;
    for (const c of set) c.abort();
    return set.size;
  }

  /** The conversation's documents with the context they are measured against; counts them again for another model. */
  async list(conversationId: string, modelPath?: string): Promise<DocumentInfo[]> {
    this.assertConversation(conversationId);
    const docs = this.deps.service.list(conversationId);
    const model = modelPath ?? this.currentModel();
    const contextSize = model ? await this.contextSizeOf(model, conversationId) : null;
    if (model && docs.some((d) => needsCount(d, model))) void this.count(conversationId, model).catch(() => {});
    return docs.map((d) => ({ ...d, contextSize }));
  }

  /** Counts (with `modelPath`'s tokenizer) every document not counted with it yet; resolves with all of them counted. */
  async ensureCounted(conversationId: string, modelPath: string): Promise<DocumentInfo[]> {
    await this.count(conversationId, modelPath);
    return this.deps.service.list(conversationId);
  }

  async remove(id: string): Promise<boolean> {
    const doc = this.deps.store.documents.get(id);
    const removed = await this.deps.service.remove(id);
    if (removed && doc) {
      await this.deps.states.invalidate(doc.conversationId);
      this.deps.emit({ type: 'documents.changed', conversationId: doc.conversationId });
    }
    return removed;
  }

  /** The upload route's checks before the body is read (name, type, conversation, declared size). */
  checkUpload(conversationId: string, name: string, declaredBytes: number | null): void {
    this.deps.service.checkUpload(conversationId, name, declaredBytes);
  }

  /** An upload body's byte limit and its too-large error. */
  uploadLimit(name: string): ReturnType<DocumentService['uploadLimit']> {
    return this.deps.service.uploadLimit(name);
  }

  conversationExists(conversationId: string): boolean {
    return this.deps.store.conversations.get(conversationId) !== null;
  }

  passage(id: number): CitedPassage {
    const cited = this.deps.service.cited(id);
    if (!cited) throw new AppError('not_found', 'This passage is no longer available: its document was removed.');
    return cited;
  }

  sources(conversationId: string): AnswerSources[] {
    this.assertConversation(conversationId);
    return this.answers.list(conversationId);
  }

  has(conversationId: string): boolean {
    return this.deps.store.documents.has(conversationId); // one indexed row, not every document listed
  }

  /** All passages of a document in order (full-document mode). */
  passagesOf(documentId: string) {
    return this.deps.service.passages(documentId);
  }

  retrieve(opts: RetrieveOptions): Promise<Retrieval> {
    return this.deps.service.retrieve(opts);
  }

  /** A model to count with when none was named: the loaded one, else the default one. */
  private currentModel(): string | null {
    return this.deps.engine.status.modelPath ?? this.deps.defaultModel();
  }

  /** The context the conversation's answers with this model run at (the conversation's own, else the model's). */
  private async contextSizeOf(modelPath: string, conversationId: string): Promise<number | null> {
    try {
      const model = await this.deps.models.usable(modelPath);
      return resolveContextSize(this.deps.store.conversations.get(conversationId), model.defaults);
    } catch {
      return null;
    }
  }

  private count(conversationId: string, modelPath: string): Promise<void> {
    const key = JSON.stringify([conversationId, modelPath]);
    const running = this.counting.get(key);
    if (running) return running;
    const work = this.countAll(conversationId, modelPath)
      .catch((error: unknown) => {
        // Said once, whoever asked: the list shows why instead of "counting" for ever.
        this.deps.emit({ type: 'documents.count-failed', conversationId, modelPath, message: error instanceof Error ? error.message : String(error) });
        throw error;
      })
      .finally(() => this.counting.delete(key));
    this.counting.set(key, work);
    return work;
  }

  private async countAll(conversationId: string, modelPath: string): Promise<void> {
    const { service, engine, emit } = this.deps;
    const todo = service.list(conversationId).filter((d) => needsCount(d, modelPath));
    if (todo.length === 0) return;
    let counted = 0;
    for (const [i, doc] of todo.entries()) {
      emit({ type: 'document.progress', conversationId, name: doc.name, phase: 'counting', done: i, total: todo.length });
      const text = service.text(doc.id);
      if (text === null) continue; // removed meanwhile
      let tokens: number;
      try {
        [tokens = 0] = await engine.countTokens(modelPath, [text]);
      } catch (error) {
        throw new AppError('failed', `Cannot count the tokens of "${doc.name}" with ${path.basename(modelPath)}: ${(error as Error).message}`);
      }
      if (this.deps.store.documents.setTokenCount(doc.id, tokens, modelPath)) counted++;
    }
    emit({ type: 'document.progress', conversationId, name: todo.at(-1)!.name, phase: 'counting', done: todo.length, total: todo.length });
    if (counted > 0) emit({ type: 'documents.changed', conversationId });
  }

  private assertConversation(conversationId: string): void {
    if (!this.conversationExists(conversationId)) throw new AppError('not_found', 'This conversation no longer exists.');
  }
}

const needsCount = (d: DocumentInfo, modelPath: string) => d.tokenCount === null || d.tokenModel !== modelPath;
