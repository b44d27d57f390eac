// How a download attempt can end badly, in words for the person using the app. Every message starts
// with the words of its reason ("host not found: …", "HTTP 404 not found: …"), so the reason can be
// read back from the message saved with the download (reasonOf) and named in the UI's language.
import type { DownloadFailureReason } from '../../contract.js';
import { diskFullMessage, formatBytes } from '../disk.js';

/**
 * fatal: the download failed and its partial file is removed (a retry starts again from 0);
 * retryable: it failed but keeps its bytes, so a retry continues (network loss, stall, full disk,
 * server trouble); aborted: paused or cancelled on request.
 */
export type FailureKind = 'fatal' | 'retryable' | 'aborted';

export class TransferError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

/** The leading words of each reason's message; reasonOf matches them. */
const LEADS: ReadonlyArray<[DownloadFailureReason, RegExp]> = [
  ['host-not-found', /^host not found\b/],
  ['connection-refused', /^connection refused\b/],
  ['timed-out', /^timed out\b/],
  ['connection-lost', /^connection lost\b/],
  ['network', /^network error\b/],
  ['not-found', /^HTTP (404|410)\b/],
  ['needs-access', /^HTTP (401|403)\b/],
  ['http', /^HTTP \d{3}\b/],
  ['checksum', /^checksum mismatch\b/],
  ['disk-full', /^disk full\b/],
  ['not-gguf', /^not a usable GGUF file\b/],
  ['size-mismatch', /^incomplete file\b/],
  ['interrupted', /^interrupted\b/],
];

/** The reason of a saved error message (null for none). */
export function reasonOf(error: string | null): DownloadFailureReason | null {
  if (!error) return null;
  return LEADS.find(([, re]) => re.test(error))?.[0] ?? 'other';
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

export function httpError(status: number, statusText: string | undefined, url: string): TransferError {
  if (status === 404 || status === 410) return new TransferError('fatal', `HTTP ${status} not found: ${url}`);
  if (status === 401 || status === 403) {
    return new TransferError('fatal', `HTTP ${status} needs access: ${hostOf(url)} refused it (the file may be private or gated)`);
  }
  const text = `HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${hostOf(url)}`;
  // Server trouble and rate limits pass: the bytes so far are kept for a retry.
  return new TransferError(status >= 500 || status === 429 || status === 408 ? 'retryable' : 'fatal', text);
}

export function diskFullError(missing: number | null): TransferError {
  return new TransferError('retryable', `disk full: ${diskFullMessage(missing)}; free some space and retry`);
}

export function stallError(seconds: number): TransferError {
  return new TransferError('retryable', `timed out: no data arrived for ${seconds} s (the download stalled)`);
}

const NETWORK_WORDS: Record<string, (host: string) => string> = {
  ENOTFOUND: (h) => `host not found: ${h}`,
  EAI_AGAIN: (h) => `host not found: ${h} (the name could not be resolved; offline?)`,
  ECONNREFUSED: (h) => `connection refused by ${h}`,
  ECONNRESET: (h) => `connection lost to ${h}`,
  EPIPE: (h) => `connection lost to ${h}`,
  ETIMEDOUT: (h) => `timed out: ${h} did not answer`,
  ENETUNREACH: (h) => `network error: the network is unreachable (${h})`,
  EHOSTUNREACH: (h) => `network error: ${h} is unreachable`,
};

/** A network failure: the download fails, keeping its bytes for a retry. */
export function networkError(error: unknown, url: string, received: number, total: number | null): TransferError {
  const code = (error as { code?: string })?.code ?? '';
  const host = hostOf(url);
  const message = (error as Error)?.message ?? String(error);
  const what = NETWORK_WORDS[code]?.(host) ?? (message === 'aborted' ? `connection lost to ${host}` : `network error: ${message} (${host})`);
  const after = received > 0 ? ` (after ${total !== null ? `${formatBytes(received)} of ${formatBytes(total)}` : formatBytes(received)})` : '';
  return new TransferError('retryable', `${what}${after}`);
}
