import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { PRESET_NAMES, resolvePreset } from '../../native/gguf/presets.js';
import { QWEN2_MODELS, QWEN2_ROPE_THETA, QWEN2_TOKENIZER_IDS } from '../../native/gguf/qwen2-shapes.js';
import { estimateSyntheticModel } from '../../native/gguf/synth.js';
import { planTensors } from '../../native/gguf/tensor-plan.js';

const familyPath = fileURLToPath(new URL('../../../shared/reference/qwen2-family.json', import.meta.url));
const haveShared = existsSync(familyPath);

describe('qwen2-shapes.ts is a faithful copy of ../shared/reference/qwen2-family.json', () => {
  test('models, rope theta and tokenizer ids', { skip: haveShared ? false : '../shared is absent' }, () => {
    const family = JSON.parse(readFileSync(familyPath, 'utf8'));
    assert.deepEqual(QWEN2_MODELS, family.models);
    assert.equal(QWEN2_ROPE_THETA, family.rope_theta);
    for (const key of Object.keys(QWEN2_TOKENIZER_IDS) as (keyof typeof QWEN2_TOKENIZER_IDS)[]) {
      assert.deepEqual(QWEN2_TOKENIZER_IDS[key], family.tokenizer[key], key);
    }
  });
});

describe('presets', () => {
  test('parameter counts of the real shapes match the published model sizes', () => {
    const billions = (preset: string): number => Math.round(estimateSyntheticModel({ preset }).parameters / 1e7) / 100;
    assert.equal(billions('qwen2-0.5b'), 0.49);
    assert.equal(billions('qwen2-1.5b'), 1.54);
    assert.equal(billions('qwen2-7b'), 7.62);
    assert.equal(billions('qwen2-57b-a14b'), 57.41);
    assert.equal(billions('qwen2-72b'), 72.71);
  });

  test('Qwen2-57B-A14B has about 14B active parameters', () => {
    const shape = resolvePreset('qwen2-57b-a14b');
    let total = 0;
    let routed = 0;
    for (const t of planTensors(shape, 'q4_0')) {
      const n = t.dims.reduce((a, b) => a * b, 1);
      total += n;
      if (t.name.endsWith('_exps.weight')) routed += n;
    }
    const active = total - routed + (routed * shape.expertsUsed!) / shape.experts!;
    assert.equal(Math.round(active / 1e9), 14);
  });

  test('every preset, dense or MoE, has rows that fill whole Q8_0/Q4_0 blocks', () => {
    const shapes = PRESET_NAMES.map((p) => resolvePreset(p)).concat(resolvePreset('tiny', { arch: 'qwen2moe' }));
    for (const shape of shapes) {
      assert.equal(shape.heads * shape.headDim, shape.hidden, shape.preset);
      assert.equal(shape.ropeFreqBase, 1e6);
      for (const t of planTensors(shape, 'q4_0')) {
        if (t.type !== 'f32') assert.equal(t.dims[0]! % 32, 0, `${shape.preset} ${t.name}`);
      }
    }
  });

  test('tiny is small and exists as qwen2 (tied) and qwen2moe (with output.weight)', () => {
    const dense = resolvePreset('tiny');
    assert.equal(dense.arch, 'qwen2');
    assert.equal(dense.vocab, 151936);
    assert.ok(!planTensors(dense, 'q8_0').some((t) => t.name === 'output.weight'));
    const moe = resolvePreset('tiny', { arch: 'qwen2moe' });
    assert.deepEqual([moe.experts, moe.expertsUsed, moe.expertFfn, moe.sharedExpertFfn], [4, 2, 32, 64]);
    const names = planTensors(moe, 'q8_0').map((t) => t.name);
    for (const n of ['output.weight', 'blk.1.ffn_gate_inp.weight', 'blk.1.ffn_down_exps.weight', 'blk.1.ffn_gate_inp_shexp.weight', 'blk.1.ffn_up_shexp.weight']) {
      assert.ok(names.includes(n), n);
    }
    const layerBytes = estimateSyntheticModel({ preset: 'tiny' }).dataBytes - 151936 * 64 * (34 / 32);
    assert.ok(layerBytes < 4e6, `${layerBytes}`);
  });

  test('tied output only where the model ties it', () => {
    for (const p of PRESET_NAMES) {
      const shape = resolvePreset(p);
      const hasOutput = planTensors(shape, 'q8_0').some((t) => t.name === 'output.weight');
      assert.equal(hasOutput, shape.arch === 'qwen2moe' || !shape.tiedEmbeddings, p);
    }
    assert.equal(resolvePreset('qwen2-7b').tiedEmbeddings, false);
    assert.equal(resolvePreset('qwen2-0.5b').tiedEmbeddings, true);
  });

  test('fewer layers, and clear errors', () => {
    assert.equal(resolvePreset('qwen2-72b', { layers: 2 }).layers, 2);
    assert.throws(() => resolvePreset('qwen2-3b'), /unknown preset "qwen2-3b"/);
    assert.throws(() => resolvePreset('qwen2-7b', { arch: 'qwen2moe' }), /only tiny can be written as either/);
    assert.throws(() => resolvePreset('qwen2-0.5b', { layers: 25 }), /layers must be an integer from 1 to 24/);
    assert.throws(() => resolvePreset('tiny', { layers: 0 }), /layers must be an integer from 1 to 2/);
  });
});
