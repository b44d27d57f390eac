// Documents of a conversation: attach (extracted, split and indexed in a worker), list, remove,
// passages for the citation panel, retrieval, and the rules an upload is checked against before its
// body is read. Planning and prompt building are pure (plan.ts, prompt.ts).
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../contract.js';
import type { DocumentRecord, PassageRecord, Store } from '../../store/index.js';
import { checkSize, formatOf, MAX_DOCUMENT_BYTES, type Extracted, type ProgressFn } from './extract/index.js';
import { extractError, formatMB } from './extract/errors.js';
import { removeInSteps } from './ingest.js';
import type { PassageSpan, SplitOptions } from './passages.js';
import { retrieve, type Retrieval, type RetrieveOptions } from './retrieve.js';
import type { CitedPassage, DocumentInfo, DocumentKind, PassageView } from './types.js';
import { runWorker, type RunOptions } from './worker-client.js';

/** A path (its file name is the document's name), bytes, or a file under another name (an upload's temporary file). */
export type DocumentSource = string | { name: string; bytes: Uint8Array } | { name: string; path: string };

/** The name, and the job's source fields, of a source. */
function sourceOf(source: DocumentSource): { name: string; file: { path: string } | { bytes: Uint8Array } } {
  if (typeof source === 'string') return { name: path.basename(source), file: { path: source } };
  return 'path' in source ? { name: source.name, file: { path: source.path } } : { name: source.name, file: { bytes: source.bytes } };
}

async function checkSource(name: string, file: { path: string } | { bytes: Uint8Array }, maxBytes: number): Promise<void> {
  formatOf(name); // an unsupported type is refused before anything is read
  if ('path' in file) await checkFile(name, file.path, maxBytes);
  else checkSize(name, file.bytes.byteLength, maxBytes);
}

/** Why an upload is refused: its name, its type, its conversation, or its size. */
export type UploadRefusal = 'bad_name' | 'unsupported' | 'no_conversation' | 'too_large';

/** An upload refused by the documents' rules; `reason` tells the host which answer to give. */
export class UploadRefused extends AppError {
  constructor(
    readonly reason: UploadRefusal,
    message: string,
  ) {
    super(reason === 'no_conversation' ? 'not_found' : 'invalid_request', message);
    this.name = 'UploadRefused';
  }
}

/** Why a name cannot be a document's name, or null. */
function nameProblem(name: string): string | null {
  if (!name.trim()) return 'the file has no name';
  if (name.length > 255) return 'the file name is longer than 255 characters';
  if (/[/\\\0]/.test(name) || name === '.' || name === '..') return 'the file name may not contain a path';
  return null;
}

export interface DocumentServiceOptions {
  /** better_sqlite3.node for Electron's ABI (the worker opens its own connection). */
  nativeBinding?: string;
  /** Time limit on reading and extracting one file; default 5 minutes. */
  timeoutMs?: number;
  maxBytes?: number;
  split?: SplitOptions;
}

export interface AttachOptions {
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

export class DocumentService {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly closing = new AbortController();

  constructor(
    private readonly store: Store,
    private readonly opts: DocumentServiceOptions = {},
  ) {}

  /** Extracts, splits and indexes a file off the main thread; the same file twice gives the first one back. */
  async attach(conversationId: string, source: DocumentSource, opts: AttachOptions = {}): Promise<DocumentInfo> {
    if (!this.store.conversations.get(conversationId)) throw new AppError('not_found', 'This conversation no longer exists.');
    const maxBytes = this.opts.maxBytes ?? MAX_DOCUMENT_BYTES;
    const { name, file } = sourceOf(source);
    await checkSource(name, file, maxBytes);

    const documentId = randomUUID();
    const job = {
      name,
      ...file,
      maxBytes,
      split: this.opts.split,
      store: { databaseFile: this.store.db.name, nativeBinding: this.opts.nativeBinding, documentId, conversationId, createdAt: Date.now() },
    };
    if (this.closing.signal.aborted) throw new AppError('failed', 'Qwen2 Desk is closing: the document was not added.');
    const signal = opts.signal ? AbortSignal.any([opts.signal, this.closing.signal]) : this.closing.signal;
    const run = runWorker(job, this.runOptions({ ...opts, signal }));
    this.track(run);
    try {
      const outcome = await run;
      const stored = outcome.type === 'stored' ? this.get(outcome.documentId) : null;
      if (!stored) {
        // The conversation was deleted after the worker had finished writing: the same answer as when
        // the worker itself notices the deletion first.
        if (!this.store.conversations.get(conversationId)) throw new AppError('failed', `Cannot add "${name}": its conversation was deleted meanwhile.`);
        throw new AppError('failed', `Cannot add "${name}": it was stored but cannot be found.`);
      }
      return stored;
    } catch (error) {
      // A worker stopped while writing leaves an invisible 'indexing' document behind: remove it.
      if (this.store.db.open && this.store.documents.get(documentId)) await this.track(removeInSteps(this.store.documents, documentId));
      throw error;
    }
  }

