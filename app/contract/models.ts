// The model manager: the library of model files, their headers and defaults, the fit planner,
// this machine's resources, and the catalogue of Qwen2 files to download with its recommendation.
import { z } from 'zod';
import type { GgufSummary } from '../../native/gguf/summary.js';
import { Id, NoParams, Sampling } from './common.js';
import { method, returns } from './method.js';

export interface ModelFile {
  path: string;
  name: string;
  sizeBytes: number;
  /** From the GGUF header: 'qwen2' | 'qwen2moe'; null when the file was rejected. */
  architecture: string | null;
  /** Why the file cannot be used, or null when it can. */
  problem: string | null;
}

export const KvCacheType = z.enum(['f16', 'q8_0', 'q4_0']);
export type KvCacheType = z.infer<typeof KvCacheType>;

/** Per-model defaults, used for every chat with that model unless a conversation overrides them. */
export const ModelDefaults = z
  .object({
    contextSize: z.number().int().min(512).max(131072),
    systemPrompt: z.string().max(100_000),
    sampling: Sampling,
    kvType: KvCacheType,
    flashAttention: z.boolean(),
  })
  .partial()
  .strict();
export type ModelDefaults = z.infer<typeof ModelDefaults>;

/**
 * What the GGUF header says, read in JS without loading the model: the header's summary
 * (native/gguf/summary.ts) without the fields only the loader needs, and with the size of all the
 * model's files (`sizeBytes`; a split model: every part).
 */
export type ModelSummary = Omit<GgufSummary, 'fileType' | 'vocabSize'>;

export interface LibraryModel extends ModelFile {
  id: string;
  /** folder: found in the models folder; copied/downloaded: put there by the app; referenced: used where it is. */
  source: 'folder' | 'copied' | 'downloaded' | 'referenced';
  labels: string[];
  defaults: ModelDefaults;
  summary: ModelSummary | null;
  /** Every file of a split model, first part first (one entry otherwise). */
  parts: string[];
  addedAt: number;
  /** True while the engine has this model loaded (it cannot be deleted then). */
  loaded: boolean;
}

export type FitVerdict = 'gpu' | 'split' | 'cpu' | 'does-not-fit';

export interface FitPlan {
  contextSize: number;
  kvType: KvCacheType;
  flashAttention: boolean;
  backend: string;
  weightsBytes: number;
  kvCacheBytes: number;
  computeBytes: number;
  totalBytes: number;
  verdict: FitVerdict;
  gpuLayers: number;
  /** The largest context that fits here, up to the model's extended context. */
  maxContext: number;
  /** The model's extended context (with YaRN where the model supports it). */
  extendedContext: number;
  /** YaRN is applied only above the native 32K. */
  yarn: { factor: number; originalContext: number } | null;
  explanation: string;
}

export interface SystemResources {
  backend: string;
  gpus: Array<{ name: string; totalVram: number; freeVram: number }>;
  totalRam: number;
  freeRam: number;
  cpuCores: number;
  /** How fast this computer reads memory, the basis of the recommendation's speed estimate. */
  speed: MachineSpeed;
}

/** Memory bandwidth figures (bytes/s), each an estimate, with how it was obtained. */
export interface MachineSpeed {
  cpuBandwidth: number;
  /** copy-probe: the best of a few timed copies of `cpuProbeBytes` in memory, once per machine. */
  cpuMethod: 'copy-probe';
  cpuProbeBytes: number;
  cpuMeasuredAt: number;
  gpuBandwidth: number | null;
  /** gpu-model: the card's published memory speed; assumed: an unknown card; null without a GPU. */
  gpuMethod: 'gpu-model' | 'assumed' | null;
  /** The slowest answer speed the recommendation accepts, tokens/s. */
  minTokensPerSecond: number;
}

/** The one file this computer should start with, and why. */
export interface Recommendation {
  fileName: string;
  quant: string;
  placement: 'gpu' | 'split' | 'cpu';
  /** The context it fits with room to spare (32K, else 8K) in the total memory. */
  contextSize: number;
  /** Estimated answer speed here (decode, from memory bandwidth). */
  tokensPerSecond: number;
  /** none; slow: nothing fits that reaches the minimum speed; low-bits: nothing of Q4 or better fits. */
  compromise: 'none' | 'slow' | 'low-bits';
}

export interface CatalogueFile {
  quant: string;
  /** The file name, or the first part of a split model. */
  fileName: string;
  parts: string[];
  sizeBytes: number;
  /** True when the size comes from the repository listing, false for an estimate. */
  sizeExact: boolean;
  uri: string;
  fit: FitPlan | null;
}

export interface CatalogueEntry {
  id: string;
  name: string;
  architecture: 'qwen2' | 'qwen2moe';
  parameters: number;
  activeParameters: number;
  nativeContext: number;
  extendedContext: number;
  repo: string;
  description: string;
  files: CatalogueFile[];
  /** The file this machine should start with: set on one entry at most. */
  recommendedFile: string | null;
  /** Why that file, and how fast it should answer (on the same entry as recommendedFile). */
  recommendation: Recommendation | null;
}

export const modelRequests = {
  'models.list': method(NoParams, returns<LibraryModel[]>()),
  /** Reads the models folder again and every file's header anew (its watch too); 'models.changed' follows. */
  'models.rescan': method(NoParams, returns<LibraryModel[]>()),
  /** Adds a GGUF from disk: 'copy' into the library folder, or 'reference' it where it is (default). */
  'models.add': method(
    z.object({ path: z.string().min(1).max(4096), mode: z.enum(['copy', 'reference']).optional() }).strict(),
    returns<LibraryModel>(),
  ),
  'models.inspect': method(z.object({ id: Id }).strict(), returns<LibraryModel>()),
  'models.update': method(
    z.object({ id: Id, labels: z.array(z.string().min(1).max(40)).max(20).optional(), defaults: ModelDefaults.optional() }).strict(),
    returns<LibraryModel>(),
  ),
  'models.delete': method(z.object({ id: Id, deleteFile: z.boolean().optional() }).strict(), returns<{ deleted: true }>()),
  'models.plan': method(
    z
      .object({ id: Id, contextSize: z.number().int().min(512).max(131072), kvType: KvCacheType.optional(), flashAttention: z.boolean().optional() })
      .strict(),
    returns<FitPlan>(),
  ),
  'catalogue.list': method(NoParams, returns<CatalogueEntry[]>()),
  'system.resources': method(NoParams, returns<SystemResources>()),
} as const;

export type ModelEvent =
  /** The library changed (added, removed, updated): refetch models.list. */
  { type: 'models.changed' };
