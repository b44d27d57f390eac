// How a download attempt can end badly, in words for the person using the app.
import { formatBytes } from '../disk.js';

/**
 * fatal: the download failed (the partial file is removed); pause: it stops, keeps its bytes and can
 * be resumed (network loss, stall, full disk, server trouble); aborted: paused or cancelled on request.
 */
export type FailureKind = 'fatal' | 'pause' | 'aborted';

export class TransferError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

export function httpError(status: number, statusText: string | undefined, url: string): TransferError {
  if (status === 404 || status === 410) return new TransferError('fatal', `not found at ${url} (HTTP ${status})`);
  if (status === 401 || status === 403) {
    return new TransferError('fatal', `access denied by ${new URL(url).host} (HTTP ${status}): the file may be private or gated`);
  }
  const text = `${new URL(url).host} answered HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  // Server trouble and rate limits pass: keep the bytes so far and let the person resume later.
  if (status >= 500 || status === 429 || status === 408) return new TransferError('pause', `${text}; paused, resume to try again`);
  return new TransferError('fatal', text);
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host was not found',
  EAI_AGAIN: 'the host name could not be resolved (offline?)',
  ECONNRESET: 'the connection was lost',
  EPIPE: 'the connection was lost',
  ETIMEDOUT: 'the connection timed out',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
};

/** A network failure: the download pauses, resumable, with this message. */
export function networkError(error: unknown, url: string, received: number, total: number | null): TransferError {
  const code = (error as { code?: string })?.code ?? '';
  const what = NETWORK_WORDS[code] ?? ((error as Error)?.message === 'aborted' ? 'the connection was lost' : `a network error occurred (${(error as Error)?.message ?? String(error)})`);
  const where = total !== null ? `${formatBytes(received)} of ${formatBytes(total)}` : formatBytes(received);
  return new TransferError('pause', `${what} while downloading from ${new URL(url).host} (after ${where}); paused, resume to continue`);
}
