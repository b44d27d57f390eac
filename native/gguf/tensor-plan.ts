// The list of tensors (names, shapes, types, initial values) of a Qwen2 / Qwen2-MoE GGUF model.

import type { ModelShape } from './presets.js';
import { TENSOR_TYPES, tensorBytes, type TensorTypeName } from './types.js';

export type TensorInit = { kind: 'ones' } | { kind: 'uniform'; amplitude: number };

export interface PlannedTensor {
  name: string;
  dims: number[];
  type: TensorTypeName;
  init: TensorInit;
}

/** Amplitude of a weight with `fanIn` inputs: at most 0.05, smaller for wide rows so activations stay small. */
const weightAmplitude = (fanIn: number): number => Math.min(0.05, 0.5 / Math.sqrt(fanIn));
const BIAS: TensorInit = { kind: 'uniform', amplitude: 0.01 };
const ONES: TensorInit = { kind: 'ones' };

/** Tensors of a model in file order. 2-D/3-D weights use `type`; norms, biases and the router are F32. */
export function planTensors(shape: ModelShape, type: TensorTypeName): PlannedTensor[] {
  const { hidden, vocab } = shape;
  const q = shape.heads * shape.headDim;
  const kv = shape.kvHeads * shape.headDim;
  const list: PlannedTensor[] = [];
  const weight = (name: string, dims: number[]): void => {
    list.push({ name, dims, type, init: { kind: 'uniform', amplitude: weightAmplitude(dims[0]!) } });
  };
  const f32 = (name: string, dims: number[], init: TensorInit): void => {
    list.push({ name, dims, type: 'f32', init });
  };

  weight('token_embd.weight', [hidden, vocab]);
  list[0]!.init = { kind: 'uniform', amplitude: 0.05 };
  for (let i = 0; i < shape.layers; i++) {
    const b = `blk.${i}.`;
    f32(`${b}attn_norm.weight`, [hidden], ONES);
    weight(`${b}attn_q.weight`, [hidden, q]);
    f32(`${b}attn_q.bias`, [q], BIAS);
    weight(`${b}attn_k.weight`, [hidden, kv]);
    f32(`${b}attn_k.bias`, [kv], BIAS);
    weight(`${b}attn_v.weight`, [hidden, kv]);
    f32(`${b}attn_v.bias`, [kv], BIAS);
    weight(`${b}attn_output.weight`, [q, hidden]);
    f32(`${b}ffn_norm.weight`, [hidden], ONES);
    if (shape.arch === 'qwen2') {
      weight(`${b}ffn_gate.weight`, [hidden, shape.ffn]);
      weight(`${b}ffn_up.weight`, [hidden, shape.ffn]);
      weight(`${b}ffn_down.weight`, [shape.ffn, hidden]);
    } else {
      const experts = shape.experts!;
      const exp = shape.expertFfn!;
      const sh = shape.sharedExpertFfn!;
      f32(`${b}ffn_gate_inp.weight`, [hidden, experts], { kind: 'uniform', amplitude: weightAmplitude(hidden) });
      weight(`${b}ffn_gate_exps.weight`, [hidden, exp, experts]);
      weight(`${b}ffn_up_exps.weight`, [hidden, exp, experts]);
      weight(`${b}ffn_down_exps.weight`, [exp, hidden, experts]);
      f32(`${b}ffn_gate_inp_shexp.weight`, [hidden], { kind: 'uniform', amplitude: weightAmplitude(hidden) });
      weight(`${b}ffn_gate_shexp.weight`, [hidden, sh]);
      weight(`${b}ffn_up_shexp.weight`, [hidden, sh]);
      weight(`${b}ffn_down_shexp.weight`, [sh, hidden]);
    }
  }
  f32('output_norm.weight', [hidden], ONES);
  if (shape.arch === 'qwen2moe' || !shape.tiedEmbeddings) weight('output.weight', [hidden, vocab]);
  return list;
}

export interface PlanTotals {
  parameters: number;
  /** Bytes of tensor data (without the header or padding). */
  dataBytes: number;
}

export function planTotals(plan: readonly PlannedTensor[]): PlanTotals {
  let parameters = 0;
  let dataBytes = 0;
  for (const t of plan) {
    const n = t.dims.reduce((a, b) => a * b, 1);
    parameters += n;
    dataBytes += tensorBytes(TENSOR_TYPES[t.type], n);
  }
  return { parameters, dataBytes };
}
