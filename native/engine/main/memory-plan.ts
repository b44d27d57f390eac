// The fit planner: how much memory a Qwen2 model needs at a given context, where it can run
// (GPU, split, CPU) and the largest context that fits. Pure: no node-llama-cpp, no I/O, so the
// main process can plan before the engine loads anything (the engine's `probe` gives the free
// memory). Also the long-context facts: the family's extended context and the YaRN setting.
//
// What is modelled, and where each number comes from (llama.cpp as shipped in node-llama-cpp 3.21.1):
//
// KV cache  = layers × kvHeads × headDim × 2 (K and V) × cells × bytes per element
//             (f16 2, q8_0 34/32, q4_0 18/32); cells = context rounded up to 256, as llama.cpp does.
//             Checked against llama.cpp's "KV buffer size" log line for every measured shape.
// Weights   = the tensor bytes from the GGUF header, with two corrections that llama.cpp makes:
//           - CPUs with AMX-INT8 (Intel Sapphire Rapids and later) repack the matmul weights into
//             the AMX layout, which is larger for some types: Q8_0 gets 4 bytes of compensation per
//             32-value block (38 instead of 34 bytes), Q4_K/Q5_K 4 bytes per 256, IQ4_XS 2 per 256
//             (ggml-cpu/amx/mmq.cpp get_row_size). Measured: Qwen2-0.5B Q8_0 "AMX model buffer" 559.41 MiB.
//             F16 matmul weights go into the AMX buffer too, unpacked (same size); types without AMX
//             kernels (IQ4_NL, Q2_K) go to CPU_REPACK instead (same size).
//           - With tied embeddings (0.5B, 1.5B: no output.weight) llama.cpp makes the output matrix a
//             duplicate of token_embd. It shares memory with token_embd only when both stay in the
//             same mmap-ed CPU buffer; repacked (AMX / CPU_REPACK), offloaded to a GPU, or loaded
//             without mmap, it is a second copy.
//           token_embd itself always stays on the CPU (it is read with get_rows, never repacked).
// Compute   = llama.cpp's compute buffer, sized by reserving the worst-case graph: a full ubatch
//             (node-llama-cpp: n_batch = n_ubatch = min(512, context)) with logits for every token.
//             Derived from llama.cpp's "compute buffer size" log lines on the CPU backend for the
//             0.5B, 1.5B, 7B, 57B-A14B (1 layer) and tiny shapes, FA on/off, contexts 512 to 131072,
//             ubatch 256/512; the formula reproduces every one of them within 1.1%
//             (test/unit/memory-plan.test.ts keeps the table):
//               computeBytes = ubatch × 4 × max(outputPart, attentionPart)   (floats per token)
//               outputPart    = vocab + 2·embd                       (logits + final norm)
//                               + embd        if tied embeddings and no FA
//                               + 1.75·expertsUsed·expertFfn  (MoE with FA) / + embd (MoE without FA)
//               attentionPart = no FA: context·(heads + 1) + 5·embd + 2·kvHeads·headDim + 5
//                               (KQ scores f32 per head + the f32 mask + the layer's activations)
//                               FA:    context/2 + 5·embd + 2·kvHeads·headDim  (f16 mask; never the
//                               larger part in any measurement)
//             So with flash attention the compute buffer is ~300 MiB whatever the context (logits of
//             512 tokens over a 152K vocabulary); without it, it grows with the context
//             (Qwen2-7B at 128K: 7.3 GiB). On GPU backends the same graph is assumed to need the same
//             buffer (all layers offloaded), or only the attention part on the GPU and the logits on
//             the CPU (partly offloaded) — not measured here (no GPU on the machine that derived this).
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
import type { GgufSummary } from '../../gguf/summary.js';
import type { CpuWeightLayout, KvType } from '../shared/types.js';

export type PlanBackend = 'cuda' | 'vulkan' | 'metal' | 'cpu';
export type FitVerdict = 'gpu' | 'split' | 'cpu' | 'does-not-fit';

