// Streaming GGUF (v3) writer: header with metadata and tensor infos built in memory, tensor data
// encoded chunk by chunk and written through two large alternating buffers.

import { open, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';
import { ByteBuilder } from './byte-builder.js';
import { encodeTensorData } from './encode.js';
import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GgufType,
  TENSOR_TYPES,
  tensorBytes,
  type GgufScalarTypeName,
  type TensorTypeName,
} from './types.js';

type ArrayItem = number | bigint | boolean | string;

export type GgufMetaValue =
  | { type: 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'f64'; value: number }
  | { type: 'u64' | 'i64'; value: number | bigint }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; itemType: GgufScalarTypeName; value: ArrayLike<ArrayItem> };

/** Shorthands for typed metadata values: meta.u32(5), meta.array('string', [...]). */
export const meta = {
  u8: (value: number): GgufMetaValue => ({ type: 'u8', value }),
  i8: (value: number): GgufMetaValue => ({ type: 'i8', value }),
  u16: (value: number): GgufMetaValue => ({ type: 'u16', value }),
  i16: (value: number): GgufMetaValue => ({ type: 'i16', value }),
  u32: (value: number): GgufMetaValue => ({ type: 'u32', value }),
  i32: (value: number): GgufMetaValue => ({ type: 'i32', value }),
  f32: (value: number): GgufMetaValue => ({ type: 'f32', value }),
  f64: (value: number): GgufMetaValue => ({ type: 'f64', value }),
  u64: (value: number | bigint): GgufMetaValue => ({ type: 'u64', value }),
  i64: (value: number | bigint): GgufMetaValue => ({ type: 'i64', value }),
  bool: (value: boolean): GgufMetaValue => ({ type: 'bool', value }),
  string: (value: string): GgufMetaValue => ({ type: 'string', value }),
  array: (itemType: GgufScalarTypeName, value: ArrayLike<ArrayItem>): GgufMetaValue => ({ type: 'array', itemType, value }),
};

/** Fills `chunk` with the tensor's values starting at element `start`; called in order, chunk after chunk. */
export type TensorFill = (chunk: Float32Array, start: number) => void;

export interface GgufTensorSpec {
  name: string;
  /** Innermost dimension first (ne0 first), 1 to 4 dims. */
  dims: number[];
  type: TensorTypeName;
  data: Float32Array | TensorFill;
}

export interface GgufWriteOptions {
  alignment?: number;
  version?: 2 | 3;
  /** Elements encoded per step (multiple of 256). */
  chunkElements?: number;
}

