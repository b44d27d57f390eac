// `PUT /api/documents?token=…&conversationId=…&name=…`: a browser cannot hand over a file path, so a
// document dropped on the chat is uploaded. The body streams to a temporary file in the data folder
// (never held in memory; refused beyond the document size limit), then is attached like a path under
// its own name; the temporary file is removed whatever happens. Progress goes out as
// document.progress events ('uploading', then the extraction's phases); documents.cancel stops it.
// What may be uploaded (name, type, conversation, size) is the documents service's rule; this file
// only turns its reasons into HTTP status codes.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { AppError, type DocumentInfo, type DocumentProgress } from '../../app/contract.js';
import { isStorageFull } from '../../app/services/disk.js';
import type { ExtractReason } from '../../app/services/documents/extract/index.js';
import type { UploadRefusal } from '../../app/services/documents/upload-rules.js';
import { declaredLength, receiveBody, refuseJson, refuseUnread, replyJson } from './upload-body.js';

const PROGRESS_EVERY_MS = 200;

/** What an upload needs of the documents service. */
export interface DocumentUploads {
  /** Throws an error with a `reason` (UploadRefusal) when the upload may not start. */
  checkUpload(conversationId: string, name: string, declaredBytes: number | null): void;
  /** The body's byte limit and the error for a body past it (with reason 'too_large'). */
  uploadLimit(name: string): { bytes: number; error(): Error };
  begin(conversationId: string): { signal: AbortSignal; end(): void };
  report(progress: DocumentProgress): void;
  attach(conversationId: string, source: { name: string; path: string }, req: { signal?: AbortSignal; modelPath?: string }): Promise<DocumentInfo>;
}

// Refused before the body is read: the connection closes after the answer, never reused mid-body.
const early = (req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string, allow?: string) =>
  refuseUnread(req, res, status, message, { close: true, allow });

/** The answer to another method than PUT. */
export function refuseDocumentMethod(req: http.IncomingMessage, res: http.ServerResponse): void {
  early(req, res, 405, 'Upload a document with PUT.', 'PUT');
}

/** The answer to each reason an upload is refused or its document cannot be read; other reasons are 422. */
const STATUS_OF: Partial<Record<UploadRefusal | ExtractReason, number>> = {
  bad_name: 400, no_conversation: 404, too_large: 413, unsupported: 415, not_found: 400, cancelled: 409, timeout: 408,
};

const reasonOf = (error: unknown) => (error as { reason?: UploadRefusal | ExtractReason } | null)?.reason;

export async function handleDocumentUpload(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: Pick<URL, 'searchParams'>,
  opts: { documents: DocumentUploads; uploadDir: string },
): Promise<void> {
  const name = url.searchParams.get('name') ?? '';
  const conversationId = url.searchParams.get('conversationId') ?? '';
  const declared = declaredLength(req);
  try {
    opts.documents.checkUpload(conversationId, name, declared);
  } catch (error) {
    const reason = reasonOf(error);
    if (!reason) throw error;
    return early(req, res, STATUS_OF[reason] ?? 400, (error as Error).message);
  }

  const run = opts.documents.begin(conversationId);
  const cancelled = `Adding "${name}" was cancelled.`;
  const temp = path.join(opts.uploadDir, `${randomUUID()}${path.extname(name).toLowerCase()}`);
  try {
    await fs.promises.mkdir(opts.uploadDir, { recursive: true });
    let reported = 0;
    const total = declared ?? 0;
    const received = await receiveBody(req, temp, {
      onBytes(done) {
        const now = Date.now();
        if (now - reported < PROGRESS_EVERY_MS) return;
        reported = now;
        opts.documents.report({ conversationId, name, phase: 'uploading', done, total });
      },
      limit: opts.documents.uploadLimit(name),
      cancel: { signal: run.signal, error: () => new AppError('failed', cancelled) },
      // Bounded by the size limit; the browser then still gets the answer that says why.
      drainOnFailure: true,
    });
    opts.documents.report({ conversationId, name, phase: 'uploading', done: received, total: received });
    const doc = await opts.documents.attach(conversationId, { name, path: temp }, {
      signal: run.signal,
      modelPath: url.searchParams.get('modelPath') || undefined,
    });
    await fs.promises.rm(temp, { force: true });
    replyJson(res, 200, doc);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    const reason = reasonOf(error);
    if (run.signal.aborted) refuseJson(res, 409, cancelled);
    // No room for the upload or for storing what was read from it (also when the worker reports it).
    else if (isStorageFull(error)) refuseJson(res, 507, `Cannot add "${name}": the disk is full. Free some space and try again; nothing was kept.`);
    else if (reason) refuseJson(res, STATUS_OF[reason] ?? 422, (error as Error).message);
    else if (error instanceof AppError) refuseJson(res, 400, error.message);
    else refuseJson(res, 400, `The upload of "${name}" did not complete (${(error as Error).message}); nothing was kept.`);
  } finally {
    run.end();
  }
}
