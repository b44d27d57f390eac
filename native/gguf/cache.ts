// A cache folder of synthetic models: each is generated once, under a name made from its options.

import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GgufError } from './errors.js';
import { readGgufHeader } from './reader.js';
import { resolveSynthOptions, writeSyntheticModel, type SynthOptions } from './synth.js';

/** Bumped whenever the synthetic file format changes, so old cached files are not reused. */
export const SYNTH_FORMAT_VERSION = 1;

export type SyntheticModelOptions = Omit<SynthOptions, 'out'>;

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** `$QWEN2_DESK_CACHE/models`, else `<project>/.cache/models`. */
export function modelCacheDir(): string {
  const base = process.env.QWEN2_DESK_CACHE || join(projectRoot(), '.cache');
  return join(base, 'models');
}

/** The cache file name for a set of options (defaults filled in). */
export function syntheticModelFileName(opts: SyntheticModelOptions): string {
  const { shape, type, seed, contextLength } = resolveSynthOptions(opts);
  return `synth-v${SYNTH_FORMAT_VERSION}-${shape.preset}-${shape.arch}-${type}-l${shape.layers}-s${seed}-c${contextLength}.gguf`;
}

async function isUsable(path: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  try {
    await readGgufHeader(path);
    return true;
  } catch (e) {
    if (e instanceof GgufError) return false;
    throw e;
  }
}

/** Removes temporary files of this model left by writers that were killed (older than 10 minutes). */
async function removeStaleTemps(path: string): Promise<void> {
  const prefix = `${basename(path)}.`;
  for (const name of await readdir(dirname(path))) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const temp = join(dirname(path), name);
    const age = Date.now() - (await stat(temp).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > 10 * 60_000) await rm(temp, { force: true });
  }
}

const inFlight = new Map<string, Promise<string>>();

/**
 * The path of a synthetic model in the cache, written first if missing (or unreadable). Files appear
 * only through a rename of a finished temporary file, so an interrupted write leaves no bad model.
 */
export function ensureSyntheticModel(opts: SyntheticModelOptions): Promise<string> {
  const path = join(modelCacheDir(), syntheticModelFileName(opts));
  let job = inFlight.get(path);
  if (!job) {
    job = (async () => {
      if (await isUsable(path)) return path;
      await mkdir(dirname(path), { recursive: true });
      await removeStaleTemps(path);
      await writeSyntheticModel({ ...opts, out: path });
      return path;
    })().finally(() => inFlight.delete(path));
    inFlight.set(path, job);
  }
  return job;
}
