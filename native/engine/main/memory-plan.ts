// The fit planner: where a Qwen2 model can run at a given context (GPU, split, CPU), how much
// memory it then needs, and the largest context that fits. Pure: no node-llama-cpp, no I/O, so the
// main process can plan before the engine loads anything (the engine's `probe` gives the free
// memory). The size of each part (KV cache, weights, compute buffer) is in memory-sizes.ts; what
// this file adds (llama.cpp as shipped in node-llama-cpp 3.21.1):
//
// Overhead  = what the engine process allocates besides llama.cpp's buffers when it loads a model
//             (node-llama-cpp's copy of the GGUF metadata and tokenizer, llama.cpp's vocabulary and
//             graph metadata, allocator slack): measured 180 to 232 MiB above the process's baseline
//             for models from 21 MiB to 2 GiB of weights, modelled as 180 MiB + 2.5 % of the weights.
//             Loading without mmap also stages each tensor that llama.cpp repacks through a buffer
//             of its size (llama-model-loader read_buf); the largest one counts until the context
//             is created, so the peak is weights + max(staging, KV + compute + output).
// GPU       = CUDA and Vulkan also need a context and library workspace outside llama.cpp's buffers;
//             assumed 350 MiB (CUDA) / 250 MiB (Vulkan) of VRAM, plus 5 % of the VRAM kept free.
//             Not measured (no GPU here): treat GPU verdicts as estimates.
import { extendedContextFor } from '../shared/long-context.js';
import type { CpuWeightLayout, KvType } from '../shared/types.js';
import { CELL_PAD, computeParts, kvCacheBytes, padCells, splitWeights, vocabOf, type PlanSummary, type PlanTensor, type WeightSplit } from './memory-sizes.js';

export type PlanBackend = 'cuda' | 'vulkan' | 'metal' | 'cpu';
export type FitVerdict = 'gpu' | 'split' | 'cpu' | 'does-not-fit';

export interface FitInput {
  summary: PlanSummary;
  tensors: readonly PlanTensor[];
  contextSize: number;
  kvType: KvType;
  flashAttention: boolean;
  backend: PlanBackend;
  freeRamBytes: number;
  freeVramBytes: number;
  totalRamBytes?: number;
  /** n_batch = n_ubatch; node-llama-cpp's default is min(512, context). */
  batchSize?: number;
  /** Default true, as node-llama-cpp loads models. */
  useMmap?: boolean;
  /** Default 'plain'. */
  cpuWeightLayout?: CpuWeightLayout;
}

/** The memory a load needs and where it runs; app/services/planner.ts turns it into the contract's FitPlan. */
export interface MemoryFit {
  /** Model weights in memory (RAM and VRAM together), after repacking and tied-output copies. */
  weightsBytes: number;
  kvCacheBytes: number;
  /** llama.cpp's compute buffers plus its logits output buffer. */
  computeBytes: number;
  /** Engine-process allocations besides llama.cpp's buffers, load-time staging and GPU runtime. */
  overheadBytes: number;
  /** Everything the plan needs: weights + KV + compute + overhead (RAM and VRAM together). */
  totalBytes: number;
  ramBytes: number;
  vramBytes: number;
  verdict: FitVerdict;
  /** llama.cpp's n_gpu_layers: the last N layers on the GPU; layers + 1 also puts the output there. */
  gpuLayers: number;
  /** The largest context (a multiple of 256, at most the model's extended context) that fits; 0 if none. */
  maxContext: number;
  /** The context llama.cpp will allocate: contextSize rounded up to 256. */
  contextCells: number;
  /** Why this combination cannot run at all, whatever the memory; null when it can. */
  unsupported: string | null;
  explanation: string;
}

const MiB = 1024 * 1024;
const FIXED_OVERHEAD = 180 * MiB;
const OVERHEAD_PER_WEIGHT_BYTE = 0.025;
const GPU_RUNTIME: Record<PlanBackend, number> = { cuda: 350 * MiB, vulkan: 250 * MiB, metal: 0, cpu: 0 };
const VRAM_HEADROOM = 0.05;

