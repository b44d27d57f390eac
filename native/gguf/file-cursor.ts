// Sequential little-endian reads from a file handle through a chunk buffer; never reads the whole file.

import type { FileHandle } from 'node:fs/promises';
import { GgufError } from './errors.js';

const CHUNK = 1 << 20;
const utf8 = new TextDecoder('utf-8');

export class FileCursor {
  private buf = Buffer.alloc(0);
  private bufStart = 0; // file offset of buf[0]
  /** Current file offset. */
  pos = 0;
  /** What is being read, for error messages. */
  what = 'the header';

  constructor(
    private readonly fh: FileHandle,
    readonly fileSize: number,
  ) {}

  private truncated(): GgufError {
    return new GgufError(`truncated: file is ${this.fileSize} bytes and ends inside ${this.what}`);
  }

  /** Bytes left from the current position to the end of the file. */
  get remaining(): number {
    return this.fileSize - this.pos;
  }

  /** Makes sure n bytes from pos are buffered (throws "truncated" if the file is shorter). */
  async need(n: number): Promise<void> {
    if (this.pos + n > this.fileSize) throw this.truncated();
    if (this.pos >= this.bufStart && this.pos + n <= this.bufStart + this.buf.length) return;
    const size = Math.min(Math.max(CHUNK, n), this.fileSize - this.pos);
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const { bytesRead } = await this.fh.read(buf, got, size - got, this.pos + got);
      if (bytesRead === 0) throw this.truncated();
      got += bytesRead;
    }
    this.buf = buf;
    this.bufStart = this.pos;
  }

  /** True when n bytes at pos are already buffered (so the sync readers can be used). */
  has(n: number): boolean {
    return this.pos >= this.bufStart && this.pos + n <= this.bufStart + this.buf.length;
  }

  private at(n: number): number {
    const i = this.pos - this.bufStart;
    this.pos += n;
    return i;
  }

  // Synchronous readers: call need() (or check has()) first.
  u8(): number {
    return this.buf.readUInt8(this.at(1));
  }
  i8(): number {
    return this.buf.readInt8(this.at(1));
  }
  u16(): number {
    return this.buf.readUInt16LE(this.at(2));
  }
  i16(): number {
    return this.buf.readInt16LE(this.at(2));
  }
  u32(): number {
    return this.buf.readUInt32LE(this.at(4));
  }
  i32(): number {
    return this.buf.readInt32LE(this.at(4));
  }
  f32(): number {
    return this.buf.readFloatLE(this.at(4));
  }
  f64(): number {
    return this.buf.readDoubleLE(this.at(8));
  }
  u64(): bigint {
    return this.buf.readBigUInt64LE(this.at(8));
  }
  i64(): bigint {
    return this.buf.readBigInt64LE(this.at(8));
  }
  /** A u64 as a number without a BigInt (exact up to 2^53; beyond, still larger than any file). */
  u64Number(): number {
    const i = this.at(8);
    return this.buf.readUInt32LE(i) + this.buf.readUInt32LE(i + 4) * 0x100000000;
  }
  text(n: number): string {
    const i = this.at(n);
    return utf8.decode(this.buf.subarray(i, i + n));
  }

  /** Length of the C string hashed by the last cStringHash() (the bytes before the first NUL). */
  hashedLength = 0;

  /**
   * Consumes the next n bytes and returns the 32-bit FNV-1a hash (an int32) of the bytes before the
   * first NUL, which is the string llama.cpp sees; its length is left in `hashedLength`.
   */
  cStringHash(n: number): number {
    const i = this.at(n);
    let a = 0x811c9dc5 | 0;
    let j = i;
    for (; j < i + n && this.buf[j] !== 0; j++) a = Math.imul(a ^ this.buf[j]!, 0x01000193);
    this.hashedLength = j - i;
    return a;
  }

  /** Reads n bytes at an absolute offset without moving the cursor. */
  async readAt(offset: number, n: number): Promise<Buffer> {
    const out = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await this.fh.read(out, got, n - got, offset + got);
      if (bytesRead === 0) throw this.truncated();
      got += bytesRead;
    }
    return out;
  }

  /** Reads a u64 that must fit in a safe integer (else the value is absurd for any real file). */
  async safeU64(label: string): Promise<number> {
    await this.need(8);
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufError(`absurd ${label}: ${v}`);
    return Number(v);
  }

  /** Reads a GGUF string of at most maxLength bytes. */
  async string(maxLength: number, label: string): Promise<string> {
    const n = await this.safeU64(`${label} length`);
    if (n > this.remaining) {
      throw new GgufError(`truncated: ${label} of ${n} bytes runs past the end of the file (${this.fileSize} bytes)`);
    }
    if (n > maxLength) throw new GgufError(`${label} is ${n} bytes long (limit ${maxLength})`);
    await this.need(n);
    return this.text(n);
  }

  /** Moves forward n bytes (must stay inside the file). */
  skip(n: number): void {
    if (n > this.remaining) throw this.truncated();
    this.pos += n;
  }
}
