// The fit planner: KV cache sizes of the real Qwen2 shapes computed by hand, the compute-buffer
// formula against the sizes llama.cpp logged, verdicts at their boundaries, the largest context,
// the family's extended contexts and the YaRN setting.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planFit, type FitInput } from '../../native/engine/main/memory-plan.js';
import { computeBufferBytes, kvCacheBytes, type PlanSummary, type PlanTensor } from '../../native/engine/main/memory-sizes.js';
import { extendedContextFor, yarnFor } from '../../native/engine/shared/long-context.js';
import { detectCpuWeightLayout } from '../../native/engine/process/probe.js';
import { resolvePreset, type PresetName } from '../../native/gguf/presets.js';
import { planTensors } from '../../native/gguf/tensor-plan.js';
import { TENSOR_TYPES, tensorBytes, type TensorTypeName } from '../../native/gguf/types.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** A model's summary and tensor sizes as readGgufHeader would give them, without writing the file. */
function model(preset: PresetName, type: TensorTypeName = 'q8_0', opts: { layers?: number; arch?: 'qwen2' | 'qwen2moe' } = {}) {
  const shape = resolvePreset(preset, opts);
  const tensors: PlanTensor[] = planTensors(shape, type).map((t) => ({
    name: t.name,
    dims: t.dims,
    typeName: TENSOR_TYPES[t.type].name,
    bytes: tensorBytes(TENSOR_TYPES[t.type], t.dims.reduce((a, b) => a * b, 1)),
  }));
  const summary: PlanSummary = {
    architecture: shape.arch,
    contextLength: shape.nativeContext,
    layers: shape.layers,
    embedding: shape.hidden,
    heads: shape.heads,
    kvHeads: shape.kvHeads,
    headDim: shape.headDim,
    experts: shape.experts ?? null,
    expertsUsed: shape.expertsUsed ?? null,
    expertFfn: shape.expertFfn ?? null,
    sharedExpertFfn: shape.sharedExpertFfn ?? null,
    vocabSize: shape.vocab,
  };
  return { summary, tensors };
}

function input(m: ReturnType<typeof model>, over: Partial<FitInput> = {}): FitInput {
  return { ...m, contextSize: 4096, kvType: 'f16', flashAttention: true, backend: 'cpu', freeRamBytes: 64 * GiB, freeVramBytes: 0, ...over };
}

describe('KV cache', () => {
  test('real shapes, by hand', () => {
    // layers × kv heads × head dim × 2 (K, V) × context × bytes
    assert.equal(kvCacheBytes(model('qwen2-7b').summary, 131072, 'f16'), 28 * 4 * 128 * 2 * 131072 * 2); // 7 GiB
    assert.equal(kvCacheBytes(model('qwen2-7b').summary, 131072, 'f16'), 7 * GiB);
    assert.equal(kvCacheBytes(model('qwen2-72b').summary, 131072, 'f16'), 80 * 8 * 128 * 2 * 131072 * 2); // 40 GiB
    assert.equal(kvCacheBytes(model('qwen2-0.5b').summary, 32768, 'f16'), 24 * 2 * 64 * 2 * 32768 * 2); // 384 MiB
    assert.equal(kvCacheBytes(model('qwen2-1.5b').summary, 32768, 'f16'), 896 * MiB);
    assert.equal(kvCacheBytes(model('qwen2-57b-a14b').summary, 65536, 'f16'), 28 * 4 * 128 * 2 * 65536 * 2);
    assert.equal(kvCacheBytes(model('qwen2-7b').summary, 131072, 'q8_0'), (28 * 4 * 128 * 2 * 131072 * 34) / 32);
    assert.equal(kvCacheBytes(model('qwen2-7b').summary, 131072, 'q4_0'), (28 * 4 * 128 * 2 * 131072 * 18) / 32);
  });

  test('the plan pads the context to 256 cells as llama.cpp does', () => {
    const p = planFit(input(model('qwen2-0.5b'), { contextSize: 4097 }));
    assert.equal(p.contextCells, 4352);
    assert.equal(p.kvCacheBytes, 24 * 2 * 64 * 2 * 4352 * 2);
  });
});

