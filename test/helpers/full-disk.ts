// A real small disk for full-disk tests: a tmpfs mounted for the test (root only; the test is skipped
// with the reason elsewhere), filled up with a filler file at the moment the test chooses and freed
// again, and the real core started with its data folder on it (the model is referenced where it is
// cached, outside the small disk).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { AppEvent } from '../../app/contract.js';
import { createCore, type Core, type CoreOptions } from '../../app/core.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';

export interface SmallDisk {
  dir: string;
  /** Writes to the filler file until the disk has no byte left (again, after space was freed). */
  fill(): void;
  /** Deletes the filler file. */
  free(): void;
  /** Unmounts (call in after()). */
  unmount(): void;
}

/** Mounts a tmpfs of `size` (e.g. '16m'); null (and the test skipped, saying why) where mounting is not permitted. */
export function mountSmallDisk(t: TestContext, size: string): SmallDisk | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-full-disk-'));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    t.skip(`cannot mount a ${size} tmpfs to fill up (${(mount.stderr || mount.error?.message || '').trim()}); needs root`);
    return null;
  }
  const filler = path.join(dir, 'filler.bin');
  return {
    dir,
    fill() {
      const fd = fs.openSync(filler, 'a');
      try {
        for (const size of [1024 * 1024, 64 * 1024, 4096, 512, 1]) {
          const chunk = Buffer.alloc(size, 1);
          try {
            for (;;) fs.writeSync(fd, chunk);
          } catch (error) {
            if ((error as { code?: string }).code !== 'ENOSPC') throw error;
          }
        }
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    unmount() {
      spawnSync('umount', ['-l', dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The tiny synthetic model, cached outside the small disk. */
export const tinyModel = (): Promise<string> => ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 });

export interface DiskCore {
  core: Core;
  events: AppEvent[];
  modelPath: string;
  call(method: string, params: unknown): Promise<any>;
  /** "code: message" of a call that must fail. */
  failure(method: string, params: unknown): Promise<string>;
  /** Resolves when an event matching `match` has arrived (also one that arrived before). */
  event<E extends AppEvent>(match: (e: AppEvent) => e is E, what: string, timeoutMs?: number): Promise<E>;
}

export async function startDiskCore(dataDir: string, extra: Partial<CoreOptions> = {}): Promise<DiskCore> {
  const core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1, ...extra });
  const events: AppEvent[] = [];
  core.onEvent((e) => events.push(e));
  const call = async (method: string, params: unknown) => {
    const r = await core.handle(method, params);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.result as any;
  };
  return {
    core, events, call, modelPath: await tinyModel(),
    async failure(method, params) {
      const r = await core.handle(method, params);
      if (r.ok) throw new Error(`${method} was expected to fail but returned ${JSON.stringify(r.result).slice(0, 200)}`);
      return `${r.error.code}: ${r.error.message}`;
    },
    event(match, what, timeoutMs = 20_000) {
      return waitFor(() => events.find(match), what, timeoutMs) as Promise<any>;
    },
  };
}

/** Polls `probe` until it returns something (not undefined/false); fails saying `what` after timeoutMs. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
