// Reads and validates only the header of a GGUF file (metadata + tensor infos), in chunks.
// The file is never handed to llama.cpp here and tensor data is never read.

import { open, stat } from 'node:fs/promises';
import { GgufError, printable } from './errors.js';
import { FileCursor } from './file-cursor.js';
import { summarizeGguf, type GgufSummary } from './summary.js';
import { TENSOR_DATA_ALIGNMENT, validateModel } from './validate.js';
import type { GgufArrayValue, GgufReadValue, GgufScalar, GgufTensorInfo } from './values.js';
import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  ggmlTypeInfo,
  ggufScalarSize,
  ggufTypeName,
  type GgufTypeName,
} from './types.js';

export { GgufError } from './errors.js';
export type { GgufSummary } from './summary.js';
export type { GgufArrayValue, GgufReadValue, GgufScalar, GgufTensorInfo } from './values.js';

export interface GgufHeader {
  path: string;
  version: number;
  alignment: number;
  fileSize: number;
  dataOffset: number;
  dataEnd: number;
  metadata: Map<string, GgufReadValue>;
  metadataTypes: Map<string, GgufTypeName>;
  tensors: GgufTensorInfo[];
  summary: GgufSummary;
}

export interface ReadGgufOptions {
  /** Arrays up to this length keep their values (default 256). */
  maxArrayValues?: number;
  /**
   * Only the file's structure and summary, not whether llama.cpp can load it as a model (its
   * hyperparameters, tokenizer and tensor shapes; native/gguf/validate.ts). For tools and tests
   * working on GGUF files that are not whole models.
   */
  structureOnly?: boolean;
}

const MAX_KEY = 65535;
const MAX_STRING = 16 << 20;
const MIN_KV_BYTES = 8 + 1 + 4 + 1;
const MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;
const SUPPORTED_ARCHITECTURES = new Set(['qwen2', 'qwen2moe']);
const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

async function readScalar(c: FileCursor, type: GgufTypeName, label: string): Promise<GgufScalar> {
  if (type === 'string') return c.string(MAX_STRING, label);
  await c.need(ggufScalarSize(type)!);
  switch (type) {
    case 'u8': return c.u8();
    case 'i8': return c.i8();
    case 'u16': return c.u16();
    case 'i16': return c.i16();
    case 'u32': return c.u32();
    case 'i32': return c.i32();
    case 'f32': return c.f32();
    case 'f64': return c.f64();
    case 'bool': {
      const b = c.u8();
      if (b > 1) throw new GgufError(`${label} is a bool with value ${b}`);
      return b === 1;
    }
    default: {
      const v = type === 'u64' ? c.u64() : c.i64();
      return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
    }
  }
}

/**
 * Skips an array of strings; with `unique`, a string seen twice is refused: llama.cpp asserts its
 * tokens are unique, as C strings (up to a NUL byte; an empty one gets a made-up unique name).
 */
async function skipStrings(c: FileCursor, count: number, label: string, unique: boolean): Promise<void> {
  // An open-addressing table of item indexes by hash; items with equal hashes are compared byte for byte.
  const mask = unique ? 2 ** Math.ceil(Math.log2(count * 2 + 2)) - 1 : 0;
  const table = unique ? new Int32Array(mask + 1) : null;
  const hashes = unique ? new Int32Array(count) : null;
  const offsets = unique ? new Float64Array(count) : null;
  const lengths = unique ? new Float64Array(count) : null;
  for (let i = 0; i < count; i++) {
    if (!c.has(8)) await c.need(8);
    const n = c.u64Number();
    if (n > c.remaining) {
      throw new GgufError(`truncated: item ${i} of ${label} (${n} bytes) runs past the end of the file (${c.fileSize} bytes)`);
    }
    if (!table) {
      c.skip(n);
      continue;
    }
    if (!c.has(n)) await c.need(n);
    offsets![i] = c.pos;
    const h = c.cStringHash(n);
    const len = c.hashedLength;
    lengths![i] = len;
    hashes![i] = h;
    if (len === 0) continue;
    let slot = h & mask;
    for (; table[slot] !== 0; slot = (slot + 1) & mask) {
      const j = table[slot]! - 1;
      if (hashes![j] === h && lengths![j] === len && (await c.readAt(offsets![j]!, len)).equals(await c.readAt(offsets![i]!, len))) {
        throw new GgufError(`item ${i} of ${label} repeats item ${j}`);
      }
    }
    table[slot] = i + 1;
  }
}

const UNIQUE_STRINGS = new Set(['tokenizer.ggml.tokens']);