describe('compute buffer formula against llama.cpp logs (CPU, node-llama-cpp 3.21.1)', () => {
  // "sched_reserve: CPU compute buffer size = X MiB" (+ never counting the 0.58 MiB output buffer),
  // measured with synthetic models of each shape (7B and 57B-A14B with 1 layer: the buffer does not
  // depend on the layer count).
  const measured: [PresetName, 'qwen2' | 'qwen2moe', boolean, number, number, number][] = [
    // preset, arch, flash attention, context, ubatch, MiB
    ['qwen2-0.5b', 'qwen2', true, 4096, 512, 300.25],
    ['qwen2-0.5b', 'qwen2', true, 65536, 256, 150.13],
    ['qwen2-0.5b', 'qwen2', false, 4096, 512, 302.0],
    ['qwen2-0.5b', 'qwen2', false, 4096, 256, 151.0],
    ['qwen2-0.5b', 'qwen2', false, 32768, 512, 969.26],
    ['qwen2-0.5b', 'qwen2', false, 32768, 256, 484.63],
    ['qwen2-0.5b', 'qwen2', false, 65536, 512, 1929.26],
    ['qwen2-1.5b', 'qwen2', true, 32768, 512, 302.75],
    ['qwen2-1.5b', 'qwen2', true, 4096, 256, 151.38],
    ['qwen2-1.5b', 'qwen2', false, 8192, 512, 305.75],
    ['qwen2-1.5b', 'qwen2', false, 32768, 512, 848.01],
    ['qwen2-1.5b', 'qwen2', false, 65536, 256, 840.0],
    ['qwen2-7b', 'qwen2', true, 131072, 512, 311.0],
    ['qwen2-7b', 'qwen2', false, 4096, 512, 311.0],
    ['qwen2-7b', 'qwen2', false, 32768, 512, 1893.01],
    ['qwen2-7b', 'qwen2', false, 131072, 512, 7461.01],
    ['qwen2-57b-a14b', 'qwen2moe', true, 4096, 512, 384.76],
    ['qwen2-57b-a14b', 'qwen2moe', true, 131072, 512, 381.02],
    ['qwen2-57b-a14b', 'qwen2moe', false, 4096, 512, 317.75],
    ['qwen2-57b-a14b', 'qwen2moe', false, 131072, 512, 7461.01],
    ['tiny', 'qwen2', true, 65536, 512, 297.0],
    ['tiny', 'qwen2', false, 32768, 512, 320.76],
    ['tiny', 'qwen2', false, 65536, 256, 320.38],
    ['tiny', 'qwen2moe', true, 4096, 512, 297.52],
    ['tiny', 'qwen2moe', false, 4096, 512, 297.4],
    ['tiny', 'qwen2moe', false, 131072, 512, 1280.9],
  ];
  for (const [preset, arch, fa, ctx, ub, mib] of measured) {
    test(`${preset} ${arch} fa=${fa} ctx=${ctx} ubatch=${ub}: ${mib} MiB`, () => {
      const m = model(preset, 'q8_0', { arch: preset === 'tiny' ? arch : undefined, layers: preset === 'tiny' ? undefined : 1 });
      const got = computeBufferBytes(m.summary, m.tensors, ctx, fa, ub) / MiB;
      assert.ok(Math.abs(got - mib) / mib <= 0.011, `formula ${got.toFixed(2)} MiB vs llama.cpp ${mib} MiB`);
    });
  }
});

describe('weights', () => {
  test('CPU, mmap, no repacking: the tensor bytes; tied output shares token_embd', () => {
    const m = model('qwen2-0.5b');
    const sum = m.tensors.reduce((a, t) => a + t.bytes, 0);
    assert.equal(planFit(input(m)).weightsBytes, Math.round(sum));
  });

  test('without mmap a tied output still shares token_embd unless repacked (llama.cpp, AVX2: CPU 500.79 MiB); AMX repacks Q8_0 at 38/34 into a copy (AMX 559.41 MiB + CPU 138.22 MiB)', () => {
    const m = model('qwen2-0.5b');
    const sum = m.tensors.reduce((a, t) => a + t.bytes, 0);
    assert.equal(planFit(input(m, { useMmap: false })).weightsBytes, Math.round(sum));
    assert.equal(planFit(input(m, { useMmap: false, cpuWeightLayout: 'repack-x86' })).weightsBytes, Math.round(sum), 'Q8_0 is not repacked on x86');
    assert.ok(Math.abs(sum / MiB - 500.79) < 0.5, `${sum / MiB} MiB`);
    const amx = planFit(input(m, { useMmap: false, cpuWeightLayout: 'amx' })).weightsBytes / MiB;
    assert.ok(Math.abs(amx - (559.41 + 138.22)) < 0.5, `${amx} MiB`);
  });

  test('untied models (7B) carry their own output.weight: no copy', () => {
    const m = model('qwen2-7b', 'q4_0', { layers: 2 });
    const sum = m.tensors.reduce((a, t) => a + t.bytes, 0);
    assert.equal(planFit(input(m, { useMmap: false })).weightsBytes, Math.round(sum));
  });
});

