// Downloads of models into the library: start (hf: URIs or http(s) URLs), pause, resume (also after
// a restart of the app), cancel, several at once. Bytes go to a hidden temporary file in the models
// folder; only a complete, verified file (size, SHA-256 when given, GGUF header) is moved to its
// name, atomically, and registered as a 'downloaded' model.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, type AppEvent, type Download } from '../../contract.js';
import type { DownloadPatch, DownloadRecord, Downloads } from '../../store/index.js';
import { exists, freeBytes } from '../disk.js';
import type { ModelLibrary } from '../library.js';
import { diskFullError, reasonOf, TransferError } from './errors.js';
import { SpeedMeter } from './meter.js';
import { transfer } from './transfer.js';
import { DEFAULT_HF_BASE, resolveSource } from './uri.js';
import { hashPrefix, verifyDownload } from './verify.js';

export interface DownloadServiceOptions {
  store: { downloads: Downloads };
  library: Pick<ModelLibrary, 'folder' | 'place'>;
  emit(event: AppEvent): void;
  /** Where hf: URIs point (default $QWEN2_DESK_HF_BASE, else https://huggingface.co). */
  hfBase?: string;
  /** No byte for this long pauses the download with an error (default 30 s). */
  stallMs?: number;
  /** Progress events at most this often per download (default 250 ms). */
  progressIntervalMs?: number;
}

interface Job {
  ctl: AbortController;
  stop: 'pause' | 'cancel' | 'close' | null;
  meter: SpeedMeter;
  received: number;
  lastEmit: number;
  done: Promise<void>;
}

const ACTIVE = new Set(['queued', 'downloading', 'paused', 'verifying']);
export const INTERRUPTED = 'interrupted when Qwen2 Desk stopped; resume to continue';
/** Notes saved while a download runs (a restart from 0) are not failures. */
const NOTE = /restarted from 0$/;

export class DownloadService {
  private readonly jobs = new Map<string, Job>();
  private readonly hfBase: string;
  private readonly stallMs: number;
  private readonly interval: number;

  constructor(private readonly opts: DownloadServiceOptions) {
    this.hfBase = opts.hfBase ?? process.env.QWEN2_DESK_HF_BASE ?? DEFAULT_HF_BASE;
    this.stallMs = opts.stallMs ?? 30_000;
    this.interval = opts.progressIntervalMs ?? 250;
    // Downloads cut off when the app last stopped can be resumed from their bytes on disk.
    opts.store.downloads.markActiveAsPaused(INTERRUPTED);
  }

  list(): Download[] {
    return this.opts.store.downloads.list().map((r) => this.toDownload(r));
  }

  get(id: string): Download {
    return this.toDownload(this.row(id));
  }

  /** Starts a download; the same URI while one is unfinished resumes that one instead. */
  async start(uri: string, sha256?: string): Promise<Download> {
    const { url, fileName } = resolveSource(uri, this.hfBase);
    const folder = this.opts.library.folder();
    await fs.mkdir(folder, { recursive: true });
    const destPath = path.join(folder, fileName);
    // Starting a file again continues its unfinished download, or retries its failed one from the same URL.
    const same = this.opts.store.downloads.list().find((r) => r.destPath === destPath && (ACTIVE.has(r.state) || (r.state === 'failed' && r.url === url)));
    if (same) {
      if (same.url !== url) throw new AppError('busy', `${fileName} is already being downloaded (from ${same.uri}).`);
      if (sha256 && same.sha256 && same.sha256 !== sha256 && same.state === 'failed') this.opts.store.downloads.update(same.id, { sha256 });
      else if (sha256 && same.sha256 && same.sha256 !== sha256) {
        throw new AppError('invalid_request', `${fileName} is already being downloaded with another SHA-256 (${same.sha256}); cancel it first.`);
      }
      // A checksum given on resume still covers every byte: the bytes on disk are hashed again first.
      if (sha256 && !same.sha256) this.opts.store.downloads.update(same.id, { sha256 });
      return this.resume(same.id);
    }
    if (await exists(destPath)) throw new AppError('failed', `${fileName} is already in the models folder (${folder}).`);
    const id = randomUUID();
    const tempPath = path.join(folder, `.${fileName}.${id.slice(0, 8)}.part`);
    this.opts.store.downloads.insert({ id, uri, url, fileName, destPath, tempPath, sha256: sha256 ?? null });
    this.launch(id);
    return this.get(id);
  }

  resume(id: string): Download {
    const row = this.row(id);
    if (this.jobs.has(id)) return this.toDownload(row);
    if (row.state === 'done') throw new AppError('invalid_request', `The download of ${row.fileName} is already finished.`);
    if (row.state === 'cancelled') throw new AppError('invalid_request', `The download of ${row.fileName} was cancelled; start it again.`);
    this.launch(id);
    return this.get(id);
  }

  async pause(id: string): Promise<Download> {
    const row = this.row(id);
    const job = this.jobs.get(id);
    if (job) {
      job.stop ??= 'pause';
      job.ctl.abort();
      await job.done;
      return this.get(id);
    }
    if (row.state === 'paused') return this.toDownload(row);
    throw new AppError('invalid_request', `The download of ${row.fileName} is ${row.state}; only a running download can be paused.`);
  }

  /** Stops the download and removes its partial file. */
  async cancel(id: string): Promise<Download> {
    const row = this.row(id);
    const job = this.jobs.get(id);
    if (job) {
      job.stop = 'cancel';
      job.ctl.abort();
      await job.done;
      return this.get(id);
    }
    if (row.state === 'done') throw new AppError('invalid_request', `The download of ${row.fileName} is finished; delete the model instead.`);
    if (row.state !== 'cancelled') {
      await fs.rm(row.tempPath, { force: true });
      this.set(id, { state: 'cancelled', error: null, receivedBytes: 0 });
    }
    return this.get(id);
  }

