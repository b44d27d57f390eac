// The document worker (a worker_threads Worker): reads the file, extracts its text, splits it into
// passages and, for an attach, writes them to the database over its own connection, so that no
// part of this work runs on the main thread.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../store/db.js';
import { createDocuments } from '../../store/documents.js';
import { checkSize, extractDocument } from './extract/index.js';
import { ExtractError, extractError } from './extract/errors.js';
import { installRejectionGuard } from './extract/rejections.js';
import type { ExtractProgress } from './extract/types.js';
import { ingest, IngestCancelled } from './ingest.js';
import { splitPassages } from './passages.js';
import type { FromWorker, ToWorker, WorkerJob } from './worker-protocol.js';

installRejectionGuard(); // a library's stray rejection fails the page it came from, not the worker
const job = workerData as WorkerJob;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
let cancelled = false;
port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') cancelled = true;
});
const onProgress = (progress: ExtractProgress) => post({ type: 'progress', progress });

async function main(): Promise<void> {
  const bytes = job.bytes ?? (await readSource(job.name, job.path!, job.maxBytes));
  checkSize(job.name, bytes.byteLength, job.maxBytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const result = await extractDocument({ name: job.name, bytes, onProgress }, job.maxBytes);
  const passages = splitPassages(result.text, result.sections, job.split);
  if (!job.saveTo) {
    post({ type: 'extracted', result, passages, sha256, sizeBytes: bytes.byteLength });
    return;
  }
  const s = job.saveTo;
  // The same settings as the main connection; a background attach waits longer for the write lock.
  const db = openDatabase(s.databaseFile, { nativeBinding: s.nativeBinding, busyTimeoutMs: 10_000 });
  try {
    const documents = createDocuments(db);
    const duplicate = documents.findDuplicate(s.conversationId, sha256);
    if (duplicate) {
      post({ type: 'stored', documentId: duplicate, duplicate: true });
      return;
    }
    post({ type: 'storing' });
    const doc = {
      id: s.documentId, conversationId: s.conversationId, name: job.name, kind: result.kind, mime: result.mime,
      sizeBytes: bytes.byteLength, sha256, text: result.text, pageCount: result.pageCount ?? null, createdAt: s.createdAt,
    };
    const rows = passages.map((p) => ({ ...p, text: result.text.slice(p.start, p.end) }));
    await ingest(db, documents, doc, rows, { onProgress, cancelled: () => cancelled });
    post({ type: 'stored', documentId: s.documentId, duplicate: false });
  } finally {
    db.close();
  }
}

async function readSource(name: string, file: string, maxBytes: number): Promise<Uint8Array> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw extractError('not_found', name, 'it is a folder or a device, not a file');
    checkSize(name, info.size, maxBytes);
    const bytes = await readFile(file);
    onProgress({ phase: 'reading', done: 1, total: 1 });
    return bytes;
  } catch (error) {
    if (error instanceof ExtractError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw extractError('not_found', name, `the file does not exist (${file})`);
    if (code === 'EACCES' || code === 'EPERM') throw extractError('failed', name, 'no permission to read the file');
    if (code === 'EISDIR') throw extractError('not_found', name, 'it is a folder, not a file');
    throw extractError('failed', name, `the file cannot be read (${(error as Error).message})`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ExtractError) post({ type: 'error', reason: error.reason, message: error.message });
  else if (error instanceof IngestCancelled) post({ type: 'error', reason: 'cancelled', message: `Adding "${job.name}" was cancelled.` });
  else if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    post({ type: 'error', reason: 'failed', message: `Cannot add "${job.name}": its conversation was deleted meanwhile.` });
  } else {
    post({ type: 'error', reason: 'failed', message: `Cannot add "${job.name}": ${(error as Error)?.message ?? String(error)}` });
  }
});