describe('verdicts', () => {
  const m = model('qwen2-1.5b');

  test('CPU: fits exactly at totalBytes, not one byte less', () => {
    const need = planFit(input(m, { freeRamBytes: 64 * GiB })).ramBytes;
    assert.equal(planFit(input(m, { freeRamBytes: need })).verdict, 'cpu');
    assert.equal(planFit(input(m, { freeRamBytes: need - 1 })).verdict, 'does-not-fit');
    const p = planFit(input(m, { freeRamBytes: need }));
    assert.equal(p.totalBytes, p.ramBytes, 'on the CPU everything is RAM');
    assert.equal(p.totalBytes, p.weightsBytes + p.kvCacheBytes + p.computeBytes + p.overheadBytes);
    assert.match(planFit(input(m, { freeRamBytes: need - 1 })).explanation, /does not fit/);
  });

  test('GPU: everything on the GPU when VRAM allows, split below that, CPU with no layer fitting', () => {
    const big = planFit(input(m, { backend: 'cuda', freeVramBytes: 80 * GiB }));
    assert.equal(big.verdict, 'gpu');
    assert.equal(big.gpuLayers, 29, 'n_gpu_layers = layers + 1 puts the output head there too');
    assert.ok(big.vramBytes > big.ramBytes);
    // Just below the full-offload VRAM need: split.
    const fullVram = big.vramBytes / 0.95;
    const split = planFit(input(m, { backend: 'cuda', freeVramBytes: fullVram * 0.85 }));
    assert.equal(split.verdict, 'split');
    assert.ok(split.gpuLayers > 0 && split.gpuLayers <= 28, String(split.gpuLayers));
    // More VRAM never means fewer layers.
    let last = 0;
    for (let v = 0.5; v <= 4; v += 0.25) {
      const p = planFit(input(m, { backend: 'cuda', freeVramBytes: v * GiB }));
      const layers = p.verdict === 'gpu' || p.verdict === 'split' ? p.gpuLayers : 0;
      assert.ok(layers >= last, `${v} GiB: ${layers} < ${last}`);
      last = layers;
    }
    const tiny = planFit(input(m, { backend: 'cuda', freeVramBytes: 100 * MiB }));
    assert.equal(tiny.verdict, 'cpu');
    assert.equal(tiny.gpuLayers, 0);
    const none = planFit(input(m, { backend: 'cuda', freeVramBytes: 100 * MiB, freeRamBytes: 100 * MiB }));
    assert.equal(none.verdict, 'does-not-fit');
  });

  test('a quantized KV cache needs flash attention and a head size divisible by 32', () => {
    const noFa = planFit(input(m, { kvType: 'q8_0', flashAttention: false }));
    assert.equal(noFa.verdict, 'does-not-fit');
    assert.match(noFa.unsupported ?? '', /flash attention/);
    const tiny = planFit(input(model('tiny'), { kvType: 'q4_0' }));
    assert.match(tiny.unsupported ?? '', /head size/);
    assert.equal(planFit(input(m, { kvType: 'q8_0' })).unsupported, null);
  });

  test('q8_0 and q4_0 KV caches are smaller than f16', () => {
    const f16 = planFit(input(m, { contextSize: 32768 })).kvCacheBytes;
    assert.equal(planFit(input(m, { contextSize: 32768, kvType: 'q8_0' })).kvCacheBytes, (f16 * 34) / 64);
    assert.equal(planFit(input(m, { contextSize: 32768, kvType: 'q4_0' })).kvCacheBytes, (f16 * 18) / 64);
  });
});

