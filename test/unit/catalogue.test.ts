// The built-in catalogue: names as published, plausible size estimates, contexts and parameters,
// and which file is recommended for a machine (plans given as plain functions of the file size).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CatalogueEntry, CatalogueFile, FitPlan, FitVerdict } from '../../app/contract.js';
import { createCatalogue, parseListing, type PlanFn } from '../../app/services/catalogue.js';

const GB = 1e9;
const GiB = 2 ** 30;
// No listing can be read: every size is the estimate.
const offline = () => createCatalogue({ hfBase: 'http://127.0.0.1:9', fetchImpl: () => Promise.reject(new Error('offline')) });

function plan(verdict: FitVerdict, file: CatalogueFile, contextSize: number): FitPlan {
  return {
    contextSize, kvType: 'f16', flashAttention: true, backend: 'cpu', weightsBytes: file.sizeBytes, kvCacheBytes: 0, computeBytes: 0,
    totalBytes: file.sizeBytes, verdict, gpuLayers: 0, maxContext: contextSize, extendedContext: 32768, yarn: null, explanation: verdict,
  };
}

/** A machine with `vram` bytes of free VRAM and `ram` bytes of free RAM (no overhead: enough for these tests). */
const machine = (vram: number, ram: number): PlanFn => (_entry, file, ctx) => {
  if (file.sizeBytes <= vram) return plan('gpu', file, ctx);
  if (vram > 0 && file.sizeBytes <= vram + ram) return plan('split', file, ctx);
  return plan(file.sizeBytes <= ram ? 'cpu' : 'does-not-fit', file, ctx);
};

const byId = (entries: CatalogueEntry[], id: string) => entries.find((e) => e.id === id)!;
const file = (e: CatalogueEntry, quant: string) => e.files.find((f) => f.quant === quant)!;

test('the five Instruct models with every published quantisation, named as in the repositories', async () => {
  const entries = await offline().list();
  assert.deepEqual(entries.map((e) => e.id), ['qwen2-0.5b-instruct', 'qwen2-1.5b-instruct', 'qwen2-7b-instruct', 'qwen2-57b-a14b-instruct', 'qwen2-72b-instruct']);
  const slugs = ['0_5b', '1_5b', '7b', '57b-a14b', '72b'];
  for (const [i, e] of entries.entries()) {
    assert.match(e.repo, /^Qwen\/Qwen2-[0-9.A-Z-]+-Instruct-GGUF$/);
    assert.deepEqual(e.files.map((f) => f.quant).sort(), ['fp16', 'q2_k', 'q3_k_m', 'q4_0', 'q4_k_m', 'q5_0', 'q5_k_m', 'q6_k', 'q8_0']);
    for (const f of e.files) {
      assert.equal(f.sizeExact, false);
      assert.equal(f.fit, null);
      assert.equal(f.fileName, f.parts[0]);
      assert.equal(f.uri, `hf:${e.repo}/${f.fileName}`);
      if (f.parts.length === 1) assert.equal(f.fileName, `qwen2-${slugs[i]}-instruct-${f.quant}.gguf`);
      else f.parts.forEach((p, k) => assert.equal(p, `qwen2-${slugs[i]}-instruct-${f.quant}-0000${k + 1}-of-0000${f.parts.length}.gguf`));
    }
    assert.ok(e.description.length > 40 && e.description.length < 300, 'a short description');
    assert.equal(e.recommendedFile, null, 'no plan: nothing recommended');
  }
  assert.equal(byId(entries, 'qwen2-7b-instruct').files[0]!.uri, 'hf:Qwen/Qwen2-7B-Instruct-GGUF/qwen2-7b-instruct-fp16.gguf');
  assert.equal(file(byId(entries, 'qwen2-7b-instruct'), 'q4_k_m').uri, 'hf:Qwen/Qwen2-7B-Instruct-GGUF/qwen2-7b-instruct-q4_k_m.gguf');
  assert.ok(file(byId(entries, 'qwen2-72b-instruct'), 'fp16').parts.length > 1, 'the 145 GB file is split');
});

test('estimated sizes are plausible', async () => {
  const entries = await offline().list();
  const near = (actual: number, expected: number, what: string) =>
    assert.ok(Math.abs(actual - expected) / expected < 0.1, `${what}: ${actual} vs ${expected}`);
  near(file(byId(entries, 'qwen2-0.5b-instruct'), 'q4_k_m').sizeBytes, 0.4 * GB, '0.5B q4_k_m');
  near(file(byId(entries, 'qwen2-57b-a14b-instruct'), 'q4_k_m').sizeBytes, 32.46 * GiB, '57B-A14B q4_k_m');
  near(file(byId(entries, 'qwen2-7b-instruct'), 'q4_k_m').sizeBytes, 4.68 * GB, '7B q4_k_m');
  near(file(byId(entries, 'qwen2-7b-instruct'), 'fp16').sizeBytes, 15.2 * GB, '7B fp16');
  const sizes = byId(entries, 'qwen2-7b-instruct').files.map((f) => f.sizeBytes);
  assert.deepEqual([...sizes].sort((a, b) => b - a), sizes, 'best quality (largest) first');
  for (const e of entries) {
    const [fp16, q8, q4, q2] = ['fp16', 'q8_0', 'q4_k_m', 'q2_k'].map((q) => file(e, q).sizeBytes);
    assert.ok(fp16! > q8! && q8! > q4! && q4! > q2!, e.name);
  }
});