function problemsWith(s: PlanSummary, kvType: KvType, flashAttention: boolean): string | null {
  if (kvType === 'f16') return null;
  if (!flashAttention) return `a ${kvType} KV cache needs flash attention (llama.cpp quantizes the V cache only with it)`;
  if (s.headDim % 32 !== 0) return `a ${kvType} KV cache needs a head size divisible by 32 (this model's is ${s.headDim})`;
  return null;
}

interface Placement {
  weights: number;
  kv: number;
  compute: number;
  overhead: number;
  ram: number;
  vram: number;
}

interface Ctx {
  s: PlanSummary;
  tensors: readonly PlanTensor[];
  w: WeightSplit;
  kvType: KvType;
  flashAttention: boolean;
  backend: PlanBackend;
  batchSize: number;
  freeRam: number;
  freeVram: number;
  totalVramGuess: number;
}

/** Memory with the last `gpuLayers` layers on the GPU (layers + 1: also the output head). */
function place(c: Ctx, cells: number, gpuLayers: number): Placement {
  const { s, w } = c;
  const onGpu = (i: number) => i >= s.layers - Math.min(gpuLayers, s.layers);
  const outputOnGpu = gpuLayers > s.layers;
  let weightsRam = w.cpuFixed + (outputOnGpu ? 0 : w.outputCpu);
  let weightsVram = outputOnGpu ? w.outputGpu : 0;
  let gpuLayerCount = 0;
  for (let i = 0; i < s.layers; i++) {
    if (onGpu(i)) {
      weightsVram += w.layerGpu[i]!;
      gpuLayerCount++;
    } else weightsRam += w.layerCpu[i]!;
  }
  const kvRam = kvCacheBytes(s, cells, c.kvType, s.layers - gpuLayerCount);
  const kvVram = kvCacheBytes(s, cells, c.kvType, gpuLayerCount);
  const ubatch = Math.min(c.batchSize, cells);
  const parts = computeParts(s, c.tensors, cells, c.flashAttention);
  const logitsOut = vocabOf(s, c.tensors) * 4; // llama.cpp's output buffer: one row of logits
  let computeRam: number;
  let computeVram = 0;
  if (gpuLayerCount === 0 && !outputOnGpu) computeRam = ubatch * 4 * Math.max(parts.output, parts.attention);
  else if (outputOnGpu) {
    computeVram = ubatch * 4 * Math.max(parts.output, parts.attention);
    computeRam = ubatch * 4 * 2 * s.embedding; // host-side inputs of the graph
  } else {
    computeVram = ubatch * 4 * parts.attention;
    computeRam = ubatch * 4 * parts.output;
  }
  computeRam += logitsOut;
  const weights = weightsRam + weightsVram;
  const overheadRam = FIXED_OVERHEAD + OVERHEAD_PER_WEIGHT_BYTE * weights;
  const gpuRuntime = gpuLayers > 0 ? GPU_RUNTIME[c.backend] : 0;
  // Loading peaks with the staging buffer; it is freed before the context is allocated.
  const afterLoadRam = kvRam + computeRam;
  const stagingExtra = Math.max(0, w.staging - afterLoadRam);
  const ram = weightsRam + afterLoadRam + overheadRam + stagingExtra;
  const vram = weightsVram + kvVram + computeVram + gpuRuntime;
  return {
    weights,
    kv: kvRam + kvVram,
    compute: computeRam + computeVram,
    overhead: overheadRam + stagingExtra + gpuRuntime,
    ram,
    vram,
  };
}

const fitsRam = (c: Ctx, p: Placement) => p.ram <= c.freeRam;
const fitsVram = (c: Ctx, p: Placement) => p.vram <= c.freeVram - VRAM_HEADROOM * c.totalVramGuess;

/** The best placement at a context: all on the GPU, else as many layers as fit, else the CPU. */
function decide(c: Ctx, cells: number): { verdict: FitVerdict; gpuLayers: number; p: Placement } {
  const all = c.s.layers + 1;
  const cpu = place(c, cells, 0);
  if (c.backend === 'cpu' || c.freeVram <= 0) return { verdict: fitsRam(c, cpu) ? 'cpu' : 'does-not-fit', gpuLayers: 0, p: cpu };
  const full = place(c, cells, all);
  if (fitsVram(c, full) && fitsRam(c, full)) return { verdict: 'gpu', gpuLayers: all, p: full };
  // VRAM use grows with the number of offloaded layers: binary search for the most that fit.
  let lo = 0;
  let hi = c.s.layers;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fitsVram(c, place(c, cells, mid))) lo = mid;
    else hi = mid - 1;
  }
  if (lo > 0) {
    const split = place(c, cells, lo);
    if (fitsRam(c, split)) return { verdict: 'split', gpuLayers: lo, p: split };
  }
  return { verdict: fitsRam(c, cpu) ? 'cpu' : 'does-not-fit', gpuLayers: 0, p: cpu };
}