describe('largest context', () => {
  test('monotonic in free memory, capped at the extended context, and itself fits', () => {
    const m = model('qwen2-7b', 'q4_0');
    let last = 0;
    for (let gib = 4; gib <= 40; gib += 2) {
      const p = planFit(input(m, { freeRamBytes: gib * GiB, contextSize: 4096 }));
      assert.ok(p.maxContext >= last, `${gib} GiB: ${p.maxContext} < ${last}`);
      assert.ok(p.maxContext <= 131072);
      assert.equal(p.maxContext % 256, 0);
      if (p.maxContext > 0) {
        assert.notEqual(planFit(input(m, { freeRamBytes: gib * GiB, contextSize: p.maxContext })).verdict, 'does-not-fit');
        if (p.maxContext < 131072) {
          assert.equal(planFit(input(m, { freeRamBytes: gib * GiB, contextSize: p.maxContext + 256 })).verdict, 'does-not-fit');
        }
      }
      last = p.maxContext;
    }
    assert.equal(last, 131072, 'with 40 GiB the 7B Q4_0 model reaches 128K');
    assert.equal(planFit(input(model('qwen2-0.5b'), { freeRamBytes: 64 * GiB })).maxContext, 32768);
    assert.equal(planFit(input(m, { freeRamBytes: 1 * GiB })).maxContext, 0);
  });

  test('without flash attention the compute buffer grows with the context, so less context fits', () => {
    const m = model('qwen2-1.5b');
    const fa = planFit(input(m, { freeRamBytes: 3 * GiB })).maxContext;
    const noFa = planFit(input(m, { freeRamBytes: 3 * GiB, flashAttention: false })).maxContext;
    assert.ok(noFa < fa, `${noFa} < ${fa}`);
  });
});

describe('extended context and YaRN', () => {
  test('the family table, recognised by shape', () => {
    assert.equal(extendedContextFor(model('qwen2-0.5b').summary), 32768);
    assert.equal(extendedContextFor(model('qwen2-1.5b').summary), 32768);
    assert.equal(extendedContextFor(model('qwen2-7b').summary), 131072);
    assert.equal(extendedContextFor(model('qwen2-57b-a14b', 'q4_0', { layers: 2 }).summary), 65536);
    assert.equal(extendedContextFor(model('qwen2-72b', 'q4_0', { layers: 2 }).summary), 131072);
    assert.equal(extendedContextFor(model('tiny').summary), 32768, 'unknown shape: its native context');
    assert.equal(extendedContextFor({ ...model('tiny').summary, contextLength: 8192 }), 8192);
  });

  test('yarnFor', () => {
    assert.equal(yarnFor(32768), null);
    assert.equal(yarnFor(4096), null);
    assert.equal(yarnFor(0), null);
    const just = yarnFor(32769)!;
    assert.ok(just.factor > 1 && just.factor < 1.0001 && !Number.isInteger(just.factor));
    assert.equal(just.originalContext, 32768);
    const x4 = yarnFor(131072)!;
    assert.ok(x4.factor > 4 && x4.factor - 4 < 1e-6 && !Number.isInteger(x4.factor), String(x4.factor));
    assert.equal(Math.fround(1 / x4.factor), 0.25, 'freq_scale is still 0.25 in f32');
    assert.ok(!Number.isInteger(yarnFor(65536)!.factor));
    assert.ok(!Number.isInteger(yarnFor(16384, 8192)!.factor));
    assert.equal(yarnFor(8192, 8192), null);
    for (let ctx = 32769; ctx <= 262144; ctx += 4093) assert.ok(!Number.isInteger(yarnFor(ctx)!.factor), String(ctx));
  });
});

test('CPU weight layout from /proc/cpuinfo flags', () => {
  assert.equal(detectCpuWeightLayout('flags : fpu avx2 avx512f amx_bf16 amx_tile amx_int8', 'x64', 'linux'), 'amx');
  assert.equal(detectCpuWeightLayout('flags : fpu sse4_2 avx2 fma', 'x64', 'linux'), 'repack-x86');
  assert.equal(detectCpuWeightLayout('flags : fpu sse4_2', 'x64', 'linux'), 'plain');
  assert.equal(detectCpuWeightLayout('', 'x64', 'win32'), 'repack-x86');
  assert.equal(detectCpuWeightLayout('Features : fp asimd asimddp', 'arm64', 'linux'), 'repack-arm');
  assert.equal(detectCpuWeightLayout('', 'arm64', 'darwin'), 'repack-arm');
  assert.equal(detectCpuWeightLayout('', 'ia32', 'linux'), 'plain');
});
