// Writes synthetic Qwen2 / Qwen2-MoE GGUF models: real tokenizer and metadata, pseudo-random weights.

import { rename, rm } from 'node:fs/promises';
import { hashSeed, uniformFill } from './prng.js';
import { resolvePreset, type Arch, type ModelShape } from './presets.js';
import { planTensors, planTotals, type PlannedTensor } from './tensor-plan.js';
import { loadQwen2Tokenizer, tokenizerMetadata } from './tokenizer-data.js';
import { FILE_TYPE_ID, TENSOR_TYPES, type TensorTypeName } from './types.js';
import { meta, writeGguf, type GgufMetaValue, type GgufTensorSpec } from './writer.js';

export interface SynthOptions {
  preset: string;
  /** Defaults to the preset's architecture (tiny: qwen2). */
  arch?: Arch;
  /** Defaults to q8_0. */
  type?: TensorTypeName;
  /** Fewer layers than the preset has. */
  layers?: number;
  /** Defaults to 1. */
  seed?: number;
  /** Defaults to the native 32768; above it, YaRN rope scaling metadata is written. */
  contextLength?: number;
  out: string;
}

export interface SynthResult {
  path: string;
  bytes: number;
  parameters: number;
  shape: ModelShape;
  type: TensorTypeName;
  seconds: number;
}

const TYPES = Object.keys(TENSOR_TYPES) as TensorTypeName[];

export function isTensorTypeName(s: string): s is TensorTypeName {
  return (TYPES as string[]).includes(s);
}

/** Shape, tensor type, seed and context after defaults and checks. */
export function resolveSynthOptions(opts: Omit<SynthOptions, 'out'>): {
  shape: ModelShape;
  type: TensorTypeName;
  seed: number;
  contextLength: number;
} {
  const shape = resolvePreset(opts.preset, { arch: opts.arch, layers: opts.layers });
  const type = opts.type ?? 'q8_0';
  if (!isTensorTypeName(type)) throw new Error(`unknown tensor type "${String(type)}" (known: ${TYPES.join(', ')})`);
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error('seed must be an integer from 0 to 4294967295');
  const contextLength = opts.contextLength ?? shape.nativeContext;
  if (!Number.isInteger(contextLength) || contextLength < 64 || contextLength > 1 << 20) {
    throw new Error('context length must be an integer from 64 to 1048576');
  }
  return { shape, type, seed, contextLength };
}

/** All non-tokenizer metadata of a synthetic model. */
export function modelMetadata(shape: ModelShape, type: TensorTypeName, contextLength: number): [string, GgufMetaValue][] {
  const a = shape.arch;
  const m: [string, GgufMetaValue][] = [
    ['general.architecture', meta.string(a)],
    ['general.name', meta.string(`Synthetic ${shape.preset} (${a}, ${type.toUpperCase()}, ${shape.layers} layer${shape.layers === 1 ? '' : 's'})`)],
    ['general.file_type', meta.u32(FILE_TYPE_ID[type])],
    ['general.quantization_version', meta.u32(2)],
    ['general.alignment', meta.u32(32)],
    [`${a}.context_length`, meta.u32(contextLength)],
    [`${a}.embedding_length`, meta.u32(shape.hidden)],
    [`${a}.block_count`, meta.u32(shape.layers)],
    [`${a}.feed_forward_length`, meta.u32(shape.ffn)],
    [`${a}.attention.head_count`, meta.u32(shape.heads)],
    [`${a}.attention.head_count_kv`, meta.u32(shape.kvHeads)],
    [`${a}.rope.freq_base`, meta.f32(shape.ropeFreqBase)],
    [`${a}.attention.layer_norm_rms_epsilon`, meta.f32(shape.rmsEps)],
  ];
  if (shape.heads * shape.headDim !== shape.hidden) {
    m.push([`${a}.attention.key_length`, meta.u32(shape.headDim)], [`${a}.attention.value_length`, meta.u32(shape.headDim)]);
  }
  if (a === 'qwen2moe') {
    m.push(
      [`${a}.expert_count`, meta.u32(shape.experts!)],
      [`${a}.expert_used_count`, meta.u32(shape.expertsUsed!)],
      [`${a}.expert_feed_forward_length`, meta.u32(shape.expertFfn!)],
      [`${a}.expert_shared_feed_forward_length`, meta.u32(shape.sharedExpertFfn!)],
    );
  }
  if (contextLength > shape.nativeContext) {
    m.push(
      [`${a}.rope.scaling.type`, meta.string('yarn')],
      [`${a}.rope.scaling.factor`, meta.f32(contextLength / shape.nativeContext)],
      [`${a}.rope.scaling.original_context_length`, meta.u32(shape.nativeContext)],
    );
  }
  return m;
}

function tensorSpec(t: PlannedTensor, seed: number): GgufTensorSpec {
  if (t.init.kind === 'ones') return { name: t.name, dims: t.dims, type: t.type, data: (chunk) => chunk.fill(1) };
  return { name: t.name, dims: t.dims, type: t.type, data: uniformFill(hashSeed(seed, t.name), t.init.amplitude) };
}

/** Writes a synthetic model to `out` (through a temporary file renamed at the end). */
export async function writeSyntheticModel(opts: SynthOptions): Promise<SynthResult> {
  const started = performance.now();
  const { shape, type, seed, contextLength } = resolveSynthOptions(opts);
  const tokenizer = await loadQwen2Tokenizer(shape.vocab);
  const plan = planTensors(shape, type);
  const metadata = [...modelMetadata(shape, type, contextLength), ...tokenizerMetadata(tokenizer)];
  const temp = `${opts.out}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const { bytes, parameters } = await writeGguf(temp, metadata, plan.map((t) => tensorSpec(t, seed)));
    await rename(temp, opts.out);
    return { path: opts.out, bytes, parameters, shape, type, seconds: (performance.now() - started) / 1000 };
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** Parameters and approximate file size of a synthetic model, without writing it. */
export function estimateSyntheticModel(opts: Omit<SynthOptions, 'out'>): { parameters: number; dataBytes: number } {
  const { shape, type } = resolveSynthOptions(opts);
  return planTotals(planTensors(shape, type));
}
