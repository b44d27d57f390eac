// Downloads of model files into the library: progress, pause, resume, cancel.
import { z } from 'zod';
import { Id, NoParams } from './common.js';
import { method, returns } from './method.js';

export type DownloadFailureReason =
  | 'host-not-found' | 'connection-refused' | 'timed-out' | 'connection-lost' | 'network' | 'not-found' | 'needs-access'
  | 'http' | 'checksum' | 'disk-full' | 'not-gguf' | 'size-mismatch' | 'interrupted' | 'other';

export type DownloadState = 'queued' | 'downloading' | 'paused' | 'verifying' | 'done' | 'failed' | 'cancelled';

export interface Download {
  id: string;
  uri: string;
  fileName: string;
  state: DownloadState;
  receivedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number;
  etaSeconds: number | null;
  error: string | null;
  /** What went wrong, as a kind the UI can name (with `error` as the detail); null when nothing did. */
  reason: DownloadFailureReason | null;
  sha256: string | null;
  /** The library model it became, once done. */
  modelId: string | null;
  createdAt: number;
}

export const downloadRequests = {
  'downloads.list': method(NoParams, returns<Download[]>()),
  'downloads.start': method(
    z.object({ uri: z.string().min(1).max(4096), sha256: z.string().regex(/^[0-9a-f]{64}$/).optional() }).strict(),
    returns<Download>(),
  ),
  'downloads.pause': method(z.object({ id: Id }).strict(), returns<Download>()),
  'downloads.resume': method(z.object({ id: Id }).strict(), returns<Download>()),
  'downloads.cancel': method(z.object({ id: Id }).strict(), returns<Download>()),
} as const;

export type DownloadEvent =
  /** Progress of one download (sent at most a few times a second). */
  { type: 'download.updated'; download: Download };
