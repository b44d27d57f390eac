// Space held back on the data folder's disk: a file that is deleted when the disk turns out to be
// full, so that the answer being written (and the write that ends it) still fit. The file is written
// with real bytes (a sparse or truncated file would reserve nothing), under a temporary name first.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

const CHUNK = 1024 * 1024;

export const RESERVE_FILE = '.space-reserve';

export class SpaceReserve {
  constructor(
    readonly file: string,
    readonly bytes: number,
  ) {}

  /** True while the reserve file is there at full size. */
  get held(): boolean {
    try {
      return this.bytes > 0 && fs.statSync(this.file).size >= this.bytes;
    } catch {
      return false;
    }
  }

  /** Writes the reserve when it is missing; false when there is no room (or no permission): nothing is left behind. */
  fill(): boolean {
    if (this.bytes <= 0) return false;
    if (this.held) return true;
    const temp = `${this.file}.${process.pid}.tmp`;
    // Random bytes: a file system that compresses or deduplicates would not allocate zeros.
    const chunk = randomBytes(Math.min(CHUNK, this.bytes));
    try {
      const fd = fs.openSync(temp, 'w');
      try {
        for (let written = 0; written < this.bytes; ) {
          written += fs.writeSync(fd, chunk, 0, Math.min(chunk.length, this.bytes - written));
        }
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, this.file);
      return true;
    } catch {
      fs.rmSync(temp, { force: true });
      return false;
    }
  }

  /** Deletes the reserve; true when that freed space. */
  release(): boolean {
    const had = this.held;
    try {
      fs.rmSync(this.file, { force: true });
    } catch {
      return false;
    }
    return had;
  }
}
