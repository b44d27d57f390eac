// The saved context states of conversations with documents (`<dataDir>/state/<conversationId>.bin`
// + .json, written by the engine after each answer; see native/engine/process/session-state.ts). Here: the
// file and the key for a conversation, deleting a conversation's state when its documents change,
// and keeping the folder bounded (the oldest states go first beyond maxFiles or maxBytes).
import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { KvCacheType } from '../../contract.js';

export interface StateLimits {
  /** Default 8. */
  maxFiles?: number;
  /** Default 16 GiB (one 7B conversation at 128K tokens of f16 cache takes about 7 GiB). */
  maxBytes?: number;
}

export interface StateKeyInput {
  modelPath: string;
  contextSize: number;
  kvType: KvCacheType;
  flashAttention: boolean;
  documents: ReadonlyArray<{ id: string; sha256: string }>;
}

const DEFAULT_MAX_FILES = 8;
const DEFAULT_MAX_BYTES = 16 * 1024 ** 3;
/** Temporary files older than this were left by an engine that was killed while writing. */
const STALE_MS = 10 * 60_000;

export class StateFiles {
  constructor(
    readonly dir: string,
    private readonly limits: StateLimits = {},
  ) {}

  fileFor(conversationId: string): string {
    const safe = /^[\w-]{1,64}$/.test(conversationId) ? conversationId : createHash('sha256').update(conversationId).digest('hex');
    return path.join(this.dir, `${safe}.bin`);
  }

  /** What a state is valid for: the model file as it is on disk, the load settings, the documents in order. */
  async keyFor(input: StateKeyInput): Promise<string> {
    const info = await stat(input.modelPath);
    return JSON.stringify({
      model: { path: input.modelPath, size: info.size, mtimeMs: Math.round(info.mtimeMs) },
      contextSize: input.contextSize,
      kvType: input.kvType,
      flashAttention: input.flashAttention,
      documents: input.documents.map((d) => [d.id, d.sha256]),
    });
  }

  /** Deletes a conversation's state (its documents or the conversation changed). */
  async invalidate(conversationId: string): Promise<void> {
    const file = this.fileFor(conversationId);
    const base = file.replace(/\.bin$/, '');
    await Promise.all([file, `${base}.json`, `${file}.loading`, `${file}.tmp`, `${base}.json.tmp`].map((f) => rm(f, { force: true })));
  }

  /** Keeps the newest states within the limits; removes temporary files left by a killed engine. Returns what was deleted. */
  async prune(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const now = Date.now();
    const deleted: string[] = [];
    const states: Array<{ base: string; bytes: number; mtimeMs: number }> = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      const info = await stat(file).catch(() => null);
      if (!info) continue;
      if (/\.(tmp|loading)$/.test(name)) {
        if (now - info.mtimeMs > STALE_MS) {
          await rm(file, { force: true });
          deleted.push(file);
        }
      } else if (name.endsWith('.bin')) {
        const meta = await stat(file.replace(/\.bin$/, '.json')).catch(() => null);
        states.push({ base: file.replace(/\.bin$/, ''), bytes: info.size + (meta?.size ?? 0), mtimeMs: info.mtimeMs });
      }
    }
    states.sort((a, b) => b.mtimeMs - a.mtimeMs);
    const maxFiles = this.limits.maxFiles ?? DEFAULT_MAX_FILES;
    const maxBytes = this.limits.maxBytes ?? DEFAULT_MAX_BYTES;
    let total = 0;
    for (const [i, s] of states.entries()) {
      total += s.bytes;
      if (i < maxFiles && total <= maxBytes) continue;
      await Promise.all([rm(`${s.base}.bin`, { force: true }), rm(`${s.base}.json`, { force: true })]);
      deleted.push(`${s.base}.bin`);
    }
    return deleted;
  }
}
