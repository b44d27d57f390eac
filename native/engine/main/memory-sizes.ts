// The memory each part of a loaded Qwen2 model takes: the KV cache, the weights (what the CPU
// backend repacks, the tied output matrix) and llama.cpp's compute buffer. Pure: no node-llama-cpp,
// no I/O. memory-plan.ts places these parts on the devices and finds the largest context.
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
import type { GgufSummary } from '../../gguf/summary.js';
import type { CpuWeightLayout, KvType } from '../shared/types.js';

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

/** llama.cpp allocates the context in cells of 256 positions. */
export const CELL_PAD = 256;

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

export const padCells = (n: number): number => Math.max(CELL_PAD, Math.ceil(n / CELL_PAD) * CELL_PAD);

/** KV cache bytes for `cells` positions of the model (all layers). */
export function kvCacheBytes(s: Pick<PlanSummary, 'layers' | 'kvHeads' | 'headDim'>, cells: number, kvType: KvType, layers = s.layers): number {
  return layers * s.kvHeads * s.headDim * 2 * cells * KV_BYTES_PER_ELEMENT[kvType];
}

/** The vocabulary size: from the header, else the embedding matrix. */
export function vocabOf(s: PlanSummary, tensors: readonly PlanTensor[]): number {
  const embd = tensors.find((t) => t.name === 'token_embd.weight');
  return s.vocabSize ?? embd?.dims[1] ?? 151936;
}

/** llama.cpp's compute buffer parts in floats per token of the ubatch (see the header). */
export function computeParts(s: PlanSummary, tensors: readonly PlanTensor[], cells: number, flashAttention: boolean) {
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

export interface WeightSplit {
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

/** Where each weight's bytes go: per layer on the CPU (repacked) and on a GPU, the output head, staging. */
export function splitWeights(s: PlanSummary, tensors: readonly PlanTensor[], layout: CpuWeightLayout, useMmap: boolean): WeightSplit {
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
