// Seeded, deterministic mutations of a valid GGUF file for fuzz tests: targeted changes of known
// fields (hyperparameters, alignment, value types, tensor dims / types / offsets / names, token
// strings), byte flips in the small parts of the header, and truncations. Only the header is held
// in memory; a mutant is written as its header followed by zeros up to its size (a sparse file).
import { open, readFile } from 'node:fs/promises';

export interface KvField {
  key: string;
  keyAt: number;
  typeAt: number;
  valueAt: number;
  type: number;
  end: number;
}

export interface TensorField {
  name: string;
  nameAt: number;
  nDimsAt: number;
  dimsAt: number[];
  dims: number[];
  typeAt: number;
  offsetAt: number;
}

export interface GgufIndex {
  kvs: KvField[];
  tensors: TensorField[];
  /** Offsets of each token string's length field in tokenizer.ggml.tokens. */
  tokenAt: number[];
  /** End of the tensor infos. */
  infoEnd: number;
}

export interface Mutant {
  label: string;
  header: Buffer;
  size: number;
}

const SCALAR_SIZE: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

/** Walks a valid GGUF header and records where each field is. */
export function indexGguf(b: Buffer): GgufIndex {
  let p = 8;
  const nTensors = Number(b.readBigUInt64LE(p));
  const nKv = Number(b.readBigUInt64LE(p + 8));
  p += 16;
  const str = (): string => {
    const n = Number(b.readBigUInt64LE(p));
    const s = b.toString('utf8', p + 8, p + 8 + n);
    p += 8 + n;
    return s;
  };
  const kvs: KvField[] = [];
  const tokenAt: number[] = [];
  for (let i = 0; i < nKv; i++) {
    const keyAt = p;
    const key = str();
    const typeAt = p;
    const type = b.readUInt32LE(p);
    p += 4;
    const valueAt = p;
    if (type === 8) str();
    else if (type === 9) {
      const itemType = b.readUInt32LE(p);
      const n = Number(b.readBigUInt64LE(p + 4));
      p += 12;
      if (itemType === 8) {
        for (let j = 0; j < n; j++) {
          if (key === 'tokenizer.ggml.tokens') tokenAt.push(p);
          str();
        }
      } else p += n * SCALAR_SIZE[itemType]!;
    } else p += SCALAR_SIZE[type]!;
    kvs.push({ key, keyAt, typeAt, valueAt, type, end: p });
  }
  const tensors: TensorField[] = [];
  for (let i = 0; i < nTensors; i++) {
    const nameAt = p;
    const name = str();
    const nDimsAt = p;
    const nDims = b.readUInt32LE(p);
    p += 4;
    const dimsAt: number[] = [];
    const dims: number[] = [];
    for (let j = 0; j < nDims; j++) {
      dimsAt.push(p);
      dims.push(Number(b.readBigInt64LE(p)));
      p += 8;
    }
    tensors.push({ name, nameAt, nDimsAt, dimsAt, dims, typeAt: p, offsetAt: p + 4 });
    p += 12;
  }
  return { kvs, tensors, tokenAt, infoEnd: p };
}

/** xorshift32: the same seed gives the same mutations on every run. */
export function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const U32 = [0, 1, 2, 3, 5, 7, 31, 1000, 65536, 0x7fffffff, 0x80000000, 0xffffffff];
const F32 = [-1e-6, -1, 0, NaN, Infinity, -Infinity, 1e38, 1e-45, 0.5, 1e6];
const ALIGN = [0, 1, 2, 3, 4, 8, 16, 24, 48, 64, 128, 4096, 0xffffffff];
const DIM = [0, 1, 2, 16, 31, 33, 63, 65, 96, 128, 256, 151935, 151937, 1 << 20];
const TYPES = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 14, 16, 20, 23, 24, 26, 30, 31, 34, 36, 39, 40, 41, 42, 43, 99, 0xffffffff];
const VALUE_TYPES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0xffffffff];

export class Mutator {
  readonly index: GgufIndex;
  private readonly small: [number, number][];
  private readonly numeric: KvField[];

