// Integrity of a downloaded file: the SHA-256 of bytes already on disk (to resume hashing), and the
// final checks before the file may enter the library: size, checksum, GGUF header.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { formatBytes } from '../disk.js';
import { headerProblem, parseSplitName } from '../model-files.js';

/** A SHA-256 fed with the first `bytes` bytes of `file` (a resumed download hashes on from there). */
export async function hashPrefix(file: string, bytes: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (bytes <= 0) return hash;
  for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash;
}

export interface VerifyInput {
  tempPath: string;
  fileName: string;
  total: number | null;
  sha256: string | null;
  /** The hash of every byte written (when sha256 is set). */
  hash: Hash | null;
}

/** Null when the file is complete and usable, else why not (the caller removes the file). */
export async function verifyDownload(v: VerifyInput): Promise<string | null> {
  const size = (await fs.stat(v.tempPath)).size;
  if (v.total !== null && size !== v.total) {
    return `incomplete file: ${formatBytes(size)} (${size} bytes) arrived but the server announced ${v.total} bytes`;
  }
  if (v.sha256) {
    const actual = v.hash ? v.hash.digest('hex') : (await hashPrefix(v.tempPath, size)).digest('hex');
    if (actual !== v.sha256.toLowerCase()) return `checksum mismatch: expected SHA-256 ${v.sha256}, got ${actual}; the file was removed`;
  }
  const split = parseSplitName(v.fileName);
  const problem = await headerProblem(v.tempPath, split ? split.index - 1 : 0, split?.count ?? 1);
  return problem ? `not a usable GGUF file: ${problem}` : null;
}
