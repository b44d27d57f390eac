// `PUT /api/documents?token=…&conversationId=…&name=…`: a browser cannot hand over a file path, so a
// document dropped on the chat is uploaded. The body streams to a temporary file in the data folder
// (never held in memory; refused beyond the document size limit), then is attached like a path under
// its own name; the temporary file is removed whatever happens. Progress goes out as
// document.progress events ('uploading', then the extraction's phases); documents.cancel stops it.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../app/contract.js';
import type { DocumentsController } from '../../app/services/documents/controller.js';
import { isStorageFull } from '../../app/services/disk.js';
import { MAX_DOCUMENT_BYTES } from '../../app/services/documents/extract/index.js';
import { formatMB, type ExtractError } from '../../app/services/documents/extract/errors.js';
import { formatOf } from '../../app/services/documents/extract/formats.js';

const PROGRESS_EVERY_MS = 200;

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

const refuse = (res: http.ServerResponse, status: number, message: string) => reply(res, status, { error: { message } });

/** Why a name cannot be a document's name, or null. */
function nameProblem(name: string): string | null {
  if (!name.trim()) return 'the file has no name';
  if (name.length > 255) return 'the file name is longer than 255 characters';
  if (/[/\\\0]/.test(name) || name === '.' || name === '..') return 'the file name may not contain a path';
  return null;
}

const STATUS_OF: Partial<Record<ExtractError['reason'], number>> = {
  too_large: 413, unsupported: 415, not_found: 400, cancelled: 409, timeout: 408,
};

export async function handleDocumentUpload(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: Pick<URL, 'searchParams'>,
  opts: { documents: DocumentsController; uploadDir: string; maxBytes?: number },
): Promise<void> {
  // Refused before the body is read: the connection closes after the answer, never reused mid-body.
  const early = (status: number, message: string) => {
    res.setHeader('connection', 'close');
    req.resume();
    refuse(res, status, message);
  };
  if (req.method !== 'PUT') {
    res.setHeader('allow', 'PUT');
    return early(405, 'Upload a document with PUT.');
  }
  const name = url.searchParams.get('name') ?? '';
  const conversationId = url.searchParams.get('conversationId') ?? '';
  const problem = nameProblem(name);
  if (problem) return early(400, `Cannot add the document: ${problem}.`);
  try {
    formatOf(name);
  } catch (error) {
    return early(415, (error as Error).message);
  }
  if (!conversationId || !opts.documents.conversationExists(conversationId)) {
    return early(404, `Cannot add "${name}": the conversation does not exist (any more).`);
  }
  const maxBytes = opts.maxBytes ?? MAX_DOCUMENT_BYTES;
  const declared = Number(req.headers['content-length'] ?? NaN);
  const tooLarge = `Cannot add "${name}": it is too large; the limit is ${formatMB(maxBytes)}.`;
  if (Number.isFinite(declared) && declared > maxBytes) return early(413, tooLarge);

  const run = opts.documents.begin(conversationId);
  const cancelled = `Adding "${name}" was cancelled.`;
  const temp = path.join(opts.uploadDir, `${randomUUID()}${path.extname(name).toLowerCase()}`);
  try {
    await fs.promises.mkdir(opts.uploadDir, { recursive: true });
    let received = 0;
    let reported = 0;
    const total = Number.isFinite(declared) ? declared : 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        if (received > maxBytes) return done(new AppError('invalid_request', tooLarge));
        const now = Date.now();
        if (now - reported >= PROGRESS_EVERY_MS) {
          reported = now;
          opts.documents.report({ conversationId, name, phase: 'uploading', done: received, total });
        }
        done(null, chunk);
      },
    });
    // The request is not part of the pipeline: when writing stops (cancelled, too large), the rest of
    // the body is drained so that the browser still gets the answer that says why.
    const written = pipeline(meter, fs.createWriteStream(temp, { flags: 'wx' }));
    const onAbort = () => meter.destroy(new AppError('failed', cancelled));
    run.signal.addEventListener('abort', onAbort, { once: true });
    req.on('close', () => !req.complete && meter.destroy(new Error('the connection was closed')));
    req.pipe(meter);
    try {
      await written;
    } finally {
      run.signal.removeEventListener('abort', onAbort);
      req.unpipe(meter);
      req.resume();
    }
    opts.documents.report({ conversationId, name, phase: 'uploading', done: received, total: received });
    const doc = await opts.documents.attach(conversationId, { name, path: temp }, {
      signal: run.signal,
      modelPath: url.searchParams.get('modelPath') || undefined,
    });
    await fs.promises.rm(temp, { force: true });
    reply(res, 200, doc);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    const reason = (error as Partial<ExtractError>).reason;
    if (run.signal.aborted) refuse(res, 409, cancelled);
    // No room for the upload or for storing what was read from it (also when the worker reports it).
    else if (isStorageFull(error)) refuse(res, 507, `Cannot add "${name}": the disk is full. Free some space and try again; nothing was kept.`);
    else if (reason) refuse(res, STATUS_OF[reason] ?? 422, (error as Error).message);
    else if (error instanceof AppError) refuse(res, error.message === tooLarge ? 413 : 400, error.message);
    else refuse(res, 400, `The upload of "${name}" did not complete (${(error as Error).message}); nothing was kept.`);
  } finally {
    run.end();
  }
}