function gib(bytes: number): string {
  return bytes >= 1024 * MiB ? `${(bytes / (1024 * MiB)).toFixed(1)} GiB` : `${Math.round(bytes / MiB)} MiB`;
}

export function planFit(input: FitInput): MemoryFit {
  const s = input.summary;
  if (!Number.isFinite(input.contextSize) || input.contextSize < 1) throw new RangeError('contextSize must be a positive number');
  const c: Ctx = {
    s,
    tensors: input.tensors,
    w: splitWeights(s, input.tensors, input.cpuWeightLayout ?? 'plain', input.useMmap ?? true),
    kvType: input.kvType,
    flashAttention: input.flashAttention,
    backend: input.backend,
    batchSize: input.batchSize ?? 512,
    freeRam: Math.max(0, input.freeRamBytes),
    freeVram: input.backend === 'cpu' ? 0 : Math.max(0, input.freeVramBytes),
    totalVramGuess: input.backend === 'cpu' ? 0 : Math.max(0, input.freeVramBytes),
  };
  const cells = padCells(input.contextSize);
  const extended = extendedContextFor(s);
  const unsupported = problemsWith(s, input.kvType, input.flashAttention);
  const { verdict, gpuLayers, p } = decide(c, cells);

  let maxContext = 0;
  if (!unsupported) {
    // Memory grows with the context whatever the placement, so the fitting contexts are a prefix.
    let lo = 0;
    let hi = Math.floor(extended / CELL_PAD);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (decide(c, mid * CELL_PAD).verdict !== 'does-not-fit') lo = mid;
      else hi = mid - 1;
    }
    maxContext = lo * CELL_PAD;
  }

  const finalVerdict: FitVerdict = unsupported ? 'does-not-fit' : verdict;
  const total = p.weights + p.kv + p.compute + p.overhead;
  const where =
    finalVerdict === 'gpu' ? `everything on the GPU (${gib(p.vram)} of VRAM, ${gib(p.ram)} of RAM)`
    : finalVerdict === 'split' ? `${gpuLayers} of ${s.layers} layers on the GPU (${gib(p.vram)} of VRAM), the rest on the CPU (${gib(p.ram)} of RAM)`
    : finalVerdict === 'cpu' ? `on the CPU (${gib(p.ram)} of RAM)`
    : unsupported ? `cannot run: ${unsupported}`
    : `does not fit: needs ${gib(p.ram)} of RAM${c.freeVram > 0 ? ' with nothing offloaded' : ''}, ${gib(c.freeRam)} free`;
  const parts = `weights ${gib(p.weights)}, KV cache ${gib(p.kv)} (${input.kvType}, ${cells} cells), compute ${gib(p.compute)}${input.flashAttention ? '' : ' (no flash attention)'}, overhead ${gib(p.overhead)}`;
  const ctxNote = input.contextSize > extended ? ` ${input.contextSize} is beyond this model's extended context (${extended}).` : '';
  const maxNote = unsupported ? '' : maxContext > 0 ? ` The largest context that fits: ${maxContext}.` : ' No context fits.';
  return {
    weightsBytes: Math.round(p.weights),
    kvCacheBytes: Math.round(p.kv),
    computeBytes: Math.round(p.compute),
    overheadBytes: Math.round(p.overhead),
    totalBytes: Math.round(total),
    ramBytes: Math.round(p.ram),
    vramBytes: Math.round(p.vram),
    verdict: finalVerdict,
    gpuLayers: finalVerdict === 'gpu' || finalVerdict === 'split' ? gpuLayers : 0,
    maxContext,
    contextCells: cells,
    unsupported,
    explanation: `${where}: ${parts}.${ctxNote}${maxNote}`,
  };
}