  /** Pauses every running download (they resume from their bytes on disk later). */
  async close(): Promise<void> {
    for (const job of this.jobs.values()) {
      job.stop ??= 'close';
      job.ctl.abort();
    }
    await this.idle();
  }

  /** Resolves when no download is running. */
  async idle(): Promise<void> {
    while (this.jobs.size) await Promise.all([...this.jobs.values()].map((j) => j.done));
  }

  private launch(id: string): void {
    const received = this.opts.store.downloads.get(id)?.receivedBytes ?? 0;
    const job: Job = { ctl: new AbortController(), stop: null, meter: new SpeedMeter(), received, lastEmit: 0, done: Promise.resolve() };
    this.jobs.set(id, job);
    job.done = this.run(id, job).finally(() => {
      if (this.jobs.get(id) === job) this.jobs.delete(id);
    });
  }

  private async run(id: string, job: Job): Promise<void> {
    let row = this.set(id, { state: 'downloading', error: null });
    try {
      const offset = (await fs.stat(row.tempPath).catch(() => null))?.size ?? 0;
      job.received = offset;
      const result = await transfer({
        url: row.url,
        tempPath: row.tempPath,
        offset,
        validator: row.etag,
        expectedTotal: row.totalBytes,
        hash: row.sha256 ? await hashPrefix(row.tempPath, offset) : null,
        stallMs: this.stallMs,
        signal: job.ctl.signal,
        beforeWrite: async (s) => {
          const free = s.total !== null ? await freeBytes(path.dirname(row.tempPath)) : null;
          const need = s.total !== null ? s.total - s.offset : 0;
          if (free !== null && free < need) throw diskFullError(need - free);
          job.received = s.offset;
          job.meter.reset();
          row = this.set(id, { totalBytes: s.total, etag: s.validator, receivedBytes: s.offset, error: s.note });
        },
        onProgress: (n) => this.progress(id, job, n),
      });
      job.received = result.received;
      row = this.set(id, { state: 'verifying', receivedBytes: result.received, totalBytes: result.total });
      const problem = await verifyDownload({ tempPath: row.tempPath, fileName: row.fileName, total: result.total, sha256: row.sha256, hash: result.hash });
      if (problem) throw new TransferError('fatal', problem);
      const model = await this.opts.library.place(row.tempPath, row.fileName, 'downloaded');
      this.end(id, { state: 'done', error: null, modelId: model.id });
    } catch (error) {
      await this.settle(row, job, error);
    }
  }

  private async settle(row: DownloadRecord, job: Job, error: unknown): Promise<void> {
    const onDisk = async () => (await fs.stat(row.tempPath).catch(() => null))?.size ?? 0;
    if (job.stop === 'cancel') {
      await fs.rm(row.tempPath, { force: true });
      this.end(row.id, { state: 'cancelled', error: null, receivedBytes: 0 });
    } else if (job.stop !== null) {
      this.end(row.id, { state: 'paused', error: null, receivedBytes: await onDisk() });
    } else if (error instanceof TransferError && error.kind === 'retryable') {
      // Failed, not paused: it says why, and a retry continues from the bytes kept on disk.
      this.end(row.id, { state: 'failed', error: error.message, receivedBytes: await onDisk() });
    } else {
      await fs.rm(row.tempPath, { force: true });
      this.end(row.id, { state: 'failed', error: (error as Error)?.message ?? String(error), receivedBytes: 0 });
    }
  }

  /** The job's last word: it leaves the running set first, so a resume right after this event starts anew. */
  private end(id: string, patch: DownloadPatch): void {
    this.jobs.delete(id);
    this.set(id, patch);
  }

  private progress(id: string, job: Job, received: number): void {
    job.received = received;
    const now = Date.now();
    job.meter.add(received, now);
    if (now - job.lastEmit < this.interval) return;
    this.set(id, { receivedBytes: received });
  }

  /** Saves a change and tells the renderer. */
  private set(id: string, patch: DownloadPatch): DownloadRecord {
    const row = this.opts.store.downloads.update(id, patch);
    if (!row) throw new AppError('not_found', `There is no download with id "${id}".`);
    const job = this.jobs.get(id);
    if (job) job.lastEmit = Date.now();
    this.opts.emit({ type: 'download.updated', download: this.toDownload(row) });
    return row;
  }

  private row(id: string): DownloadRecord {
    const row = this.opts.store.downloads.get(id);
    if (!row) throw new AppError('not_found', `There is no download with id "${id}".`);
    return row;
  }

  private toDownload(r: DownloadRecord): Download {
    const job = this.jobs.get(r.id);
    const live = job !== undefined && r.state === 'downloading';
    return {
      id: r.id,
      uri: r.uri,
      fileName: r.fileName,
      state: r.state,
      receivedBytes: live ? job.received : r.receivedBytes,
      totalBytes: r.totalBytes,
      bytesPerSecond: live ? job.meter.bytesPerSecond() : 0,
      etaSeconds: live ? job.meter.etaSeconds(job.received, r.totalBytes) : null,
      error: r.error,
      reason: r.error && !NOTE.test(r.error) ? reasonOf(r.error) : null,
      sha256: r.sha256,
      modelId: r.modelId,
      createdAt: r.createdAt,
    };
  }
}