async function readArray(c: FileCursor, key: string, keep: number): Promise<GgufArrayValue> {
  await c.need(4);
  const typeId = c.u32();
  const itemType = ggufTypeName(typeId);
  const shown = printable(key);
  if (itemType === undefined) throw new GgufError(`unknown array item type ${typeId} for key ${shown}`);
  if (itemType === 'array') throw new GgufError(`nested arrays are not supported (key ${shown})`);
  const length = await c.safeU64(`array length for key ${shown}`);
  const itemSize = ggufScalarSize(itemType) ?? 8;
  if (length * itemSize > c.remaining) {
    throw new GgufError(`truncated: array ${shown} of ${length} items cannot fit in the ${c.remaining} bytes left in the file`);
  }
  const unique = itemType === 'string' && UNIQUE_STRINGS.has(key);
  if (length <= keep) {
    const values: GgufScalar[] = [];
    for (let i = 0; i < length; i++) values.push(await readScalar(c, itemType, `item ${i} of ${shown}`));
    if (unique) {
      const seen = new Map<string, number>();
      for (const [i, v] of values.entries()) {
        const text = (v as string).split('\0')[0]!;
        if (text && seen.has(text)) throw new GgufError(`item ${i} of ${shown} repeats item ${seen.get(text)}`);
        seen.set(text, i);
      }
    }
    return { itemType, length, values };
  }
  if (itemType === 'string') await skipStrings(c, length, shown, unique);
  else c.skip(length * itemSize);
  return { itemType, length, values: null };
}

async function readMetadata(c: FileCursor, count: number, keep: number, header: Pick<GgufHeader, 'metadata' | 'metadataTypes'>): Promise<void> {
  for (let i = 0; i < count; i++) {
    c.what = `metadata entry ${i}`;
    const key = await c.string(MAX_KEY, `metadata key ${i}`);
    if (key.length === 0) throw new GgufError(`metadata key ${i} is empty`);
    const shown = printable(key);
    if (header.metadata.has(key)) throw new GgufError(`duplicate metadata key ${shown}`);
    c.what = `metadata value ${shown}`;
    await c.need(4);
    const typeId = c.u32();
    const type = ggufTypeName(typeId);
    if (type === undefined) throw new GgufError(`unknown metadata value type ${typeId} for key ${shown}`);
    const value = type === 'array' ? await readArray(c, key, keep) : await readScalar(c, type, `value of ${shown}`);
    header.metadata.set(key, value);
    header.metadataTypes.set(key, type);
  }
}

