// Disk helpers shared by the library and downloads: sizes for people, free space, temporary names.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../contract.js';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** Bytes free for this user on the file system holding `dir`, or null when it cannot be told. */
export async function freeBytes(dir: string): Promise<number | null> {
  try {
    const s = await fs.statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

export function diskFullMessage(missing: number | null): string {
  return missing !== null && missing > 0 ? `the disk is full (needs ${formatBytes(missing)} more)` : 'the disk is full';
}

/** Throws AppError('failed', 'the disk is full (needs X more)') when `bytes` more do not fit in `dir`. */
export async function ensureSpace(dir: string, bytes: number): Promise<void> {
  const free = await freeBytes(dir);
  if (free !== null && free < bytes) throw new AppError('failed', `Cannot write to ${dir}: ${diskFullMessage(bytes - free)}.`);
}

export const isDiskFull = (error: unknown): boolean => (error as { code?: string })?.code === 'ENOSPC';

/**
 * True for an error that means the disk has no room: ENOSPC from the file system, SQLITE_FULL from
 * SQLite, or SQLite's failure to size its WAL index (-shm) on a full disk. An AppError made from one
 * of these keeps it as its cause; one passed on as text only (from a worker) is told by its message.
 */
export function isStorageFull(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE') return true;
  }
  // Errors that crossed a worker boundary keep only their text (SQLite's for SQLITE_FULL, Node's for ENOSPC).
  return /database or disk is full|\bENOSPC\b/.test((error as Error)?.message ?? '');
}

/** A hidden temporary name next to `finalPath` (same folder, so a rename onto it is atomic). */
export function tempNameFor(finalPath: string, kind: string): string {
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${randomBytes(4).toString('hex')}.${kind}`);
}

/** True when a file or folder exists at `p`. */
export async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Moves a finished temporary file onto its final name without ever replacing an existing file:
 * a hard link fails when the name is taken (then the temporary file is left for the caller).
 * Where hard links are not supported, falls back to a rename after a check.
 */
export async function moveIntoPlace(tempPath: string, finalPath: string): Promise<void> {
  try {
    await fs.link(tempPath, finalPath);
    await fs.rm(tempPath, { force: true });
    return;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EEXIST') throw new AppError('failed', `A file named ${path.basename(finalPath)} is already in ${path.dirname(finalPath)}.`);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
  }
  if (await exists(finalPath)) throw new AppError('failed', `A file named ${path.basename(finalPath)} is already in ${path.dirname(finalPath)}.`);
  await fs.rename(tempPath, finalPath);
}

const STALE_TEMP = /^\..+\.[0-9a-f]{8}\.(copy|upload)$/;

/**
 * Removes temporary copies and uploads left in `folder` by a crash (untouched for `maxAgeMs`).
 * Download `.part` files are not touched: they belong to resumable downloads.
 */
export async function removeStaleTemps(folder: string, names: string[], maxAgeMs = 60 * 60_000): Promise<void> {
  for (const name of names) {
    if (!STALE_TEMP.test(name)) continue;
    const file = path.join(folder, name);
    const stat = await fs.stat(file).catch(() => null);
    if (stat?.isFile() && Date.now() - stat.mtimeMs > maxAgeMs) await fs.rm(file, { force: true });
  }
}
