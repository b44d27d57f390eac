// One attempt at getting the rest of a file: asks for the bytes after those on disk (Range, with
// If-Range so a changed file is not glued onto an old start), writes them to the temporary file and
// hashes them as they are written. Restarts from 0 when the server cannot continue, and says why.
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs/promises';
import type http from 'node:http';
import { isDiskFull } from '../disk.js';
import { diskFullError, httpError, networkError, stallError, TransferError } from './errors.js';
import { contentLength, openGet, parseContentRange, validatorOf } from './request.js';

export interface WriteStart {
  /** The size of the whole file, when the server says. */
  total: number | null;
  /** Where writing starts (0 after a restart). */
  offset: number;
  validator: string | null;
  /** Why the download started again from 0, if it did. */
  note: string | null;
}

export interface TransferInput {
  url: string;
  tempPath: string;
  /** Bytes already in tempPath. */
  offset: number;
  /** The validator saved when the download began (sent in If-Range). */
  validator: string | null;
  /** The size saved when the download began. */
  expectedTotal: number | null;
  /** Fed with the first `offset` bytes already; null when no checksum is wanted. */
  hash: Hash | null;
  stallMs: number;
  /** Pause, cancel or shutdown. */
  signal: AbortSignal;
  /** Before the first byte is written: save the facts, check free space (may throw TransferError). */
  beforeWrite(start: WriteStart): Promise<void>;
  onProgress(received: number): void;
}

export interface TransferResult {
  received: number;
  total: number | null;
  hash: Hash | null;
}

const MAX_RESTARTS = 2;

export async function transfer(input: TransferInput): Promise<TransferResult> {
  const ctl = new AbortController();
  const onOuter = () => ctl.abort(new TransferError('aborted', 'stopped on request'));
  if (input.signal.aborted) throw new TransferError('aborted', 'stopped on request');
  input.signal.addEventListener('abort', onOuter, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    const seconds = Math.round(input.stallMs / 100) / 10;
    const stalled = stallError(seconds);
    timer = setTimeout(() => ctl.abort(stalled), input.stallMs);
  };
  let received = input.offset;
  let total = input.expectedTotal;

  async function attempt(offset: number, hash: Hash | null, restarts: number, note: string | null): Promise<TransferResult> {
    const restart = (response: http.IncomingMessage, why: string) => {
      response.destroy();
      if (restarts >= MAX_RESTARTS) throw new TransferError('retryable', `network error: ${why}, again`);
      return attempt(0, input.hash ? createHash('sha256') : null, restarts + 1, `${why}; restarted from 0`);
    };
    arm();
    const headers: Record<string, string> = {};
    if (offset > 0) {
      headers.range = `bytes=${offset}-`;
      if (input.validator) headers['if-range'] = input.validator;
    }
    const { response } = await openGet(input.url, headers, ctl.signal);
    const status = response.statusCode ?? 0;
    let start = offset;
    if (status === 206) {
      const range = parseContentRange(response.headers['content-range']);
      if (!range || range.start !== offset) return restart(response, 'the server sent another part of the file than asked for');
      total = range.total;
      if (offset > 0 && input.expectedTotal !== null && total !== null && total !== input.expectedTotal) {
        return restart(response, 'the file changed on the server since the download began');
      }
    } else if (status === 200) {
      total = contentLength(response);
      if (offset > 0) {
        const now = validatorOf(response);
        const changed = (input.validator && now && now !== input.validator) || (input.expectedTotal !== null && total !== null && total !== input.expectedTotal);
        note = changed ? 'the file changed on the server since the download began; restarted from 0' : 'the server does not support resuming; restarted from 0';
        start = 0;
        hash = input.hash ? createHash('sha256') : null;
      }
    } else if (status === 416 && offset > 0) {
      response.resume();
      const whole = /^bytes \*\/(\d+)$/.exec(response.headers['content-range'] ?? '');
      if ((whole && Number(whole[1]) === offset) || input.expectedTotal === offset) return { received: offset, total: offset, hash };
      return restart(response, 'the bytes on disk do not fit the file on the server');
    } else {
      response.resume();
      throw httpError(status, response.statusMessage, input.url);
    }

    try {
      await input.beforeWrite({ total, offset: start, validator: validatorOf(response), note });
    } catch (error) {
      response.destroy();
      throw error;
    }
    const fh = await fs.open(input.tempPath, start > 0 ? 'r+' : 'w');
    try {
      if (start > 0) await fh.truncate(start);
      let pos = start;
      received = start;
      input.onProgress(pos);
      arm();
      for await (const chunk of response as AsyncIterable<Buffer>) {
        arm();
        for (let done = 0; done < chunk.length; ) done += (await fh.write(chunk, done, chunk.length - done, pos + done)).bytesWritten;
        hash?.update(chunk);
        pos += chunk.length;
        received = pos;
        input.onProgress(pos);
      }
      clearTimeout(timer);
      if (total !== null && pos < total) throw Object.assign(new Error('closed early'), { code: 'ECONNRESET' });
      if (total !== null && pos > total) throw new TransferError('fatal', `the server sent more bytes (${pos}) than it announced (${total})`);
      await fh.sync();
      return { received: pos, total, hash };
    } finally {
      await fh.close();
    }
  }

  try {
    return await attempt(input.offset, input.hash, 0, null);
  } catch (error) {
    if (ctl.signal.aborted) {
      const reason = ctl.signal.reason as unknown;
      throw reason instanceof TransferError ? reason : new TransferError('aborted', 'stopped on request');
    }
    ctl.abort();
    if (error instanceof TransferError) throw error;
    if (isDiskFull(error)) throw diskFullError(total !== null ? total - received : null);
    throw networkError(error, input.url, received, total);
  } finally {
    clearTimeout(timer);
    input.signal.removeEventListener('abort', onOuter);
  }
}
