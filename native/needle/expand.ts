// Writes a needle model as a full Qwen2 / Qwen2-MoE GGUF: the real tokenizer, the trained tensors,
// and the compact vocabulary expanded to all 151,936 rows (rows of tokens never trained are zero, so
// their logit is exactly 0, which the training loss accounted for). The trained length is the model's
// native context_length; planTensors gives the names and shapes every other model file has.
import { rename, rm } from 'node:fs/promises';
import type { ModelShape } from '../gguf/presets.js';
import { hashSeed, uniformFill } from '../gguf/prng.js';
import { modelMetadata } from '../gguf/synth.js';
import { planTensors } from '../gguf/tensor-plan.js';
import { loadQwen2Tokenizer, tokenizerMetadata } from '../gguf/tokenizer-data.js';
import type { TensorTypeName } from '../gguf/types.js';
import { meta, writeGguf, type GgufTensorSpec } from '../gguf/writer.js';
import { needleWeightsFile, readNeedleWeights, type NeedleArch, type NeedleWeights } from './weights.js';

export function needleShape(w: NeedleWeights): ModelShape {
  const c = w.config;
  const shape: ModelShape = {
    preset: 'tiny', arch: w.arch, hidden: c.hidden, layers: c.layers, heads: c.heads, kvHeads: c.kv_heads,
    headDim: c.head_dim, ffn: c.ffn ?? 0, vocab: w.fullVocab, tiedEmbeddings: false, rmsEps: w.rmsEps,
    nativeContext: w.contextLength, extendedContext: w.contextLength, ropeFreqBase: w.ropeFreqBase,
  };
  if (w.arch === 'qwen2moe') {
    Object.assign(shape, { experts: c.experts, expertsUsed: c.experts_used, expertFfn: c.expert_ffn, sharedExpertFfn: c.shared_ffn });
  }
  return shape;
}

/** The tensor's values in GGUF order; vocabulary tensors get a zero row for every untrained token. */
function fullValues(w: NeedleWeights, name: string, hidden: number): Float32Array {
  const t = w.tensors.get(name);
  if (!t) throw new Error(`the needle weights have no tensor ${name}`);
  if (name !== 'token_embd.weight' && name !== 'output.weight') return t.values;
  const full = new Float32Array(w.fullVocab * hidden);
  w.vocabIds.forEach((id, row) => full.set(t.values.subarray(row * hidden, (row + 1) * hidden), id * hidden));
  return full;
}

export interface NeedleModelOptions {
  arch: NeedleArch;
  out: string;
  /** 2-D and 3-D weights: f16 (default, the trained precision) or f32 / q8_0. */
  type?: TensorTypeName;
  /** A weights file other than the committed one. */
  weights?: URL | string;
  /** Pseudo-random weights of the same shape instead of the trained ones (a model that cannot pass). */
  randomSeed?: number;
}

export async function writeNeedleModel(opts: NeedleModelOptions): Promise<{ path: string; bytes: number; shape: ModelShape }> {
  const w = readNeedleWeights(opts.weights ?? needleWeightsFile(opts.arch));
  if (w.arch !== opts.arch) throw new Error(`the weights are of a ${w.arch} model, not ${opts.arch}`);
  const shape = needleShape(w);
  const type = opts.type ?? 'f16';
  const tokenizer = await loadQwen2Tokenizer(shape.vocab);
  const metadata = [
    ...modelMetadata(shape, type, shape.nativeContext).map(([k, v]) =>
      k === 'general.name' ? ([k, meta.string(opts.randomSeed === undefined ? `Qwen2 Desk needle model (${w.arch}, trained on passkey retrieval, ${w.contextLength} tokens)` : `Random-weight model of the needle model's shape (${w.arch})`)] as const) : ([k, v] as const)),
    ...tokenizerMetadata(tokenizer),
  ];
  const tensors: GgufTensorSpec[] = planTensors(shape, type).map((t) => {
    if (opts.randomSeed !== undefined) {
      const data = t.init.kind === 'ones' ? (chunk: Float32Array) => chunk.fill(1) : uniformFill(hashSeed(opts.randomSeed, t.name), t.init.amplitude);
      return { name: t.name, dims: t.dims, type: t.type, data };
    }
    const data = fullValues(w, t.name, shape.hidden);
    const elements = t.dims.reduce((a, b) => a * b, 1);
    if (data.length !== elements) throw new Error(`needle tensor ${t.name} has ${data.length} values; the file needs ${elements}`);
    return { name: t.name, dims: t.dims, type: t.type, data };
  });
  const temp = `${opts.out}.${process.pid}.tmp`;
  try {
    const { bytes } = await writeGguf(temp, metadata, tensors);
    await rename(temp, opts.out);
    return { path: opts.out, bytes, shape };
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