test('parameters, active parameters and contexts', async () => {
  const entries = await offline().list();
  const expect: Record<string, [number, number, number, 'qwen2' | 'qwen2moe']> = {
    'qwen2-0.5b-instruct': [0.49, 0.49, 32768, 'qwen2'],
    'qwen2-1.5b-instruct': [1.54, 1.54, 32768, 'qwen2'],
    'qwen2-7b-instruct': [7.62, 7.62, 131072, 'qwen2'],
    'qwen2-57b-a14b-instruct': [57.4, 14.2, 65536, 'qwen2moe'],
    'qwen2-72b-instruct': [72.7, 72.7, 131072, 'qwen2'],
  };
  for (const [id, [params, active, extended, arch]] of Object.entries(expect)) {
    const e = byId(entries, id);
    assert.ok(Math.abs(e.parameters / 1e9 - params) < 0.02, `${id} parameters ${e.parameters}`);
    assert.ok(Math.abs(e.activeParameters / 1e9 - active) < 0.05, `${id} active ${e.activeParameters}`);
    assert.equal(e.nativeContext, 32768);
    assert.equal(e.extendedContext, extended);
    assert.equal(e.architecture, arch);
  }
});

test('every file is planned at 8K; the fit verdicts alone recommend nothing (recommend.test.ts has the machines)', async () => {
  const catalogue = offline();
  const seen: number[] = [];
  // 10 GB of VRAM, 36 GB of RAM.
  const entries = await catalogue.list({
    plan: (e, f, ctx) => {
      seen.push(ctx);
      return machine(10 * GB, 36 * GB)(e, f, ctx);
    },
  });
  assert.ok(seen.length === 45 && seen.every((c) => c === 8192), 'every file is planned at 8K');
  assert.equal(file(byId(entries, 'qwen2-57b-a14b-instruct'), 'q5_k_m').fit?.verdict, 'split');
  assert.equal(file(byId(entries, 'qwen2-7b-instruct'), 'q5_k_m').fit?.verdict, 'gpu');
  // Without the machine's facts there is no recommendation, not one per model.
  assert.ok(entries.every((e) => e.recommendedFile === null && e.recommendation === null));

  // A plan that fails leaves that file unplanned and the rest of the list intact.
  const failing = await catalogue.list({
    plan: (e, f, ctx) => {
      if (f.quant === 'q5_k_m') throw new Error('cannot plan');
      return machine(0, 5 * GB)(e, f, ctx);
    },
  });
  assert.equal(file(byId(failing, 'qwen2-7b-instruct'), 'q5_k_m').fit, null);
  assert.equal(file(byId(failing, 'qwen2-7b-instruct'), 'q4_k_m').fit?.verdict, 'cpu');
});

test('parseListing keeps complete split sets only and reads LFS sizes', () => {
  const m = { slug: '72b' };
  const listing = [
    { type: 'file', path: 'README.md', size: 100 },
    { type: 'file', path: 'qwen2-72b-instruct-q4_k_m-00001-of-00002.gguf', size: 1, lfs: { size: 30 * GB } },
    { type: 'file', path: 'qwen2-72b-instruct-q4_k_m-00002-of-00002.gguf', size: 1, lfs: { size: 17 * GB } },
    { type: 'file', path: 'qwen2-72b-instruct-q8_0-00001-of-00002.gguf', size: 40 * GB },
    { type: 'file', path: 'qwen2-72b-instruct-q2_k.gguf', size: 29 * GB },
    { type: 'directory', path: 'qwen2-72b-instruct-q6_k.gguf', size: 0 },
    { type: 'file', path: 'qwen2-7b-instruct-q4_0.gguf', size: 4 * GB },
  ];
  assert.deepEqual(parseListing(m, listing), [
    { quant: 'q4_k_m', parts: ['qwen2-72b-instruct-q4_k_m-00001-of-00002.gguf', 'qwen2-72b-instruct-q4_k_m-00002-of-00002.gguf'], sizeBytes: 47 * GB },
    { quant: 'q2_k', parts: ['qwen2-72b-instruct-q2_k.gguf'], sizeBytes: 29 * GB },
  ]);
  assert.equal(parseListing(m, { error: 'nope' }), null);
  assert.equal(parseListing(m, [{ type: 'file', path: 'README.md', size: 1 }]), null);
});

test('planInputs gives the planner the shape and tensors scaled to the file size', async () => {
  const catalogue = offline();
  const e = byId(await catalogue.list(), 'qwen2-57b-a14b-instruct');
  const f = file(e, 'q4_k_m');
  const { summary, tensors } = catalogue.planInputs(e.id, { quant: f.quant, sizeBytes: 2 * f.sizeBytes });
  assert.equal(summary.architecture, 'qwen2moe');
  assert.equal(summary.experts, 64);
  assert.equal(summary.expertsUsed, 8);
  assert.equal(summary.layers, 28);
  const total = tensors.reduce((s, t) => s + t.bytes, 0);
  assert.ok(Math.abs(total - 2 * f.sizeBytes) / f.sizeBytes < 0.01);
  assert.ok(tensors.some((t) => t.name === 'blk.0.ffn_down_exps.weight' && t.typeName === 'Q6_K'));
  assert.ok(tensors.some((t) => t.name === 'output.weight' && t.typeName === 'Q6_K'));
});
