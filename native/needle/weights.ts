// The compact trained weights of a needle model (tools/needle/train.py writes them): "Q2NW", a
// uint32 header length, a JSON header (architecture, shape, the token ids that have rows, each
// tensor's shape and offset), then the tensors as float16 in the training framework's layout.
import { readFileSync } from 'node:fs';
import { f16ToF32 } from '../gguf/f16.js';

export type NeedleArch = 'qwen2' | 'qwen2moe';

export interface NeedleConfig {
  hidden: number;
  layers: number;
  heads: number;
  kv_heads: number;
  head_dim: number;
  ffn?: number;
  experts?: number;
  experts_used?: number;
  expert_ffn?: number;
  shared_ffn?: number;
}

export interface NeedleWeights {
  arch: NeedleArch;
  config: NeedleConfig;
  /** The trained context: the model's native context_length. */
  contextLength: number;
  ropeFreqBase: number;
  rmsEps: number;
  fullVocab: number;
  /** Token id of each compact row. */
  vocabIds: number[];
  seed: number;
  command: string;
  history: unknown[];
  /** Values by tensor name, row-major in the shape given. */
  tensors: Map<string, { shape: number[]; values: Float32Array }>;
}

/** The committed weights of each needle model. */
export const needleWeightsFile = (arch: NeedleArch): URL => new URL(`../../assets/needle/${arch}.weights`, import.meta.url);

export function readNeedleWeights(file: URL | string): NeedleWeights {
  const bytes = readFileSync(file);
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== 'Q2NW') throw new Error(`${String(file)} is not a needle weights file`);
  const headLength = bytes.readUInt32LE(4);
  const head = JSON.parse(bytes.toString('utf8', 8, 8 + headLength)) as {
    arch: NeedleArch; config: NeedleConfig; context_length: number; rope_freq_base: number; rms_eps: number;
    full_vocab: number; vocab_ids: number[]; seed: number; command: string; history: unknown[];
    tensors: Array<{ name: string; shape: number[]; offset: number }>;
  };
  const base = 8 + headLength;
  const tensors = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const t of head.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    const at = base + t.offset;
    if (at + 2 * n > bytes.length) throw new Error(`${String(file)}: tensor ${t.name} runs past the end of the file`);
    for (let i = 0; i < n; i++) values[i] = f16ToF32(bytes.readUInt16LE(at + 2 * i));
    tensors.set(t.name, { shape: t.shape, values });
  }
  return {
    arch: head.arch, config: head.config, contextLength: head.context_length, ropeFreqBase: head.rope_freq_base,
    rmsEps: head.rms_eps, fullVocab: head.full_vocab, vocabIds: head.vocab_ids, seed: head.seed, command: head.command,
    history: head.history, tensors,
  };
}

/** The needle models the project ships weights for. */
export const NEEDLE_ARCHS: readonly NeedleArch[] = ['qwen2', 'qwen2moe'];
