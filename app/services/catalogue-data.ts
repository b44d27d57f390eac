// The Qwen2 Instruct family as published in the official `Qwen/Qwen2-*-Instruct-GGUF` repositories,
// and built-in size estimates for their files (there may be no network: the catalogue then shows
// these, marked `sizeExact: false`; see catalogue.ts for the refresh from the repository listing).
//
// How a size is estimated: every tensor of the model (shapes from qwen2-family.json, via the
// synthetic-model presets) gets the ggml type llama.cpp's quantizer gives it for that file type, and
// the size is the sum of elements × bits per weight / 8. Bits per weight of the ggml types (block
// bytes × 8 / block elements, ggml.c):
//
//   type    bpw       type    bpw       type    bpw
//   Q2_K    2.625     Q4_K    4.5       Q6_K    6.5625
//   Q3_K    3.4375    Q5_0    5.5       Q8_0    8.5
//   Q4_0    4.5       Q5_1    6.0       F16     16
//   IQ4_NL  4.5       Q5_K    5.5       F32     32 (norms, biases, the MoE router)
//
// The rules of llama.cpp's llama_tensor_get_type that matter for these files:
// - output.weight (or token_embd when the embeddings are tied: 0.5B, 1.5B) is Q6_K, except in Q8_0
//   and FP16 files; K types need rows that are a multiple of 256 values, else they fall back
//   (Q2_K/Q3_K -> IQ4_NL, Q4_K -> Q5_0, Q5_K -> Q5_1, Q6_K -> Q8_0; 0.5B has 896-wide rows);
// - the "_M" mixes give more bits to attn_v and ffn_down in some layers ("use_more_bits": the first
//   and last eighth of the layers and every third one between), Q2_K/Q3_K_M also to attn_output.
// Checked against published sizes: Qwen2-7B-Instruct q2_k 3.02 GB, q4_k_m 4.68 GB, q5_k_m 5.44 GB,
// q8_0 8.10 GB (all within 1 %); Qwen2-0.5B q4_k_m 0.40 GB (0.40); 57B-A14B q4_k_m 32.46 GiB (+1 %).
// q3_k_m comes out ~3 % low (its mix has more exceptions than modelled).
import { resolvePreset, type ModelShape, type PresetName } from '../../native/gguf/presets.js';
import { planTensors } from '../../native/gguf/tensor-plan.js';

export interface CatalogueModelData {
  id: string;
  name: string;
  preset: Exclude<PresetName, 'tiny'>;
  /** The size as written in the file names: qwen2-{slug}-instruct-{quant}.gguf */
  slug: string;
  repo: string;
  /** In English; the UI shows models.catalogue.description.<id> of its string tables (a test keeps the English there equal to this). */
  description: string;
}

export const CATALOGUE_MODELS: readonly CatalogueModelData[] = [
  {
    id: 'qwen2-0.5b-instruct', name: 'Qwen2-0.5B-Instruct', preset: 'qwen2-0.5b', slug: '0_5b', repo: 'Qwen/Qwen2-0.5B-Instruct-GGUF',
    description: 'The smallest Qwen2: quick on any computer, even without a graphics card. Good for simple questions, short texts and trying the app; expect mistakes on harder tasks.',
  },
  {
    id: 'qwen2-1.5b-instruct', name: 'Qwen2-1.5B-Instruct', preset: 'qwen2-1.5b', slug: '1_5b', repo: 'Qwen/Qwen2-1.5B-Instruct-GGUF',
    description: 'Small and fast, noticeably better than 0.5B. A good choice for a laptop without a strong graphics card.',
  },
  {
    id: 'qwen2-7b-instruct', name: 'Qwen2-7B-Instruct', preset: 'qwen2-7b', slug: '7b', repo: 'Qwen/Qwen2-7B-Instruct-GGUF',
    description: 'The everyday all-rounder: writing, coding, maths and about 30 languages. Handles documents up to 128K tokens. Best with 8 GiB or more of graphics memory.',
  },
  {
    id: 'qwen2-57b-a14b-instruct', name: 'Qwen2-57B-A14B-Instruct', preset: 'qwen2-57b-a14b', slug: '57b-a14b', repo: 'Qwen/Qwen2-57B-A14B-Instruct-GGUF',
    description: 'A "mixture of experts": 57B parameters in memory, but only 14B work on each word, so it answers faster than its size suggests. Needs a lot of memory; up to 64K tokens of context.',
  },
  {
    id: 'qwen2-72b-instruct', name: 'Qwen2-72B-Instruct', preset: 'qwen2-72b', slug: '72b', repo: 'Qwen/Qwen2-72B-Instruct-GGUF',
    description: 'The largest and strongest Qwen2, close to the best chat models of its time. Needs a workstation: around 48 GiB of memory for a 4-bit file. Up to 128K tokens of context.',
  },
];

/** The quantisations published for the family, best quality first. */
export const QUANTS = ['fp16', 'q8_0', 'q6_k', 'q5_k_m', 'q5_0', 'q4_k_m', 'q4_0', 'q3_k_m', 'q2_k'] as const;
export type Quant = (typeof QUANTS)[number];

export const BITS_PER_WEIGHT: Readonly<Record<string, number>> = {
  Q2_K: 2.625, Q3_K: 3.4375, Q4_0: 4.5, Q4_K: 4.5, IQ4_NL: 4.5, Q5_0: 5.5, Q5_1: 6, Q5_K: 5.5, Q6_K: 6.5625, Q8_0: 8.5, F16: 16, F32: 32,
};

