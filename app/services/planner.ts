// Plans whether a model fits this machine before anything is loaded: the GGUF header (read in JS)
// gives the shapes and tensor sizes, the engine's probe gives the backend and free RAM/VRAM, and
// native/engine/main/memory-plan.ts does the arithmetic.
import os from 'node:os';
import { AppError, type FitPlan, type KvCacheType, type SystemResources } from '../contract.js';
import { GgufError } from '../../native/gguf/errors.js';
import { readGgufModel } from '../../native/gguf/split.js';
import { planFit } from '../../native/engine/main/memory-plan.js';
import type { PlanSummary, PlanTensor } from '../../native/engine/main/memory-sizes.js';
import { extendedContextFor, yarnFor } from '../../native/engine/shared/long-context.js';
import type { Engine, EngineProbe } from '../engine.js';

export const DEFAULT_KV_TYPE: KvCacheType = 'f16';
/** Flash attention keeps llama.cpp's compute buffer flat (~300 MiB) whatever the context. */
export const DEFAULT_FLASH_ATTENTION = true;
const PROBE_TTL_MS = 10_000;

export interface PlanRequest {
  contextSize: number;
  kvType?: KvCacheType;
  flashAttention?: boolean;
}

export interface ModelShapeForPlan {
  summary: PlanSummary;
  tensors: readonly PlanTensor[];
}

export class FitPlanner {
  private probed: { at: number; probe: Promise<EngineProbe> } | null = null;

  constructor(private readonly engine: Pick<Engine, 'probe'>) {}

  /** Backend and free memory, from the engine process (cached for a few seconds). */
  probe(): Promise<EngineProbe> {
    const now = Date.now();
    if (!this.probed || now - this.probed.at > PROBE_TTL_MS) {
      const probe = this.engine.probe();
      this.probed = { at: now, probe };
      probe.catch(() => (this.probed = null));
    }
    return this.probed.probe;
  }

  /** The machine's resources; core.ts adds the memory speed (machine-speed.ts). */
  async resources(): Promise<Omit<SystemResources, 'speed'>> {
    const p = await this.probe();
    return { backend: p.backend, gpus: p.gpus, totalRam: p.totalRam, freeRam: p.freeRam, cpuCores: os.availableParallelism() };
  }

  /**
   * Shapes and tensor sizes of a model on disk. A split model is one model: its shape comes from
   * part 1's metadata (later parts hold only split.* keys), its tensors are those of every part.
   */
  async shapeOf(parts: readonly string[]): Promise<ModelShapeForPlan> {
    try {
      const model = await readGgufModel(parts);
      return { summary: model.summary, tensors: model.tensors };
    } catch (error) {
      if (error instanceof GgufError) throw new AppError('invalid_request', `The model cannot be planned: ${error.message}`);
      throw error;
    }
  }

  async plan(shape: ModelShapeForPlan, req: PlanRequest): Promise<FitPlan> {
    const probe = await this.probe();
    const kvType = req.kvType ?? DEFAULT_KV_TYPE;
    const flashAttention = req.flashAttention ?? DEFAULT_FLASH_ATTENTION;
    const plan = planFit({
      summary: shape.summary,
      tensors: shape.tensors,
      contextSize: req.contextSize,
      kvType,
      flashAttention,
      backend: probe.backend,
      freeRamBytes: probe.freeRam,
      freeVramBytes: probe.gpus.reduce((sum, g) => sum + g.freeVram, 0),
      totalRamBytes: probe.totalRam,
      cpuWeightLayout: probe.cpuWeightLayout,
    });
    const extendedContext = extendedContextFor(shape.summary);
    const yarn = yarnFor(req.contextSize, shape.summary.contextLength);
    const tooLong = req.contextSize > extendedContext;
    const explanation = tooLong
      ? `This model reads at most ${extendedContext.toLocaleString('en-US')} tokens (its extended context).`
      : (plan.unsupported ?? plan.explanation);
    return {
      contextSize: req.contextSize,
      kvType,
      flashAttention,
      backend: probe.backend,
      weightsBytes: plan.weightsBytes,
      kvCacheBytes: plan.kvCacheBytes,
      computeBytes: plan.computeBytes + plan.overheadBytes,
      totalBytes: plan.totalBytes,
      verdict: plan.unsupported || tooLong ? 'does-not-fit' : plan.verdict,
      gpuLayers: plan.gpuLayers,
      maxContext: plan.maxContext,
      extendedContext,
      yarn: yarn ? { factor: Number(yarn.factor.toFixed(6)), originalContext: yarn.originalContext } : null,
      explanation,
    };
  }
}

/** The refusal for a context that does not fit, naming the largest one that would. */
export function refusalFor(plan: FitPlan, modelName: string): AppError {
  const gib = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GiB`;
  const largest = plan.maxContext > 0 ? `the largest context that fits is ${plan.maxContext.toLocaleString('en-US')} tokens` : 'no context fits';
  return new AppError(
    'failed',
    `${modelName} with a ${plan.contextSize.toLocaleString('en-US')}-token context needs about ${gib(plan.totalBytes)} and does not fit in memory here: ${largest}. (${plan.explanation})`,
  );
}