  /**
   * Checks an upload before its body is read: a plain file name, a supported type, an existing
   * conversation and, when the client declared it, a size within the limit. Throws UploadRefused.
   */
  checkUpload(conversationId: string, name: string, declaredBytes: number | null): void {
    const problem = nameProblem(name);
    if (problem) throw new UploadRefused('bad_name', `Cannot add the document: ${problem}.`);
    try {
      formatOf(name);
    } catch (error) {
      throw new UploadRefused('unsupported', (error as Error).message);
    }
    if (!conversationId || !this.store.conversations.get(conversationId)) {
      throw new UploadRefused('no_conversation', `Cannot add "${name}": the conversation does not exist (any more).`);
    }
    const limit = this.uploadLimit(name);
    if (declaredBytes !== null && declaredBytes > limit.bytes) throw limit.error();
  }

  /** The most bytes an upload's body may have, and the error for one that streams past it. */
  uploadLimit(name: string): { bytes: number; error(): UploadRefused } {
    const bytes = this.opts.maxBytes ?? MAX_DOCUMENT_BYTES;
    return { bytes, error: () => new UploadRefused('too_large', `Cannot add "${name}": it is too large; the limit is ${formatMB(bytes)}.`) };
  }

  list(conversationId: string): DocumentInfo[] {
    return this.store.documents.list(conversationId).map(toInfo);
  }

  get(documentId: string): DocumentInfo | null {
    const record = this.store.documents.get(documentId);
    return record && record.status === 'ready' ? toInfo(record) : null;
  }

  /** Removes a document in small steps (it disappears from list() at once); false when there was none. */
  remove(documentId: string): Promise<boolean> {
    return this.track(removeInSteps(this.store.documents, documentId));
  }

  /** Removes documents left half-written or half-removed by a crash; returns how many. */
  async recover(): Promise<number> {
    let n = 0;
    for (const id of this.store.documents.unfinished()) if (await this.remove(id)) n++;
    return n;
  }

  /** A cited passage with the passages around it, for the citation side panel; null when it is gone. */
  cited(id: number): CitedPassage | null {
    const p = this.store.documents.passage(id);
    if (!p) return null;
    const before = this.store.documents.passageAt(p.documentId, p.seq - 1)?.text;
    const after = this.store.documents.passageAt(p.documentId, p.seq + 1)?.text;
    const head = before ? `${before}\n\n` : '';
    const text = `${head}${p.text}${after ? `\n\n${after}` : ''}`;
    return { passage: toView(p), text, highlight: { start: head.length, end: head.length + p.text.length } };
  }

  /** All passages of a document in order: the whole document, for full-document mode. */
  passages(documentId: string): PassageView[] {
    return this.store.documents.passagesOf(documentId).map(toView);
  }

  /** The full extracted text (for the engine to count its tokens). */
  text(documentId: string): string | null {
    return this.store.documents.text(documentId);
  }

  retrieve(opts: RetrieveOptions): Promise<Retrieval> {
    return retrieve(this.store.documents, opts);
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

  private runOptions(opts: AttachOptions): RunOptions {
    return { onProgress: opts.onProgress, signal: opts.signal, timeoutMs: this.opts.timeoutMs };
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
    return work;
  }
}

/** Extracts and splits a file in the worker without storing it. */
export async function extractInWorker(
  source: DocumentSource,
  opts: RunOptions & { maxBytes?: number; split?: SplitOptions } = {},
): Promise<{ extracted: Extracted; passages: PassageSpan[]; sha256: string }> {
  const maxBytes = opts.maxBytes ?? MAX_DOCUMENT_BYTES;
  const { name, file } = sourceOf(source);
  await checkSource(name, file, maxBytes);
  const job = { name, ...file, maxBytes, split: opts.split };
  const outcome = await runWorker(job, opts);
  if (outcome.type !== 'extracted') throw new AppError('failed', `Cannot read "${name}": unexpected answer from the document reader.`);
  return { extracted: outcome.result, passages: outcome.passages, sha256: outcome.sha256 };
}

/** Refuses a missing file, a folder, or one over the limit, before any of it is read. */
async function checkFile(name: string, file: string, maxBytes: number): Promise<void> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw extractError('not_found', name, 'it is a folder or a device, not a file');
    size = info.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw extractError('not_found', name, `the file cannot be found or opened (${(error as Error).message})`);
  }
  checkSize(name, size, maxBytes);
}

const toInfo = (r: DocumentRecord): DocumentInfo => ({
  id: r.id, conversationId: r.conversationId, name: r.name, kind: r.kind as DocumentKind, mime: r.mime,
  sizeBytes: r.sizeBytes, sha256: r.sha256, chars: r.chars, pageCount: r.pageCount, passageCount: r.passageCount,
  tokenCount: r.tokenCount, tokenModel: r.tokenModel, createdAt: r.createdAt,
});

const toView = (p: PassageRecord): PassageView => ({
  id: p.id, documentId: p.documentId, documentName: p.documentName, seq: p.seq,
  page: p.page, heading: p.heading, start: p.start, end: p.end, text: p.text,
});