const K_FALLBACK: Readonly<Record<string, string>> = { Q2_K: 'IQ4_NL', Q3_K: 'IQ4_NL', Q4_K: 'Q5_0', Q5_K: 'Q5_1', Q6_K: 'Q8_0' };

const BASE_TYPE: Readonly<Record<Quant, string>> = {
  fp16: 'F16', q8_0: 'Q8_0', q6_k: 'Q6_K', q5_k_m: 'Q5_K', q5_0: 'Q5_0', q4_k_m: 'Q4_K', q4_0: 'Q4_0', q3_k_m: 'Q3_K', q2_k: 'Q2_K',
};

/** What a planner needs of one tensor (native/engine/main/memory-sizes.ts PlanTensor). */
export interface EstimatedTensor {
  name: string;
  dims: number[];
  typeName: string;
  bytes: number;
}

function useMoreBits(layer: number, layers: number): boolean {
  const eighth = Math.floor(layers / 8);
  return layer < eighth || layer >= 7 * eighth || (layer - eighth) % 3 === 2;
}

/** The ggml type llama.cpp's quantizer gives a weight tensor in a file of this quantisation. */
function typeFor(quant: Quant, name: string, layer: number, layers: number, shape: ModelShape): string {
  const base = BASE_TYPE[quant];
  if (quant === 'fp16' || quant === 'q8_0' || quant === 'q6_k') return base;
  const isOutput = name === 'output.weight' || (name === 'token_embd.weight' && shape.tiedEmbeddings && shape.arch === 'qwen2');
  if (isOutput) return 'Q6_K';
  const more = useMoreBits(layer, layers);
  const kind = /attn_v\./.test(name) ? 'v' : /ffn_down/.test(name) ? 'down' : /attn_output\./.test(name) ? 'o' : 'other';
  switch (quant) {
    case 'q5_k_m':
    case 'q4_k_m':
      return (kind === 'v' || kind === 'down') && more ? 'Q6_K' : base;
    case 'q3_k_m':
      if (kind === 'v') return layer < 2 ? 'Q5_K' : 'Q4_K';
      if (kind === 'o') return 'Q4_K';
      if (kind === 'down') return layer < Math.floor(layers / 16) ? 'Q5_K' : more ? 'Q4_K' : 'Q3_K';
      return base;
    case 'q2_k':
      if (kind === 'v') return shape.heads / shape.kvHeads >= 4 ? 'Q4_K' : 'Q3_K';
      if (kind === 'o' || kind === 'down') return 'Q3_K';
      return base;
    default:
      return base;
  }
}

/** Every tensor of the model in a file of this quantisation, with its estimated type and bytes. */
export function estimateTensors(preset: CatalogueModelData['preset'], quant: Quant): EstimatedTensor[] {
  const shape = resolvePreset(preset);
  return planTensors(shape, 'f16').map((t) => {
    const elements = t.dims.reduce((a, b) => a * b, 1);
    let typeName = 'F32';
    if (t.type !== 'f32') {
      const layer = Number(/^blk\.(\d+)\./.exec(t.name)?.[1] ?? 0);
      typeName = typeFor(quant, t.name, layer, shape.layers, shape);
      if (t.dims[0]! % 256 !== 0) {
        const isOutput = t.name === 'output.weight' || t.name === 'token_embd.weight';
        typeName = isOutput && typeName === 'Q6_K' ? 'Q8_0' : (K_FALLBACK[typeName] ?? typeName);
      }
    }
    return { name: t.name, dims: [...t.dims], typeName, bytes: Math.round((elements * BITS_PER_WEIGHT[typeName]!) / 8) };
  });
}

export interface ModelCounts {
  parameters: number;
  activeParameters: number;
}

/** Parameters from the shape; for MoE only `expertsUsed` of the routed experts count as active. */
export function parameterCounts(preset: CatalogueModelData['preset']): ModelCounts {
  const shape = resolvePreset(preset);
  let parameters = 0;
  let inactive = 0;
  for (const t of planTensors(shape, 'f16')) {
    const n = t.dims.reduce((a, b) => a * b, 1);
    parameters += n;
    if (/_exps\.weight$/.test(t.name) && shape.experts && shape.expertsUsed) inactive += (n * (shape.experts - shape.expertsUsed)) / shape.experts;
  }
  return { parameters, activeParameters: parameters - Math.round(inactive) };
}

/** Bytes of the file: the tensors plus a header (metadata and the ~150K-token vocabulary, ~6 MB). */
export function estimateFileBytes(preset: CatalogueModelData['preset'], quant: Quant): number {
  const HEADER = 6 * 1024 * 1024;
  return estimateTensors(preset, quant).reduce((sum, t) => sum + t.bytes, HEADER);
}

/** Files over this size are published split (`-00001-of-0000N`); an estimate, the listing knows. */
export const SPLIT_ABOVE_BYTES = 40e9;

export function fileNameFor(slug: string, quant: string, part?: { index: number; count: number }): string {
  const pad = (n: number) => String(n).padStart(5, '0');
  return `qwen2-${slug}-instruct-${quant}${part ? `-${pad(part.index)}-of-${pad(part.count)}` : ''}.gguf`;
}

export function partNames(slug: string, quant: string, sizeBytes: number): string[] {
  const count = Math.ceil(sizeBytes / SPLIT_ABOVE_BYTES);
  if (count <= 1) return [fileNameFor(slug, quant)];
  return Array.from({ length: count }, (_, i) => fileNameFor(slug, quant, { index: i + 1, count }));
}
