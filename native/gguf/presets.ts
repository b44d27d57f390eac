// Model shapes for synthetic GGUF files: a tiny test model and the five real Qwen2 shapes.

import { QWEN2_MODELS, type Qwen2ModelFacts } from './qwen2-shapes.js';

export type Arch = 'qwen2' | 'qwen2moe';

export interface ModelShape {
  preset: PresetName;
  arch: Arch;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  vocab: number;
  tiedEmbeddings: boolean;
  rmsEps: number;
  nativeContext: number;
  extendedContext: number;
  ropeFreqBase: number;
  /** MoE only (arch qwen2moe). */
  experts?: number;
  expertsUsed?: number;
  expertFfn?: number;
  sharedExpertFfn?: number;
}

export const PRESET_NAMES = ['tiny', 'qwen2-0.5b', 'qwen2-1.5b', 'qwen2-7b', 'qwen2-57b-a14b', 'qwen2-72b'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const REAL: Record<Exclude<PresetName, 'tiny'>, string> = {
  'qwen2-0.5b': 'Qwen2-0.5B',
  'qwen2-1.5b': 'Qwen2-1.5B',
  'qwen2-7b': 'Qwen2-7B',
  'qwen2-57b-a14b': 'Qwen2-57B-A14B',
  'qwen2-72b': 'Qwen2-72B',
};

const ROPE_BASE = 1e6;

function fromFacts(preset: PresetName, f: Qwen2ModelFacts): ModelShape {
  const shape: ModelShape = {
    preset,
    arch: f.arch,
    hidden: f.hidden,
    layers: f.layers,
    heads: f.heads,
    kvHeads: f.kv_heads,
    headDim: f.head_dim,
    ffn: f.intermediate,
    vocab: f.vocab,
    tiedEmbeddings: f.tied_embeddings,
    rmsEps: f.rms_eps,
    nativeContext: f.native_context,
    extendedContext: f.extended_context,
    ropeFreqBase: ROPE_BASE,
  };
  if (f.arch === 'qwen2moe') {
    shape.experts = f.experts;
    shape.expertsUsed = f.experts_per_token;
    shape.expertFfn = f.expert_intermediate;
    shape.sharedExpertFfn = f.shared_expert_intermediate;
  }
  return shape;
}

function tiny(arch: Arch): ModelShape {
  const shape: ModelShape = {
    preset: 'tiny',
    arch,
    hidden: 64,
    layers: 2,
    heads: 4,
    kvHeads: 2,
    headDim: 16,
    ffn: 128,
    vocab: 151936,
    tiedEmbeddings: arch === 'qwen2',
    rmsEps: 1e-6,
    nativeContext: 32768,
    extendedContext: 32768,
    ropeFreqBase: ROPE_BASE,
  };
  if (arch === 'qwen2moe') Object.assign(shape, { experts: 4, expertsUsed: 2, expertFfn: 32, sharedExpertFfn: 64 });
  return shape;
}

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/**
 * The shape for a preset. `arch` may only differ from the preset's own for `tiny` (which exists as
 * qwen2 and qwen2moe); `layers` keeps the first N layers of the real shape.
 */
export function resolvePreset(name: string, options: { arch?: Arch; layers?: number } = {}): ModelShape {
  if (!isPresetName(name)) throw new Error(`unknown preset "${name}" (known: ${PRESET_NAMES.join(', ')})`);
  let shape: ModelShape;
  if (name === 'tiny') shape = tiny(options.arch ?? 'qwen2');
  else {
    shape = fromFacts(name, QWEN2_MODELS[REAL[name]]!);
    if (options.arch && options.arch !== shape.arch) {
      throw new Error(`preset ${name} is ${shape.arch}; only tiny can be written as either qwen2 or qwen2moe`);
    }
  }
  if (options.layers !== undefined) {
    if (!Number.isInteger(options.layers) || options.layers < 1 || options.layers > shape.layers) {
      throw new Error(`layers must be an integer from 1 to ${shape.layers} for preset ${name}`);
    }
    shape.layers = options.layers;
  }
  return shape;
}
