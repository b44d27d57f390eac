// Reads a ZIP archive's central directory and proves it honest before anything unpacks it: a DOCX
// that would expand beyond the limits (a zip bomb) is refused, and every entry is inflated once
// with its declared size as a hard cap, so a directory that lies cannot slip through either.
import { inflateRawSync } from 'node:zlib';
import { extractError, formatMB, MB } from './errors.js';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

export interface ZipLimits {
  /** Bytes the archive may grow by when unpacked (uncompressed minus compressed, summed). */
  maxExpansion: number;
  /** Largest uncompressed/compressed ratio of an entry over 1 MB. */
  maxRatio: number;
  maxEntries: number;
}

export const DOCX_LIMITS: ZipLimits = { maxExpansion: 100 * MB, maxRatio: 100, maxEntries: 10_000 };

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function readCentralDirectory(name: string, bytes: Uint8Array): ZipEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (why: string) => extractError('corrupt', name, `the file is damaged (${why})`);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw extractError('corrupt', name, 'it is not a DOCX file (it is not a ZIP archive)');
  let count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== ZIP64_LOCATOR) throw corrupt('bad ZIP64 locator');
    const z64 = safeNumber(buf.readBigUInt64LE(locator + 8));
    if (z64 + 56 > buf.length || buf.readUInt32LE(z64) !== ZIP64_EOCD) throw corrupt('bad ZIP64 directory');
    count = safeNumber(buf.readBigUInt64LE(z64 + 32));
    offset = safeNumber(buf.readBigUInt64LE(z64 + 48));
  }
  if (count > DOCX_LIMITS.maxEntries) {
    throw extractError('zip_bomb', name, `it looks like a zip bomb (${count} entries; a document has far fewer)`);
  }
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw corrupt('bad central directory');
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const entry: ZipEntry = {
      name: buf.toString('utf8', p + 46, p + 46 + nameLength),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    };
    applyZip64Extra(entry, buf.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    entries.push(entry);
    p += 46 + nameLength + extraLength + buf.readUInt16LE(p + 32);
  }
  return entries;
}

/** Refuses an archive that would expand too far; then inflates each entry with its size as a cap. */
export function checkZip(name: string, bytes: Uint8Array, limits: ZipLimits = DOCX_LIMITS): ZipEntry[] {
  const entries = readCentralDirectory(name, bytes);
  let expansion = 0;
  for (const e of entries) {
    expansion += Math.max(0, e.uncompressedSize - e.compressedSize);
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (e.uncompressedSize > MB && ratio > limits.maxRatio) {
      throw extractError('zip_bomb', name, `it looks like a zip bomb: "${e.name}" would expand from ${formatMB(e.compressedSize)} to ` +
        `${formatMB(e.uncompressedSize)} (${Math.round(ratio)}:1; the limit is ${limits.maxRatio}:1)`);
    }
  }
  if (expansion > limits.maxExpansion) {
    throw extractError('zip_bomb', name, `it looks like a zip bomb: it would expand by ${formatMB(expansion)}; the limit is ${formatMB(limits.maxExpansion)}`);
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const e of entries) verifyEntry(name, buf, e);
  return entries;
}

function verifyEntry(name: string, buf: Buffer, e: ZipEntry): void {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL) throw extractError('corrupt', name, `the file is damaged (entry "${e.name}")`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (data.length !== e.compressedSize) throw extractError('corrupt', name, `the file is truncated (entry "${e.name}")`);
  let size: number;
  if (e.method === 0) size = data.length;
  else if (e.method === 8) {
    try {
      size = inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) }).length;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw extractError('zip_bomb', name, `it looks like a zip bomb: "${e.name}" expands beyond its declared size`);
      }
      throw extractError('corrupt', name, `the file is damaged (entry "${e.name}": ${(error as Error).message})`);
    }
  } else throw extractError('corrupt', name, `entry "${e.name}" uses an unsupported compression method (${e.method})`);
  if (size !== e.uncompressedSize) {
    throw extractError('corrupt', name, `the file is damaged (entry "${e.name}" is ${size} bytes, not the ${e.uncompressedSize} it declares)`);
  }
}

function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i);
    const size = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      let q = i + 4;
      const next = () => (q + 8 <= i + 4 + size ? safeNumber(extra.readBigUInt64LE((q += 8) - 8)) : undefined);
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next() ?? entry.uncompressedSize;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localOffset === 0xffffffff) entry.localOffset = next() ?? entry.localOffset;
    }
    i += 4 + size;
  }
}

function safeNumber(n: bigint): number {
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}
