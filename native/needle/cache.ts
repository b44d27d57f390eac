// The needle models as GGUF files in the model cache, written from the committed weights once; the
// file name carries a hash of the weights, so new weights give a new file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelCacheDir } from '../gguf/cache.js';
import { writeNeedleModel } from './expand.js';
import { needleWeightsFile, type NeedleArch } from './weights.js';

const inFlight = new Map<string, Promise<string>>();

/** The trained model, or with `randomSeed` one of the same shape with pseudo-random weights. */
export function ensureNeedleModel(arch: NeedleArch, randomSeed?: number): Promise<string> {
  const weights = needleWeightsFile(arch);
  const hash = createHash('sha256').update(readFileSync(weights)).digest('hex').slice(0, 12);
  const path = join(modelCacheDir(), `needle-${arch}-${hash}${randomSeed === undefined ? '' : `-random${randomSeed}`}-f16.gguf`);
  let job = inFlight.get(path);
  if (!job) {
    job = (async () => {
      if (existsSync(path)) return path;
      mkdirSync(modelCacheDir(), { recursive: true });
      await writeNeedleModel({ arch, out: path, weights, randomSeed });
      return path;
    })().finally(() => inFlight.delete(path));
    inFlight.set(path, job);
  }
  return job;
}
