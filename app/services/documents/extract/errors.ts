// The one error type of extraction: a reason code for programs, a sentence for people.
import { AppError } from '../../../contract.js';

export type ExtractReason =
  | 'too_large'
  | 'unsupported'
  | 'not_found'
  | 'encrypted'
  | 'corrupt'
  | 'no_text'
  | 'binary'
  | 'encoding'
  | 'zip_bomb'
  | 'timeout'
  | 'cancelled'
  | 'failed';

export class ExtractError extends AppError {
  constructor(
    readonly reason: ExtractReason,
    message: string,
  ) {
    super('failed', message);
    this.name = 'ExtractError';
  }
}

/** `Cannot add "name": detail.` — the form of every extraction error message. */
export function extractError(reason: ExtractReason, name: string, detail: string): ExtractError {
  const sentence = /[.!?]$/.test(detail) ? detail : `${detail}.`;
  return new ExtractError(reason, `Cannot add "${name}": ${sentence}`);
}

export const MB = 1024 * 1024;

/** "201 MB", "0.5 MB", "1.2 GB". */
export function formatMB(bytes: number): string {
  const mb = bytes / MB;
  if (mb >= 1024) return `${(mb / 1024).toFixed(1)} GB`;
  return mb >= 10 ? `${Math.round(mb)} MB` : `${Number(mb.toFixed(1))} MB`;
}
