// The fit planner's weights on CPUs that move matmul weights out of the mmap-ed file (AMX,
// CPU_REPACK): which types and shapes are moved (ggml-cpu/amx/amx.cpp supports_op, repack.cpp),
// their AMX sizes, and the copy of a tied output matrix that this makes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planFit, type FitInput } from '../../native/engine/main/memory-plan.js';
import type { PlanSummary, PlanTensor } from '../../native/engine/main/memory-sizes.js';
import { resolvePreset } from '../../native/gguf/presets.js';
import { planTensors } from '../../native/gguf/tensor-plan.js';
import { ggmlTypeInfo, tensorBytes } from '../../native/gguf/types.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const TYPE_ID: Record<string, number> = { F16: 1, Q8_0: 8, Q4_K: 12, Q5_K: 13, Q6_K: 14, IQ4_NL: 20, IQ4_XS: 23, Q2_K: 10 };

/** Qwen2-0.5B's tensors (1 layer), the matrices in `type`, as a GGUF header would list them. */
function model(type: string, preset: 'qwen2-0.5b' | 'tiny' = 'qwen2-0.5b') {
  const shape = resolvePreset(preset, preset === 'tiny' ? {} : { layers: 1 });
  const info = ggmlTypeInfo(TYPE_ID[type]!)!;
  const tensors: PlanTensor[] = planTensors(shape, 'f32').map((t) => {
    const n = t.dims.reduce((a, b) => a * b, 1);
    const matrix = t.dims.length >= 2 && t.dims[0]! % info.blockSize === 0;
    const i = matrix ? info : ggmlTypeInfo(0)!;
    return { name: t.name, dims: t.dims, typeName: i.name, bytes: tensorBytes(i, n) };
  });
  const summary: PlanSummary = {
    architecture: shape.arch, contextLength: shape.nativeContext, layers: shape.layers, embedding: shape.hidden, heads: shape.heads,
    kvHeads: shape.kvHeads, headDim: shape.headDim, experts: null, expertsUsed: null, expertFfn: null, sharedExpertFfn: null, vocabSize: shape.vocab,
  };
  return { summary, tensors, embd: tensors.find((t) => t.name === 'token_embd.weight')!, sum: tensors.reduce((a, t) => a + t.bytes, 0) };
}

const input = (m: ReturnType<typeof model>, over: Partial<FitInput> = {}): FitInput => ({
  summary: m.summary, tensors: m.tensors, contextSize: 4096, kvType: 'f16', flashAttention: true, backend: 'cpu', freeRamBytes: 64 * GiB, freeVramBytes: 0, ...over,
});

test('AMX takes F16 matmul weights unpacked: a tied F16 output matrix is a second copy, even with mmap', () => {
  const m = model('F16');
  assert.equal(Math.round(m.embd.bytes / MiB), 260, 'Qwen2-0.5B token_embd in F16');
  assert.equal(planFit(input(m)).weightsBytes, Math.round(m.sum), 'plain CPU with mmap: shared');
  assert.equal(planFit(input(m, { cpuWeightLayout: 'amx' })).weightsBytes, Math.round(m.sum + m.embd.bytes));
  assert.equal(planFit(input(m, { cpuWeightLayout: 'repack-x86' })).weightsBytes, Math.round(m.sum), 'no F16 repacking without AMX');
  // The tiny model: 18.5 MiB of token_embd.
  const tiny = model('F16', 'tiny');
  assert.equal(planFit(input(tiny, { cpuWeightLayout: 'amx' })).weightsBytes - planFit(input(tiny)).weightsBytes, tiny.embd.bytes);
});

test('AMX sizes of the K and IQ types: Q4_K +4 bytes per 256, Q5_K +4, IQ4_XS +2, Q6_K the same', () => {
  for (const [type, extraPerBlock] of [['Q4_K', 4], ['Q5_K', 4], ['IQ4_XS', 2], ['Q6_K', 0]] as const) {
    const m = model(type);
    const info = ggmlTypeInfo(TYPE_ID[type]!)!;
    // With hidden 896 (not a multiple of 256) no matrix is in the type except ffn_down (4864 wide).
    const moved = m.tensors.filter((t) => t.typeName === type);
    assert.deepEqual(moved.map((t) => t.name), ['blk.0.ffn_down.weight'], type);
    const blocks = moved.reduce((a, t) => a + t.bytes / info.typeSize, 0);
    const amx = planFit(input(m, { cpuWeightLayout: 'amx', useMmap: false })).weightsBytes;
    const plain = planFit(input(m, { useMmap: false })).weightsBytes;
    assert.equal(amx - plain, Math.round(blocks * extraPerBlock), type);
  }
});

test('on AMX CPUs, types without AMX kernels (IQ4_NL, Q2_K) are repacked by CPU_REPACK: a tied output is a copy', () => {
  for (const type of ['IQ4_NL', 'Q2_K']) {
    const m = model(type);
    if (m.embd.typeName !== type) continue; // Q2_K blocks of 256 do not fit 896-wide rows
    assert.equal(planFit(input(m, { cpuWeightLayout: 'amx' })).weightsBytes, Math.round(m.sum + m.embd.bytes), type);
  }
  const nl = model('IQ4_NL');
  assert.equal(nl.embd.typeName, 'IQ4_NL');
  assert.equal(planFit(input(nl, { cpuWeightLayout: 'repack-x86' })).weightsBytes, Math.round(nl.sum + nl.embd.bytes));
});

test('AMX only takes matrices that fit its tiles (ne1 a multiple of 32): others keep their GGUF size', () => {
  const m = model('Q8_0');
  const q8 = (dims: number[]): PlanTensor => ({ name: 'blk.0.attn_k.weight', dims, typeName: 'Q8_0', bytes: (dims[0]! * dims[1]! * 34) / 32 });
  const amxExtra = (k: PlanTensor) => {
    const tensors = m.tensors.map((t) => (t.name === k.name ? k : t));
    const at = (layout: FitInput['cpuWeightLayout']) => planFit({ ...input(m, { cpuWeightLayout: layout, useMmap: false }), tensors }).weightsBytes;
    return at('amx') - at('plain');
  };
  const fits = amxExtra(q8([896, 128]));
  const odd = amxExtra(q8([896, 16]));
  assert.equal(fits - odd, Math.round((896 * 128 * 4) / 32), '128 rows: 4 bytes of compensation per block');
});
