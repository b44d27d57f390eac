// Whether the app can save: holds a space reserve on the data folder's disk, releases it the first
// time a write finds the disk full (so the answer in flight can still be saved), then says "the disk
// is full" (new answers and documents are refused) until there is room for the reserve again.
import path from 'node:path';
import type { SaveProblem } from '../contract.js';
import { freeBytes, isStorageFull } from './disk.js';
import { RESERVE_FILE, SpaceReserve } from './disk-reserve.js';

export const DEFAULT_RESERVE_BYTES = 8 * 1024 * 1024;
export const DISK_FULL = 'The disk is full: nothing new can be saved. Free some space on the disk that holds the data folder.';
export const DISK_FULL_READ_ONLY =
  'The disk is full: nothing new can be saved. History is shown read-only; free some space on the disk that holds the data folder and restart Qwen2 Desk.';

export interface DiskGuardOptions {
  dataDir: string;
  /** Bytes held back for the answer in flight (0: none). */
  reserveBytes?: number;
  /** How often a full disk is checked for room again. */
  pollMs?: number;
  onChange(problem: SaveProblem | null): void;
}

export class DiskGuard {
  private readonly reserve: SpaceReserve;
  private current: SaveProblem | null = null;
  private readOnly = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: DiskGuardOptions) {
    this.reserve = new SpaceReserve(path.join(opts.dataDir, RESERVE_FILE), opts.reserveBytes ?? DEFAULT_RESERVE_BYTES);
  }

  /** Why nothing new can be saved now, or null. */
  get problem(): string | null {
    return this.current?.message ?? null;
  }

  get saveProblem(): SaveProblem | null {
    return this.current;
  }

  /** Holds the reserve (when there is room for it). */
  start(): void {
    this.reserve.fill();
  }

  /**
   * A write failed. When it was for lack of room: the reserve is released, the disk counts as full
   * until there is room again, and the result says whether the write may succeed if tried again now.
   */
  writeFailed(error: unknown): boolean {
    if (!isStorageFull(error)) return false;
    const freed = this.reserve.release();
    if (!this.readOnly) this.set({ kind: 'disk-full', message: DISK_FULL });
    this.watch();
    return freed;
  }

  /** Releases the reserve (at a start on a full disk); true when that freed space. */
  release(): boolean {
    const freed = this.reserve.release();
    if (freed) {
      this.set({ kind: 'disk-full', message: DISK_FULL });
      this.watch();
    }
    return freed;
  }

  /** The store could only be opened for reading: nothing can be saved until the next start. */
  setReadOnly(): void {
    this.readOnly = true;
    this.stopWatching();
    this.set({ kind: 'read-only', message: DISK_FULL_READ_ONLY });
  }

  close(): void {
    this.stopWatching();
  }

  /** Checks for room every pollMs: the reserve, plus as much again (at least 1 MiB) to work in. */
  private watch(): void {
    if (this.timer || this.readOnly) return;
    this.timer = setInterval(() => void this.check(), this.opts.pollMs ?? 1000);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    const free = await freeBytes(this.opts.dataDir);
    const needed = this.reserve.bytes + Math.max(this.reserve.bytes, 1024 * 1024);
    if (!this.timer || free === null || free < needed) return;
    if (this.reserve.bytes > 0 && !this.reserve.fill()) return;
    this.stopWatching();
    this.set(null);
  }

  private stopWatching(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private set(problem: SaveProblem | null): void {
    if (problem?.kind === this.current?.kind) return;
    this.current = problem;
    this.opts.onChange(problem);
  }
}