export interface GgufWriteResult {
  bytes: number;
  dataOffset: number;
  parameters: number;
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

export function tensorElements(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function writeScalar(b: ByteBuilder, type: GgufScalarTypeName, v: ArrayItem): void {
  if (type === 'string') return b.string(String(v));
  if (type === 'bool') return b.u8(v ? 1 : 0);
  if (type === 'u64' || type === 'i64') return b[type](typeof v === 'bigint' ? v : BigInt(Number(v)));
  b[type](Number(v));
}

function writeValue(b: ByteBuilder, v: GgufMetaValue): void {
  b.u32(GgufType[v.type]);
  if (v.type !== 'array') return writeScalar(b, v.type, v.value);
  b.u32(GgufType[v.itemType]);
  b.u64(v.value.length);
  for (let i = 0; i < v.value.length; i++) writeScalar(b, v.itemType, v.value[i]!);
}

function checkTensor(t: GgufTensorSpec): void {
  const info = TENSOR_TYPES[t.type];
  if (!info) throw new Error(`tensor ${t.name}: unknown type ${String(t.type)}`);
  if (t.dims.length < 1 || t.dims.length > 4) throw new Error(`tensor ${t.name}: needs 1 to 4 dims`);
  if (!t.dims.every((d) => Number.isSafeInteger(d) && d >= 1)) throw new Error(`tensor ${t.name}: bad dims ${t.dims}`);
  if (t.dims[0]! % info.blockSize !== 0) {
    throw new Error(`tensor ${t.name}: row of ${t.dims[0]} is not a multiple of the ${t.type} block size ${info.blockSize}`);
  }
  if (Buffer.byteLength(t.name) >= 64) throw new Error(`tensor name too long: ${t.name}`);
  if (t.data instanceof Float32Array && t.data.length !== tensorElements(t.dims)) {
    throw new Error(`tensor ${t.name}: ${t.data.length} values for ${tensorElements(t.dims)} elements`);
  }
}

/** Builds the header bytes (up to the start of tensor data, padding included). */
export function buildGgufHeader(
  metadata: Iterable<readonly [string, GgufMetaValue]>,
  tensors: readonly GgufTensorSpec[],
  options: GgufWriteOptions = {},
): { header: Buffer; alignment: number; offsets: number[] } {
  const entries = [...metadata];
  const keys = new Set<string>();
  for (const [k] of entries) {
    if (keys.has(k)) throw new Error(`duplicate metadata key ${k}`);
    keys.add(k);
  }
  let alignment = options.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  const given = entries.find(([k]) => k === 'general.alignment');
  if (given) {
    if (given[1].type !== 'u32') throw new Error('general.alignment must be u32');
    alignment = given[1].value;
  } else {
    entries.push(['general.alignment', meta.u32(alignment)]);
  }
  if (alignment <= 0 || (alignment & (alignment - 1)) !== 0) throw new Error(`alignment ${alignment} is not a power of 2`);
  const names = new Set<string>();
  for (const t of tensors) {
    checkTensor(t);
    if (names.has(t.name)) throw new Error(`duplicate tensor ${t.name}`);
    names.add(t.name);
  }

  const b = new ByteBuilder();
  b.u32(GGUF_MAGIC);
  b.u32(options.version ?? 3);
  b.u64(tensors.length);
  b.u64(entries.length);
  for (const [key, value] of entries) {
    b.string(key);
    writeValue(b, value);
  }
  const offsets: number[] = [];
  let offset = 0;
  for (const t of tensors) {
    b.string(t.name);
    b.u32(t.dims.length);
    for (const d of t.dims) b.u64(d);
    b.u32(TENSOR_TYPES[t.type].id);
    b.u64(offset);
    offsets.push(offset);
    offset += alignUp(tensorBytes(TENSOR_TYPES[t.type], tensorElements(t.dims)), alignment);
  }
  b.zeros(alignUp(b.length, alignment) - b.length);
  return { header: b.toBuffer(), alignment, offsets };
}

/** Sequential file output through two alternating buffers: one is written while the other fills. */
class StreamOut {
  private buf: Buffer;
  private spare: Buffer;
  private pos = 0;
  private pending: Promise<unknown> | null = null;
  written = 0;

  constructor(private readonly fh: FileHandle, size: number) {
    this.buf = Buffer.from(new ArrayBuffer(size));
    this.spare = Buffer.from(new ArrayBuffer(size));
  }

  /** Returns the buffer with at least n free bytes at `at`. */
  async reserve(n: number): Promise<{ buf: Buffer; at: number }> {
    if (n > this.buf.length) throw new Error('write step larger than the output buffer');
    if (this.pos + n > this.buf.length) await this.flush();
    return { buf: this.buf, at: this.pos };
  }

  commit(n: number): void {
    this.pos += n;
    this.written += n;
  }

  async put(bytes: Uint8Array): Promise<void> {
    for (let i = 0; i < bytes.length; ) {
      const n = Math.min(bytes.length - i, this.buf.length);
      const { buf, at } = await this.reserve(n);
      buf.set(bytes.subarray(i, i + n), at);
      this.commit(n);
      i += n;
    }
  }

  async zeros(n: number): Promise<void> {
    if (n === 0) return;
    const { buf, at } = await this.reserve(n);
    buf.fill(0, at, at + n);
    this.commit(n);
  }

  async flush(): Promise<void> {
    if (this.pending) await this.pending;
    this.pending = null;
    if (this.pos === 0) return;
    const full = this.buf;
    const length = this.pos;
    this.pending = writeAll(this.fh, full, length);
    this.buf = this.spare;
    this.spare = full;
    this.pos = 0;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.pending) await this.pending;
    this.pending = null;
  }
}

async function writeAll(fh: FileHandle, buf: Buffer, length: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await fh.write(buf, done, length - done, null);
    done += bytesWritten;
  }
}

/** Writes a complete GGUF file. Tensor data is produced and encoded chunk by chunk, never all in memory. */
export async function writeGguf(
  path: string,
  metadata: Iterable<readonly [string, GgufMetaValue]>,
  tensors: readonly GgufTensorSpec[],
  options: GgufWriteOptions = {},
): Promise<GgufWriteResult> {
  if (endianness() !== 'LE') throw new Error('GGUF writing needs a little-endian machine');
  const chunkElements = options.chunkElements ?? 1 << 20;
  if (chunkElements <= 0 || chunkElements % 256 !== 0) throw new Error('chunkElements must be a positive multiple of 256');
  const { header, alignment } = buildGgufHeader(metadata, tensors, options);
  const fh = await open(path, 'w');
  let parameters = 0;
  try {
    const out = new StreamOut(fh, Math.max(16 << 20, chunkElements * 4));
    await out.put(header);
    const chunk = new Float32Array(chunkElements);
    for (const t of tensors) {
      const elements = tensorElements(t.dims);
      const info = TENSOR_TYPES[t.type];
      parameters += elements;
      for (let start = 0; start < elements; start += chunkElements) {
        const n = Math.min(chunkElements, elements - start);
        let values: Float32Array;
        if (t.data instanceof Float32Array) values = t.data.subarray(start, start + n);
        else {
          values = chunk.subarray(0, n);
          t.data(values, start);
        }
        const { buf, at } = await out.reserve(tensorBytes(info, n));
        out.commit(encodeTensorData(t.type, values, buf, at));
      }
      await out.zeros(alignUp(out.written, alignment) - out.written);
    }
    await out.close();
    return { bytes: out.written, dataOffset: header.length, parameters };
  } finally {
    await fh.close();
  }
}