async function readTensorInfo(c: FileCursor, index: number, names: Set<string>): Promise<Omit<GgufTensorInfo, 'fileOffset'> & { offset: number }> {
  c.what = `tensor info ${index}`;
  const raw = await c.string(MAX_KEY, `name of tensor ${index}`);
  if (Buffer.byteLength(raw) >= 64) throw new GgufError(`tensor name ${index} is too long (${Buffer.byteLength(raw)} bytes, limit 63)`);
  if (names.has(raw)) throw new GgufError(`duplicate tensor name ${printable(raw)}`);
  names.add(raw);
  const name = printable(raw);
  await c.need(4);
  const nDims = c.u32();
  if (nDims > 4) throw new GgufError(`tensor ${name} has ${nDims} dimensions (at most 4)`);
  const dims: number[] = [];
  let elements = 1;
  for (let j = 0; j < nDims; j++) {
    await c.need(8);
    const d = c.i64();
    if (d < 0n) throw new GgufError(`tensor ${name} has a negative dimension ${d}`);
    // llama.cpp's loader asserts every dimension is at least 1.
    if (d === 0n) throw new GgufError(`tensor ${name} has a dimension of 0`);
    if (d > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufError(`tensor ${name} has an absurd dimension ${d}`);
    dims.push(Number(d));
    elements *= Number(d);
    if (elements > Number.MAX_SAFE_INTEGER) throw new GgufError(`tensor ${name} has an absurd number of elements`);
  }
  await c.need(4);
  const type = c.u32();
  const info = ggmlTypeInfo(type);
  if (!info) throw new GgufError(`tensor ${name} has unknown type ${type}`);
  const ne0 = dims[0] ?? 1;
  if (ne0 % info.blockSize !== 0) {
    throw new GgufError(`tensor ${name}: row of ${ne0} elements is not a multiple of the ${info.name} block size ${info.blockSize}`);
  }
  const offset = await c.safeU64(`data offset of tensor ${name}`);
  const bytes = (elements / info.blockSize) * info.typeSize;
  return { name: raw, dims, type, typeName: info.name, elements, bytes, offset };
}

function checkAlignment(header: Pick<GgufHeader, 'metadata' | 'metadataTypes'>): number {
  if (!header.metadata.has('general.alignment')) return GGUF_DEFAULT_ALIGNMENT;
  if (header.metadataTypes.get('general.alignment') !== 'u32') throw new GgufError('general.alignment must be a u32');
  const a = header.metadata.get('general.alignment') as number;
  if (a === 0 || (a & (a - 1)) !== 0) throw new GgufError(`general.alignment ${a} is not a power of 2`);
  return a;
}

function checkArchitecture(metadata: Map<string, GgufReadValue>): void {
  const arch = metadata.get('general.architecture');
  if (arch === undefined) {
    const part = metadata.get('split.no');
    const parts = metadata.get('split.count');
    if (typeof part === 'number' && typeof parts === 'number' && part > 0) {
      throw new GgufError(`part ${part + 1} of ${parts} of a split model; open the first part`);
    }
    throw new GgufError('missing general.architecture');
  }
  if (typeof arch !== 'string') throw new GgufError('general.architecture is not a string');
  if (!SUPPORTED_ARCHITECTURES.has(arch)) throw new GgufError(`unsupported architecture ${printable(arch)}`);
}

/** A later part of a split model: its own split.* keys and tensor infos, no model to summarise. */
export type GgufPartHeader = Omit<GgufHeader, 'summary'>;

/** Reads a later part of a split model (native/gguf/split.ts checks it belongs to the first). */
export async function readGgufHeader(path: string, options: ReadGgufOptions & { laterPart: true }): Promise<GgufPartHeader>;
/** Reads and checks the header of a GGUF file. Throws GgufError with a `reason` when the file cannot be used. */
export async function readGgufHeader(path: string, options?: ReadGgufOptions): Promise<GgufHeader>;
export async function readGgufHeader(path: string, options: ReadGgufOptions & { laterPart?: boolean } = {}): Promise<GgufHeader | GgufPartHeader> {
  const keep = options.maxArrayValues ?? 256;
  const st = await stat(path);
  if (!st.isFile()) throw new GgufError('not a regular file', path);
  const fh = await open(path, 'r');
  try {
    const c = new FileCursor(fh, st.size);
    if (st.size < 4) throw new GgufError(`not a GGUF file (only ${st.size} bytes)`);
    await c.need(4);
    if (c.u32() !== GGUF_MAGIC) throw new GgufError('not a GGUF file (bad magic)');
    c.what = 'the GGUF header';
    await c.need(4);
    const version = c.u32();
    if ((version & 0xffff) === 0 && version !== 0) throw new GgufError(`GGUF version ${version} looks byte-swapped (big-endian file?)`);
    if (version !== 2 && version !== 3) throw new GgufError(`unsupported GGUF version ${version} (need 2 or 3)`);
    const tensorCount = await c.safeU64('tensor count');
    const kvCount = await c.safeU64('metadata count');
    if (tensorCount * MIN_TENSOR_INFO_BYTES + kvCount * MIN_KV_BYTES > c.remaining) {
      throw new GgufError(`absurd counts: ${tensorCount} tensors and ${kvCount} metadata entries cannot fit in a file of ${st.size} bytes (corrupt or truncated)`);
    }
    const metadata = new Map<string, GgufReadValue>();
    const metadataTypes = new Map<string, GgufTypeName>();
    await readMetadata(c, kvCount, keep, { metadata, metadataTypes });
    const alignment = checkAlignment({ metadata, metadataTypes });
    if (!options.laterPart) checkArchitecture(metadata);

    const names = new Set<string>();
    const raw = [];
    for (let i = 0; i < tensorCount; i++) raw.push(await readTensorInfo(c, i, names));
    const dataOffset = tensorCount > 0 ? alignUp(c.pos, alignment) : c.pos;
    if (dataOffset > st.size) throw new GgufError(`truncated: tensor data starts at ${dataOffset} but file is ${st.size} bytes`);
    let expected = 0;
    let dataEnd = dataOffset;
    const tensors: GgufTensorInfo[] = raw.map(({ offset, ...t }) => {
      if (offset !== expected) throw new GgufError(`tensor ${printable(t.name)} has data offset ${offset}, expected ${expected}`);
      // llama.cpp maps the file and asserts each tensor's data starts at a 32-byte boundary.
      if ((dataOffset + offset) % TENSOR_DATA_ALIGNMENT !== 0) {
        throw new GgufError(`tensor ${printable(t.name)} data at file offset ${dataOffset + offset} is not ${TENSOR_DATA_ALIGNMENT}-byte aligned (general.alignment ${alignment})`);
      }
      expected += alignUp(t.bytes, alignment);
      dataEnd = dataOffset + offset + t.bytes;
      return { ...t, fileOffset: dataOffset + offset };
    });
    if (dataEnd > st.size) throw new GgufError(`truncated: tensor data ends at ${dataEnd} but file is ${st.size} bytes`);
    if (options.laterPart) return { path, version, alignment, fileSize: st.size, dataOffset, dataEnd, metadata, metadataTypes, tensors };
    const summary = summarizeGguf(metadata, tensors, st.size);
    if (!options.structureOnly) validateModel({ metadata, metadataTypes, tensors });
    return { path, version, alignment, fileSize: st.size, dataOffset, dataEnd, metadata, metadataTypes, tensors, summary };
  } catch (e) {
    if (e instanceof GgufError && !e.message.startsWith(path)) throw new GgufError(e.reason, path);
    throw e;
  } finally {
    await fh.close();
  }
}