  constructor(
    readonly header: Buffer,
    readonly size: number,
  ) {
    this.index = indexGguf(header);
    // The parts of the header outside the long token / merge arrays, where the model's facts are.
    const long = this.index.kvs.filter((k) => k.end - k.valueAt > 4096);
    const small: [number, number][] = [];
    let from = 0;
    for (const k of long) {
      small.push([from, k.valueAt]);
      from = k.end;
    }
    small.push([from, this.index.infoEnd]);
    this.small = small;
    this.numeric = this.index.kvs.filter((k) => [4, 5, 6, 7, 10].includes(k.type));
  }

  static async fromFile(path: string): Promise<Mutator> {
    const b = await readFile(path);
    const idx = indexGguf(b);
    const align = 32;
    const dataOffset = Math.ceil(idx.infoEnd / align) * align;
    return new Mutator(Buffer.from(b.subarray(0, dataOffset)), b.length);
  }

  private smallPos(r: (n: number) => number): number {
    const total = this.small.reduce((s, [a, z]) => s + z - a, 0);
    let at = r(total);
    for (const [a, z] of this.small) {
      if (at < z - a) return a + at;
      at -= z - a;
    }
    return 0;
  }

  private kv(key: string): KvField | undefined {
    return this.index.kvs.find((k) => k.key === key || k.key.endsWith(`.${key}`));
  }

  /** One mutant; `i` picks the kind of mutation so every kind appears in a run. */
  mutate(r: (n: number) => number, i: number): Mutant {
    const b = Buffer.from(this.header);
    const pick = <T>(xs: readonly T[]): T => xs[r(xs.length)]!;
    const { tensors, tokenAt } = this.index;
    const kind = i % 14;
    switch (kind) {
      case 0: {
        const k = pick(this.numeric);
        if (k.type === 6) b.writeFloatLE(pick(F32), k.valueAt);
        else if (k.type === 7) b[k.valueAt] = pick([0, 1, 2, 255]);
        else if (k.type === 10) b.writeBigUInt64LE(BigInt(pick(U32)), k.valueAt);
        else b.writeUInt32LE(pick(U32), k.valueAt);
        return { label: `${k.key} value`, header: b, size: this.size };
      }
      case 1: {
        const k = this.kv('general.alignment')!;
        const a = pick(ALIGN);
        b.writeUInt32LE(a, k.valueAt);
        return { label: `general.alignment ${a}`, header: b, size: this.size };
      }
      case 2: {
        const k = pick(this.index.kvs);
        const t = pick(VALUE_TYPES);
        b.writeUInt32LE(t, k.typeAt);
        return { label: `${k.key} type ${t}`, header: b, size: this.size };
      }
      case 3: {
        const t = pick(tensors);
        if (t.dimsAt.length === 0) return { label: 'no-op', header: b, size: this.size };
        const j = r(t.dimsAt.length);
        const d = pick([...DIM, t.dims[j]! * 2, Math.max(0, t.dims[j]! - 32), t.dims[j]! + 32]);
        b.writeBigInt64LE(BigInt(d), t.dimsAt[j]!);
        return { label: `${t.name} dim ${j} = ${d}`, header: b, size: this.size };
      }
      case 4: {
        const t = pick(tensors);
        const ty = pick(TYPES);
        b.writeUInt32LE(ty, t.typeAt);
        return { label: `${t.name} type ${ty}`, header: b, size: this.size };
      }
      case 5: {
        const t = pick(tensors);
        const o = Number(b.readBigUInt64LE(t.offsetAt));
        const v = pick([o + 1, o + 2, o + 32, Math.max(0, o - 32), 0, this.size, this.size * 4, 2 ** 40]);
        b.writeBigUInt64LE(BigInt(v), t.offsetAt);
        return { label: `${t.name} offset ${v}`, header: b, size: this.size };
      }
      case 6: {
        // A tensor name changed: another layer's, a missing one, or a control byte.
        const t = pick(tensors);
        const at = t.nameAt + 8 + r(t.name.length);
        b[at] = pick([0x30, 0x31, 0x39, 0x78, 0x00, 0x07, 0x1b, 0x7f, 0xff]);
        return { label: `${t.name} renamed`, header: b, size: this.size };
      }
      case 7: {
        // A key changed by one byte (a missing required key, an unknown key, a control byte).
        const k = pick(this.index.kvs);
        const at = k.keyAt + 8 + r(k.key.length);
        b[at] = pick([0x2e, 0x5f, 0x61, 0x00, 0x01, 0x0a, 0x1b, 0x7f, 0xc3]);
        return { label: `key ${k.key} changed`, header: b, size: this.size };
      }
      case 8: {
        // A token string changed by one byte: it may now equal another token.
        if (tokenAt.length === 0) return { label: 'no-op', header: b, size: this.size };
        const at = pick(tokenAt);
        const n = Number(b.readBigUInt64LE(at));
        if (n > 0) b[at + 8 + r(n)] = pick([0x61, 0x20, 0x30, 0x00, 0x0a, 0xff]);
        return { label: `token at ${at} changed`, header: b, size: this.size };
      }
      case 9: {
        // Truncated: in the header, in the tensor data, or just before the end.
        const cut = pick([r(this.header.length), this.header.length + r(this.size - this.header.length), this.size - 1 - r(64)]);
        return { label: `truncated at ${cut}`, header: b.subarray(0, Math.min(cut, b.length)), size: cut };
      }
      case 10: {
        const k = pick(this.index.kvs.filter((x) => x.type === 8 && x.end - x.valueAt < 4096));
        const n = Number(b.readBigUInt64LE(k.valueAt));
        if (n > 0) b[k.valueAt + 8 + r(n)] = pick([0x61, 0x00, 0x0a, 0x1b, 0xff]);
        return { label: `${k.key} string changed`, header: b, size: this.size };
      }
      case 11: {
        const n = 1 + r(6);
        for (let k = 0; k < n; k++) b[this.smallPos(r)] = r(256);
        return { label: `${n} random bytes`, header: b, size: this.size };
      }
      case 12: {
        // A tensor's dims count changed (the following fields shift).
        const t = pick(tensors);
        const n = pick([0, 1, 2, 3, 4, 5]);
        b.writeUInt32LE(n, t.nDimsAt);
        return { label: `${t.name} n_dims ${n}`, header: b, size: this.size };
      }
      default: {
        // A run of bytes deleted from or inserted into the small parts of the header.
        const at = this.smallPos(r);
        const len = 1 + r(16);
        const out =
          r(2) === 0
            ? Buffer.concat([b.subarray(0, at), b.subarray(at + len)])
            : Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: len }, () => r(256))), b.subarray(at)]);
        return { label: `${len} bytes moved at ${at}`, header: out, size: this.size + out.length - b.length };
      }
    }
  }

  /** A mutant with one field of the header set: `edit` gets the header copy and the index. */
  edited(label: string, edit: (b: Buffer, index: GgufIndex, kv: (key: string) => KvField) => void): Mutant {
    const b = Buffer.from(this.header);
    edit(b, this.index, (key) => {
      const k = this.kv(key);
      if (!k) throw new Error(`no key ${key}`);
      return k;
    });
    return { label, header: b, size: this.size };
  }
}