export type PlanSummary = Pick<
  GgufSummary,
  'architecture' | 'contextLength' | 'layers' | 'embedding' | 'heads' | 'kvHeads' | 'headDim' | 'experts' | 'expertsUsed' | 'expertFfn' | 'sharedExpertFfn' | 'vocabSize'
>;

/** What the planner needs of a tensor info (GgufTensorInfo fits). */
export interface PlanTensor {
  name: string;
  dims: readonly number[];
  typeName: string;
  bytes: number;
}

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
const CELL_PAD = 256;
const FIXED_OVERHEAD = 180 * MiB;
const OVERHEAD_PER_WEIGHT_BYTE = 0.025;
const GPU_RUNTIME: Record<PlanBackend, number> = { cuda: 350 * MiB, vulkan: 250 * MiB, metal: 0, cpu: 0 };
const VRAM_HEADROOM = 0.05;

const KV_BYTES_PER_ELEMENT: Record<KvType, number> = { f16: 2, q8_0: 34 / 32, q4_0: 18 / 32 };

/**
 * AMX layout size relative to the GGUF size, per type (types absent: no AMX kernels). F16 goes into
 * the AMX buffer unpacked (same size): a tied F16 output matrix is then a copy of token_embd there.
 * ggml-cpu/amx/amx.cpp supports_op also needs rows (ne0) a multiple of the type's alignment and
 * ne1 a multiple of 32; other tensors stay in the plain CPU buffer.
 */
const AMX_SIZE_FACTOR: Record<string, number> = {
  F16: 1, Q4_0: 1, Q4_1: 1, Q6_K: 1, Q8_0: 38 / 34, Q4_K: 148 / 144, Q5_K: 180 / 176, IQ4_XS: 138 / 136,
};
const AMX_ROW_ALIGNMENT: Record<string, number> = { F16: 16, Q4_0: 32, Q4_1: 32, Q8_0: 32, Q4_K: 256, Q5_K: 256, Q6_K: 256, IQ4_XS: 256 };
/** Repacked in the same size by ggml-cpu/repack.cpp (x86: AVX2, Q2_K with AVX-512; ARM: dot product). */
const REPACKED_TYPES: Record<Exclude<CpuWeightLayout, 'plain' | 'amx'>, ReadonlySet<string>> = {
  'repack-x86': new Set(['Q4_0', 'Q4_K', 'IQ4_NL', 'MXFP4']),
  'repack-arm': new Set(['Q4_0', 'Q4_K', 'Q5_K', 'Q6_K', 'IQ4_NL', 'Q8_0', 'MXFP4']),
};
/** AMX CPUs also have AVX-512: what AMX does not take, CPU_REPACK does (Q2_K included). */
const REPACKED_BESIDE_AMX = new Set([...REPACKED_TYPES['repack-x86'], 'Q2_K']);

const padCells = (n: number): number => Math.max(CELL_PAD, Math.ceil(n / CELL_PAD) * CELL_PAD);

/** KV cache bytes for `cells` positions of the model (all layers). */
export function kvCacheBytes(s: Pick<PlanSummary, 'layers' | 'kvHeads' | 'headDim'>, cells: number, kvType: KvType, layers = s.layers): number {
  return layers * s.kvHeads * s.headDim * 2 * cells * KV_BYTES_PER_ELEMENT[kvType];
}

function vocabOf(s: PlanSummary, tensors: readonly PlanTensor[]): number {
  const embd = tensors.find((t) => t.name === 'token_embd.weight');
  return s.vocabSize ?? embd?.dims[1] ?? 151936;
}

/** llama.cpp's compute buffer parts in floats per token of the ubatch (see the header). */
function computeParts(s: PlanSummary, tensors: readonly PlanTensor[], cells: number, flashAttention: boolean) {
  const tied = !tensors.some((t) => t.name === 'output.weight');
  const moe = (s.experts ?? 0) > 0;
  let output = vocabOf(s, tensors) + 2 * s.embedding;
  if (tied && !flashAttention) output += s.embedding;
  if (moe) output += flashAttention ? 1.75 * (s.expertsUsed ?? 0) * (s.expertFfn ?? 0) : s.embedding;
  const layerActivations = 5 * s.embedding + 2 * s.kvHeads * s.headDim;
  const attention = flashAttention ? cells / 2 + layerActivations : cells * (s.heads + 1) + layerActivations + 5;
  return { output, attention };
}

