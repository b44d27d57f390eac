// Proves a DOCX's ZIP archive honest before anything unpacks it. yauzl reads the central directory;
// every entry is then inflated once as a stream (nothing kept) and its real size counted, so a zip
// bomb is refused by what it really expands to, and a damaged or truncated file is called damaged,
// not a bomb: a flipped byte in a size field or in the compressed data is not an attack.
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { extractError, formatMB, MB } from './errors.js';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
}

export interface ZipLimits {
  /** Bytes the archive may grow by when unpacked (uncompressed minus compressed, summed). */
  maxExpansion: number;
  /** Largest uncompressed/compressed ratio of an entry over 1 MB. */
  maxRatio: number;
  maxEntries: number;
}

export const DOCX_LIMITS: ZipLimits = { maxExpansion: 100 * MB, maxRatio: 100, maxEntries: 10_000 };

/** Reads the directory, then inflates every entry with the limits as a hard cap; returns the entries. */
export async function checkZip(name: string, bytes: Uint8Array, limits: ZipLimits = DOCX_LIMITS): Promise<ZipEntry[]> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 4 || buf[0] !== 0x50 || buf[1] !== 0x4b) {
    throw extractError('corrupt', name, 'it is not a DOCX file (it is not a ZIP archive)');
  }
  const unreadable = () => extractError('corrupt', name, 'the DOCX is damaged or truncated: its ZIP directory cannot be read');
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, validateEntrySizes: false, strictFileNames: false, decodeStrings: true });
  } catch {
    throw unreadable();
  }
  const entries: Array<{ entry: yauzl.Entry; info: ZipEntry }> = [];
  try {
    for await (const entry of zip.eachEntry()) {
      // Counted as they are read: a damaged count field fails on the next header, not here.
      if (entries.length >= limits.maxEntries) {
        throw extractError('zip_bomb', name, `it looks like a zip bomb (over ${limits.maxEntries} entries; a document has far fewer)`);
      }
      entries.push({ entry, info: { name: entry.fileName, method: entry.compressionMethod, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize } });
    }
  } catch (error) {
    zip.close();
    if ((error as { reason?: string }).reason === 'zip_bomb') throw error;
    throw unreadable();
  }
  try {
    const budget = { expansion: 0 };
    for (const { entry, info } of entries) await verifyEntry(name, zip, entry, info, limits, budget);
  } finally {
    zip.close();
  }
  return entries.map((e) => e.info);
}

/** Inflates one entry, counting; stops as soon as what it really expands to crosses a limit. */
async function verifyEntry(name: string, zip: yauzl.ZipFile, entry: yauzl.Entry, e: ZipEntry, limits: ZipLimits, budget: { expansion: number }): Promise<void> {
  const damaged = (why: string) => extractError('corrupt', name, `the DOCX is damaged: ${why}`);
  if (e.method !== 0 && e.method !== 8) throw damaged(`"${e.name}" uses an unsupported compression method (${e.method})`);
  if (entry.isEncrypted()) throw damaged(`"${e.name}" is encrypted`);
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw damaged(`"${e.name}" cannot be unpacked (${(error as Error).message})`);
  }
  const compressed = Math.max(1, e.compressedSize);
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > MB && size / compressed > limits.maxRatio) {
        if (size > e.uncompressedSize) throw extractError('zip_bomb', name, `it looks like a zip bomb: "${e.name}" expands beyond its declared size`);
        throw extractError('zip_bomb', name, `it looks like a zip bomb: "${e.name}" would expand from ${formatMB(e.compressedSize)} to ` +
          `${formatMB(e.uncompressedSize)} (${Math.round(e.uncompressedSize / compressed)}:1; the limit is ${limits.maxRatio}:1)`);
      }
      if (budget.expansion + Math.max(0, size - e.compressedSize) > limits.maxExpansion) {
        throw extractError('zip_bomb', name, `it looks like a zip bomb: it would expand by more than ${formatMB(limits.maxExpansion)}, the limit`);
      }
    }
  } catch (error) {
    if ((error as { reason?: string }).reason) throw error;
    throw damaged(`"${e.name}" cannot be unpacked (${(error as Error).message})`);
  } finally {
    stream.destroy();
  }
  if (size !== e.uncompressedSize) throw damaged(`"${e.name}" unpacks to ${size} bytes, not the ${e.uncompressedSize} it declares`);
  budget.expansion += Math.max(0, size - e.compressedSize);
}

/** One entry's contents (after checkZip has proved the archive), or null when there is none. */
export async function readEntry(bytes: Uint8Array, entryName: string): Promise<Buffer | null> {
  const zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, validateEntrySizes: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== entryName) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    }
    return null;
  } finally {
    zip.close();
  }
}
