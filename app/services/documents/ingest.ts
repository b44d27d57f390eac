// Writes a document and its passages (the full-text index follows by trigger) in short
// transactions, so that indexing a large document never holds the database for long: the document
// stays 'indexing', invisible, until the last step marks it 'ready'. Removal runs the same way.
// Indexing costs about 1-8 s per 10 M characters, so this runs in the extraction worker.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import type { Documents, NewDocument, NewPassage } from '../../store/index.js';
import type { ProgressFn } from './extract/types.js';

/** How long one write transaction may run before it commits and lets others in. */
export const SLICE_MS = 50;
const DELETE_STEP = 500;

export interface IngestOptions {
  onProgress?: ProgressFn;
  /** Checked between steps: true stops, removes what was written and throws. */
  cancelled?: () => boolean;
}

export class IngestCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export async function ingest(db: Database, documents: Documents, doc: NewDocument, passages: readonly NewPassage[], opts: IngestOptions = {}): Promise<void> {
  documents.insert(doc);
  try {
    let i = 0;
    const step = db.transaction(() => {
      const started = performance.now();
      while (i < passages.length && performance.now() - started < SLICE_MS) {
        documents.insertPassages(doc.id, [passages[i]!]);
        i++;
      }
    });
    while (i < passages.length) {
      step.immediate();
      opts.onProgress?.({ phase: 'indexing', done: i, total: passages.length });
      await nextTurn(); // lets a cancel message (and other connections) in
      if (opts.cancelled?.()) throw new IngestCancelled();
    }
    documents.markReady(doc.id);
  } catch (error) {
    try {
      await removeInSteps(documents, doc.id);
    } catch {
      // the database itself failed: the document stays 'indexing' and recover() removes it later
    }
    throw error;
  }
}

/** Hides the document at once, then deletes its passages in small steps; false when there was none. */
export async function removeInSteps(documents: Documents, documentId: string): Promise<boolean> {
  if (!documents.markDeleting(documentId)) return false;
  while (documents.deleteSomePassages(documentId, DELETE_STEP) > 0) await nextTurn();
  documents.deleteDocument(documentId);
  return true;
}