/** The compute buffer bytes on the CPU backend (everything on one device). */
export function computeBufferBytes(s: PlanSummary, tensors: readonly PlanTensor[], contextSize: number, flashAttention: boolean, batchSize = 512): number {
  const cells = padCells(contextSize);
  const ubatch = Math.min(batchSize, cells);
  const { output, attention } = computeParts(s, tensors, cells, flashAttention);
  return ubatch * 4 * Math.max(output, attention);
}

interface WeightSplit {
  /** Bytes that stay on the CPU whatever is offloaded (token_embd, tied-output sharing). */
  cpuFixed: number;
  /** Per repeating layer, on the CPU (with repacking) and on a GPU. */
  layerCpu: number[];
  layerGpu: number[];
  /** The output head (output_norm + output matrix, a copy when tied), on the CPU and on a GPU. */
  outputCpu: number;
  outputGpu: number;
  /** Largest tensor staged through a read buffer while loading without mmap. */
  staging: number;
}

/** The size factor of a matmul weight moved out of the mmap-ed file into a repacked CPU buffer; null: it stays. */
function repackFactor(layout: CpuWeightLayout, t: PlanTensor): number | null {
  if (t.dims.length < 2 || layout === 'plain') return null;
  if (layout === 'amx') {
    const align = AMX_ROW_ALIGNMENT[t.typeName];
    if (align !== undefined && t.dims[0]! % align === 0 && t.dims[1]! % 32 === 0) return AMX_SIZE_FACTOR[t.typeName]!;
    return REPACKED_BESIDE_AMX.has(t.typeName) && t.dims[1]! % 8 === 0 ? 1 : null;
  }
  return REPACKED_TYPES[layout].has(t.typeName) ? 1 : null;
}

function splitWeights(s: PlanSummary, tensors: readonly PlanTensor[], layout: CpuWeightLayout, useMmap: boolean): WeightSplit {
  const layerCpu = new Array<number>(s.layers).fill(0);
  const layerGpu = new Array<number>(s.layers).fill(0);
  let cpuFixed = 0;
  let outputCpu = 0;
  let outputGpu = 0;
  let staging = 0;
  const cpuBytes = (t: PlanTensor): number => {
    const f = repackFactor(layout, t);
    if (f !== null && !useMmap) staging = Math.max(staging, t.bytes);
    return f === null ? t.bytes : t.bytes * f;
  };
  for (const t of tensors) {
    const m = /^blk\.(\d+)\./.exec(t.name);
    if (m) {
      const i = Number(m[1]);
      if (i < s.layers) {
        layerCpu[i]! += cpuBytes(t);
        layerGpu[i]! += t.bytes;
      }
    } else if (t.name === 'token_embd.weight') {
      cpuFixed += t.bytes;
    } else {
      outputCpu += cpuBytes(t);
      outputGpu += t.bytes;
    }
  }
  const embd = tensors.find((t) => t.name === 'token_embd.weight');
  if (embd && !tensors.some((t) => t.name === 'output.weight')) {
    // Tied: the output matrix is a duplicate of token_embd. On a GPU it is always a copy; on the CPU
    // it is a copy only when repacked, and otherwise shares token_embd's bytes, with or without mmap
    // (measured: Qwen2-0.5B Q8_0 without mmap on an AVX2 CPU, llama.cpp's CPU model buffer is
    // 500.79 MiB, every weight once).
    const f = repackFactor(layout, embd);
    outputGpu += embd.bytes;
    if (f !== null) {
      outputCpu += embd.bytes * f;
      if (!useMmap) staging = Math.max(staging, embd.bytes);
    }
  }
  return { cpuFixed, layerCpu, layerGpu, outputCpu, outputGpu, staging };
}

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
