// Adding a file to a conversation: checked (type, size) before anything is read, then extracted,
// split and stored by the worker off the main thread; a file can also be extracted without storing.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../contract.js';
import type { Store } from '../../store/index.js';
import { checkSize, formatOf, MAX_DOCUMENT_BYTES, type Extracted, type ProgressFn } from './extract/index.js';
import { extractError } from './extract/errors.js';
import { removeInSteps } from './ingest.js';
import type { PassageSpan, SplitOptions } from './passages.js';
import type { DocumentInfo } from './types.js';
import { readyDocument } from './views.js';
import { runWorker, type RunOptions } from './worker-client.js';

/** A path (its file name is the document's name), bytes, or a file under another name (an upload's temporary file). */
export type DocumentSource = string | { name: string; bytes: Uint8Array } | { name: string; path: string };

/** How documents are read and stored. */
export interface DocumentLimits {
  /** better_sqlite3.node for Electron's ABI (the worker opens its own connection). */
  nativeBinding?: string;
  /** Time limit on reading and extracting one file; default 5 minutes. */
  timeoutMs?: number;
  /** The largest file (and upload) accepted; default MAX_DOCUMENT_BYTES. */
  maxBytes?: number;
  split?: SplitOptions;
}

export interface StoreRequest {
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  /** Aborted when the app closes: nothing new starts, and what runs is cancelled. */
  closing: AbortSignal;
}

/** Extracts, splits and indexes a file in the worker; the same file twice gives the first one back. */
export async function storeInWorker(store: Store, conversationId: string, source: DocumentSource, limits: DocumentLimits, req: StoreRequest): Promise<DocumentInfo> {
  if (!store.conversations.get(conversationId)) throw new AppError('not_found', 'This conversation no longer exists.');
  const maxBytes = limits.maxBytes ?? MAX_DOCUMENT_BYTES;
  const { name, file } = sourceOf(source);
  await checkSource(name, file, maxBytes);

  const documentId = randomUUID();
  const job = {
    name,
    ...file,
    maxBytes,
    split: limits.split,
    saveTo: { databaseFile: store.db.name, nativeBinding: limits.nativeBinding, documentId, conversationId, createdAt: Date.now() },
  };
  if (req.closing.aborted) throw new AppError('failed', 'Qwen2 Desk is closing: the document was not added.');
  const signal = req.signal ? AbortSignal.any([req.signal, req.closing]) : req.closing;
  try {
    const outcome = await runWorker(job, { onProgress: req.onProgress, signal, timeoutMs: limits.timeoutMs });
    const stored = outcome.type === 'stored' ? readyDocument(store.documents, outcome.documentId) : null;
    if (!stored) {
      // The conversation was deleted after the worker had finished writing: the same answer as when
      // the worker itself notices the deletion first.
      if (!store.conversations.get(conversationId)) throw new AppError('failed', `Cannot add "${name}": its conversation was deleted meanwhile.`);
      throw new AppError('failed', `Cannot add "${name}": it was stored but cannot be found.`);
    }
    return stored;
  } catch (error) {
    // A worker stopped while writing leaves an invisible 'indexing' document behind: remove it.
    if (store.db.open && store.documents.get(documentId)) await removeInSteps(store.documents, documentId);
    throw error;
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
