// YaRN is applied only above the native context, and llama.cpp's own log proves it took effect:
// the tiny synthetic model declares qwen2.context_length = 32768 and no rope scaling; loaded at 65536
// the engine sends rope.scaling.{type,factor,original_context_length} as metadata overrides and
// llama.cpp must print rope scaling = yarn, freq_scale = 0.5 and n_ctx_orig_yarn = 32768. At 32768
// and below nothing is sent and llama.cpp must keep freq_scale = 1 with no yarn anywhere.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import type { AppliedYarn } from '../../native/engine/shared/protocol.js';
import { newSupervisor } from '../helpers/engine.js';

let log = '';
const engine = newSupervisor({ env: { QWEN2_DESK_ENGINE_LOG: '1' }, onLog: (text) => (log += text) });
let modelPath = '';

before(async () => {
  modelPath = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 });
});
after(() => engine.dispose());

/** Loads the model at a context (a new context each time: the load key changes) and returns llama.cpp's log of that load. */
async function loadAt(contextSize: number): Promise<{ log: string; contextSize: number; yarn: AppliedYarn | null }> {
  log = '';
  let loaded: { contextSize: number; yarn: AppliedYarn | null } | null = null;
  const result = await engine.generate({
    modelPath,
    contextSize,
    // Tiny's head size (16) rules out a q8_0/q4_0 KV cache; f16 at 65536 cells is 16 MiB.
    kvType: 'f16',
    systemPrompt: 'You are a helpful assistant.',
    messages: [{ role: 'user', content: 'Hi' }],
    sampling: { maxTokens: 2, temperature: 0 },
    onDelta: () => {},
    onLoaded: (info) => (loaded = info),
  }).outcome;
  assert.equal(result.kind, 'done', JSON.stringify(result));
  assert.ok(loaded, 'the load was reported');
  return { log, ...(loaded as { contextSize: number; yarn: AppliedYarn | null }) };
}

/** The value llama.cpp printed for a key, e.g. "print_info: freq_scale_train      = 0.5". */
function logged(text: string, prefix: string, key: string): string[] {
  const re = new RegExp(`${prefix}:\\s+${key}\\s+=\\s+(\\S+)`, 'g');
  return [...text.matchAll(re)].map((m) => m[1]!);
}

describe('YaRN from llama.cpp log', () => {
  test('65536 (2x native): YaRN on, factor 2 + tiny, context not capped at the native 32768', async () => {
    const r = await loadAt(65536);
    assert.equal(r.contextSize, 65536);
    assert.ok(r.yarn && r.yarn.factor > 2 && r.yarn.factor < 2 + 1e-6 && r.yarn.originalContext === 32768, JSON.stringify(r.yarn));
    // The overrides reached llama.cpp's loader...
    assert.match(r.log, /validate_override: Using metadata override \(\s*str\) 'qwen2\.rope\.scaling\.type'/);
    assert.match(r.log, /validate_override: Using metadata override \(float\) 'qwen2\.rope\.scaling\.factor'/);
    assert.match(r.log, /validate_override: Using metadata override \(\s*int\) 'qwen2\.rope\.scaling\.original_context_length'/);
    assert.doesNotMatch(r.log, /Bad metadata override/, 'a whole-number factor arrives as an int and is ignored');
    // ...and took effect.
    assert.deepEqual(logged(r.log, 'print_info', 'rope scaling'), ['yarn']);
    assert.deepEqual(logged(r.log, 'print_info', 'freq_scale_train'), ['0.5']);
    assert.deepEqual(logged(r.log, 'print_info', 'n_ctx_orig_yarn'), ['32768']);
    assert.deepEqual(logged(r.log, 'llama_context', 'n_ctx'), ['65536']);
    assert.deepEqual(logged(r.log, 'llama_context', 'freq_scale'), ['0.5']);
  });

  for (const contextSize of [32768, 4096]) {
    test(`${contextSize} (<= native): no YaRN, freq_scale = 1`, async () => {
      const r = await loadAt(contextSize);
      assert.equal(r.contextSize, contextSize);
      assert.equal(r.yarn, null);
      assert.doesNotMatch(r.log, /metadata override/);
      assert.doesNotMatch(r.log, /yarn\s*$/m, 'no "= yarn" value anywhere');
      assert.deepEqual(logged(r.log, 'print_info', 'rope scaling'), ['linear']);
      assert.deepEqual(logged(r.log, 'print_info', 'freq_scale_train'), ['1']);
      assert.deepEqual(logged(r.log, 'llama_context', 'n_ctx'), [String(contextSize)]);
      assert.deepEqual(logged(r.log, 'llama_context', 'freq_scale'), ['1']);
    });
  }

  test('above native, the factor is never a whole number (a whole one would be sent as an int and ignored)', async () => {
    const r = await loadAt(32768 * 3);
    assert.ok(r.yarn && !Number.isInteger(r.yarn.factor));
    assert.deepEqual(logged(r.log, 'print_info', 'rope scaling'), ['yarn']);
    assert.deepEqual(logged(r.log, 'llama_context', 'freq_scale'), ['0.333333']);
  });
});