/** A GGUF key-value entry holding a u16 (as llama.cpp reads split.no and split.count). */
export function u16Entry(key: string, value: number): Buffer {
  const b = Buffer.alloc(8 + key.length + 4 + 2);
  b.writeBigUInt64LE(BigInt(key.length), 0);
  b.write(key, 8, 'latin1');
  b.writeUInt32LE(2, 8 + key.length);
  b.writeUInt16LE(value, 12 + key.length);
  return b;
}

/** The model with extra metadata entries (put first), its tensor data moved to stay 32-byte aligned. */
export function withEntries(m: Mutator, label: string, entries: Buffer[]): Mutant {
  const h = m.header;
  const counts = Buffer.from(h.subarray(0, 24));
  counts.writeBigUInt64LE(counts.readBigUInt64LE(16) + BigInt(entries.length), 16);
  const infos = Buffer.concat([counts, ...entries, h.subarray(24, m.index.infoEnd)]);
  const dataOffset = Math.ceil(infos.length / 32) * 32;
  const header = Buffer.concat([infos, Buffer.alloc(dataOffset - infos.length)]);
  return { label, header, size: dataOffset + (m.size - h.length) };
}

/** Writes a mutant: its header bytes, then zeros up to its size. */
export async function writeMutant(path: string, m: Mutant): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.write(m.header, 0, Math.min(m.header.length, m.size), 0);
    await fh.truncate(m.size);
  } finally {
    await fh.close();
  }
}
