// The documents of conversations, as the contract's documents requests see them: attach (a path, or
// an upload's temporary file) with progress events and cancellation per conversation, the rules an
// upload is checked against before its body is read, list with the context share, exact token
// counts (counting.ts), remove, the citation side panel, retrieval for an answer's prompt, and how
// each answer used the documents. Reading and storing a file runs in a worker (attach.ts).
import path from 'node:path';
import { AppError, type AnswerSources, type AppEvent, type CitedPassage, type DocumentInfo, type DocumentProgress, type PassageView } from '../../contract.js';
import type { Engine } from '../../engine.js';
import type { Store } from '../../store/index.js';
import { resolveContextSize } from '../chat-settings.js';
import type { ModelLibrary } from '../library.js';
import { createAnswerSources, type AnswerSourcesStore } from './answer-sources.js';
import { storeInWorker, type DocumentLimits, type DocumentSource } from './attach.js';
import { DocumentCounter, needsCount } from './counting.js';
import { MAX_DOCUMENT_BYTES, type ProgressFn } from './extract/index.js';
import { removeInSteps } from './ingest.js';
import { retrieve, type Retrieval, type RetrieveOptions } from './retrieve.js';
import type { StateFiles } from './state-files.js';
import { checkUploadName, noConversation, tooLarge, type UploadRefused } from './upload-rules.js';
import { citedPassage, documentsOf, toView } from './views.js';

export interface DocumentsDeps extends DocumentLimits {
  store: Store;
  engine: Pick<Engine, 'countTokens' | 'status'>;
  models: Pick<ModelLibrary, 'usable'>;
  states: Pick<StateFiles, 'invalidate'>;
  /** The app's default model (settings), for counting when no model was named. */
  defaultModel(): string | null;
  emit(event: AppEvent): void;
}

export interface AttachRequest {
  modelPath?: string;
  signal?: AbortSignal;
  /** The caller's own progress listener; the document.progress events go out as well. */
  onProgress?: ProgressFn;
}

/** Retrieval for an answer: the passages are counted with `modelPath`'s tokenizer. */
export type RetrieveRequest = Omit<RetrieveOptions, 'countTokens'> & { modelPath: string };

export class DocumentsController {
  readonly answers: AnswerSourcesStore;
  private readonly active = new Map<string, Set<AbortController>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly closing = new AbortController();
  private readonly counter: DocumentCounter;

  constructor(private readonly deps: DocumentsDeps) {
    this.answers = createAnswerSources(deps.store.db);
    this.counter = new DocumentCounter(deps);
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
    const { store, emit, states } = this.deps;
    const name = typeof source === 'string' ? path.basename(source) : source.name;
    const run = this.begin(conversationId, req.signal);
    try {
      const doc = await this.track(storeInWorker(store, conversationId, source, this.deps, {
        signal: run.signal,
        closing: this.closing.signal,
        onProgress: (p) => {
          emit({ type: 'document.progress', conversationId, name, ...p });
          req.onProgress?.(p);
        },
      }));
      await states.invalidate(conversationId);
      emit({ type: 'documents.changed', conversationId });
      const model = req.modelPath ?? this.currentModel();
      if (model) void this.counter.count(conversationId, model).catch(() => {}); // the list shows "counting" meanwhile
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

  /**
   * Checks an upload before its body is read: a plain file name, a supported type, an existing
   * conversation and, when the client declared it, a size within the limit. Throws UploadRefused.
   */
  checkUpload(conversationId: string, name: string, declaredBytes: number | null): void {
    checkUploadName(name);
    if (!conversationId || !this.conversationExists(conversationId)) throw noConversation(name);
    const limit = this.uploadLimit(name);
    if (declaredBytes !== null && declaredBytes > limit.bytes) throw limit.error();
  }

  /** The most bytes an upload's body may have, and the error for one that streams past it. */
  uploadLimit(name: string): { bytes: number; error(): UploadRefused } {
    const bytes = this.deps.maxBytes ?? MAX_DOCUMENT_BYTES;
    return { bytes, error: () => tooLarge(name, bytes) };
  }

  /** The conversation's documents with the context they are measured against; counts them again for another model. */
  async list(conversationId: string, modelPath?: string): Promise<DocumentInfo[]> {
    this.assertConversation(conversationId);
    const docs = documentsOf(this.deps.store.documents, conversationId);
    const model = modelPath ?? this.currentModel();
    const contextSize = model ? await this.contextSizeOf(model, conversationId) : null;
    if (model && docs.some((d) => needsCount(d, model))) void this.counter.count(conversationId, model).catch(() => {});
    return docs.map((d) => ({ ...d, contextSize }));
  }

  /** Counts (with `modelPath`'s tokenizer) every document not counted with it yet; resolves with all of them counted. */
  async ensureCounted(conversationId: string, modelPath: string): Promise<DocumentInfo[]> {
    await this.counter.count(conversationId, modelPath);
    return documentsOf(this.deps.store.documents, conversationId);
  }

  /** Removes a document in small steps (it disappears from list() at once); false when there was none. */
  async remove(id: string): Promise<boolean> {
    const doc = this.deps.store.documents.get(id);
    const removed = await this.removeRows(id);
    if (removed && doc) {
      await this.deps.states.invalidate(doc.conversationId);
      this.deps.emit({ type: 'documents.changed', conversationId: doc.conversationId });
    }
    return removed;
  }

  /** Removes documents left half-written or half-removed by a crash; returns how many. */
  async recover(): Promise<number> {
    let n = 0;
    for (const id of this.deps.store.documents.unfinished()) if (await this.removeRows(id)) n++;
    return n;
  }

  /** A cited passage with the passages around it, for the citation side panel. */
  passage(id: number): CitedPassage {
    const cited = citedPassage(this.deps.store.documents, id);
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
  passagesOf(documentId: string): PassageView[] {
    return this.deps.store.documents.passagesOf(documentId).map(toView);
  }

  /** The passages that best match the question within the budget, all counted in one engine call. */
  retrieve(req: RetrieveRequest): Promise<Retrieval> {
    const { engine, store } = this.deps;
    return retrieve(store.documents, { ...req, countTokens: (texts) => engine.countTokens(req.modelPath, texts) });
  }

  /** Cancels the attaches in progress (their partial rows are removed) and waits for them: call before closing the store. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.idle();
  }

  /** Resolves when every attach and removal in progress has ended (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private removeRows(id: string): Promise<boolean> {
    return this.track(removeInSteps(this.deps.store.documents, id));
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
    return work;
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

  private conversationExists(conversationId: string): boolean {
    return this.deps.store.conversations.get(conversationId) !== null;
  }

  private assertConversation(conversationId: string): void {
    if (!this.conversationExists(conversationId)) throw new AppError('not_found', 'This conversation no longer exists.');
  }
}
