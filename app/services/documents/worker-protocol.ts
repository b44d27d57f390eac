// Messages between the document worker (extract-worker.ts) and the main thread (worker-client.ts).
import type { ExtractReason } from './extract/errors.js';
import type { Extracted, ExtractProgress } from './extract/types.js';
import type { PassageSpan, SplitOptions } from './passages.js';

export interface WorkerJob {
  name: string;
  /** One of path (read in the worker) and bytes. */
  path?: string;
  bytes?: Uint8Array;
  maxBytes: number;
  split?: SplitOptions;
  /** Present: store the document too, in this database (attach); absent: only extract and split. */
  saveTo?: {
    databaseFile: string;
    nativeBinding?: string;
    documentId: string;
    conversationId: string;
    createdAt: number;
  };
}

export type ToWorker = { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; progress: ExtractProgress }
  /** Extraction is over; writing to the database begins (the time limit no longer applies). */
  | { type: 'storing' }
  | { type: 'extracted'; result: Extracted; passages: PassageSpan[]; sha256: string; sizeBytes: number }
  | { type: 'stored'; documentId: string; duplicate: boolean }
  | { type: 'error'; reason: ExtractReason; message: string };
