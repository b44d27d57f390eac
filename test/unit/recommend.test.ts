// The recommendation on a table of machines: one file for the whole catalogue, chosen from total
// memory and the estimated answer speed (memory bandwidth), never below Q4 while a 4-bit or better
// file fits, small models on slow machines, and the same answer whatever the free memory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CatalogueEntry, CatalogueFile, FitPlan } from '../../app/contract.js';
import { createCatalogue, type PlanFn } from '../../app/services/catalogue.js';
import { gpuBandwidthFor, machineSpeed } from '../../app/services/machine-speed.js';
import { bytesPerToken, MIN_TOKENS_PER_SECOND, recommend, type MachineFacts } from '../../app/services/recommend.js';

const GiB = 2 ** 30;
const GBs = 1e9;
const offline = () => createCatalogue({ hfBase: 'http://127.0.0.1:9', fetchImpl: () => Promise.reject(new Error('offline')) });

const cpu = (cores: number, ramGiB: number, bandwidthGBs: number): MachineFacts => ({
  backend: 'cpu', totalRam: ramGiB * GiB, totalVram: 0, cpuCores: cores, cpuBandwidth: bandwidthGBs * GBs, gpuBandwidth: null,
});
const gpu = (name: string, vramGiB: number, ramGiB: number): MachineFacts => ({
  backend: 'cuda', totalRam: ramGiB * GiB, totalVram: vramGiB * GiB, cpuCores: 16, cpuBandwidth: 60 * GBs,
  gpuBandwidth: gpuBandwidthFor([name]).bandwidth,
});

const MACHINES: Record<string, MachineFacts> = {
  '2-core CPU, 8 GB': cpu(2, 8, 12),
  '2-core CPU, 24 GB': cpu(2, 24, 12),
  '2-core CPU, 64 GB, fast memory': cpu(2, 64, 40),
  '16-core CPU, 64 GB': cpu(16, 64, 60),
  'GPU 8 GB (RTX 4060)': gpu('NVIDIA GeForce RTX 4060', 8, 32),
  'GPU 24 GB (RTX 4090)': gpu('NVIDIA GeForce RTX 4090', 24, 64),
  'GPU 80 GB (H100)': gpu('NVIDIA H100 80GB HBM3', 80, 256),
};

const recommended = (entries: CatalogueEntry[]) => {
  const with_ = entries.filter((e) => e.recommendedFile !== null);
  assert.ok(with_.length <= 1, `one recommended file at most: ${with_.map((e) => e.recommendedFile).join(', ')}`);
  assert.equal(entries.filter((e) => e.recommendation !== null).length, with_.length, 'the reason goes with the file');
  const entry = with_[0];
  return entry ? { entry, rec: entry.recommendation!, file: entry.files.find((f) => f.fileName === entry.recommendedFile)! } : null;
};

function planAt(freeRam: number): PlanFn {
  return (_e, file: CatalogueFile, ctx): FitPlan => ({
    contextSize: ctx, kvType: 'f16', flashAttention: true, backend: 'cpu', weightsBytes: file.sizeBytes, kvCacheBytes: 0, computeBytes: 0,
    totalBytes: file.sizeBytes, verdict: file.sizeBytes < freeRam ? 'cpu' : 'does-not-fit', gpuLayers: 0, maxContext: ctx,
    extendedContext: 32768, yarn: null, explanation: '',
  });
}

test('the table of machines: what each gets, with its speed', async () => {
  const catalogue = offline();
  const picks: Record<string, string> = {};
  for (const [name, machine] of Object.entries(MACHINES)) {
    const r = recommended(await catalogue.list({ machine }));
    assert.ok(r, `${name}: something fits`);
    picks[name] = `${r.entry.id} ${r.rec.quant} ${r.rec.placement} ${r.rec.contextSize} ${r.rec.tokensPerSecond} ${r.rec.compromise}`;
    assert.equal(r.rec.fileName, r.file.fileName);
    assert.ok(['q8_0', 'q6_k', 'q5_k_m', 'q4_k_m'].includes(r.rec.quant), `${name}: a sensible quantisation, not ${r.rec.quant}`);
    assert.equal(r.rec.compromise, 'none', `${name}: ${picks[name]}`);
    assert.ok(r.rec.tokensPerSecond >= MIN_TOKENS_PER_SECOND, `${name}: usable speed, ${picks[name]}`);
  }
  // Slow machines get the small models, whatever their memory.
  for (const name of ['2-core CPU, 8 GB', '2-core CPU, 24 GB', '2-core CPU, 64 GB, fast memory']) {
    assert.match(picks[name]!, /^qwen2-(0\.5b|1\.5b)-instruct /, `${name}: ${picks[name]}`);
  }
  assert.match(picks['16-core CPU, 64 GB']!, /^qwen2-7b-instruct q4_k_m cpu 32768/);
  assert.match(picks['GPU 8 GB (RTX 4060)']!, /^qwen2-7b-instruct q[45]_k_m gpu/);
  assert.match(picks['GPU 24 GB (RTX 4090)']!, /^qwen2-7b-instruct q8_0 gpu 32768/);
  assert.match(picks['GPU 80 GB (H100)']!, /^qwen2-72b-instruct q[456]_k(_m)? gpu 32768/);
  // The figures follow the bandwidth: bytes per token of the picked file.
  const entries = await catalogue.list({ machine: MACHINES['16-core CPU, 64 GB']! });
  const r = recommended(entries)!;
  const { summary, tensors } = catalogue.planInputs(r.entry.id, r.file);
  const expected = (60 * GBs) / bytesPerToken(summary, tensors);
  assert.ok(Math.abs(r.rec.tokensPerSecond - expected) < 0.1, `${r.rec.tokensPerSecond} vs ${expected}`);
});

test('never below Q4 while a Q4 or better file fits; below Q4 only when nothing else fits, and flagged', async () => {
  const catalogue = offline();
  // 6 GiB of RAM: 2 GiB kept for the system leaves 4 GiB; 7B Q4_K_M does not fit, 7B Q2_K would.
  const small = recommended(await catalogue.list({ machine: cpu(16, 6, 60) }))!;
  assert.notEqual(small.rec.quant, 'q2_k');
  assert.notEqual(small.rec.quant, 'q3_k_m');
  // Only the 7B and 72B models listed: nothing of Q4 or better fits in 5 GiB, Q3_K_M/Q2_K of 7B does.
  const entries = await catalogue.list({ machine: cpu(16, 6.4, 60) });
  const onlyBig = entries
    .filter((e) => e.id === 'qwen2-7b-instruct' || e.id === 'qwen2-72b-instruct')
    .flatMap((e) => e.files.map((f) => ({ entryId: e.id, parameters: e.parameters, activeParameters: e.activeParameters, fileName: f.fileName, quant: f.quant, ...catalogue.planInputs(e.id, f) })));
  const low = recommend(onlyBig, cpu(16, 6.4, 60));
  assert.ok(low, 'something fits');
  assert.match(low.quant, /^q[23]_k/);
  assert.equal(low.compromise, 'low-bits');
  // Nothing fits at all.
  assert.equal(recommend(onlyBig, cpu(2, 2, 12)), null);
});

test('a machine too slow for the minimum gets the fastest file that fits, marked slow', async () => {
  const r = recommended(await offline().list({ machine: cpu(1, 4, 2) }))!;
  assert.equal(r.entry.id, 'qwen2-0.5b-instruct');
  assert.equal(r.rec.compromise, 'slow');
  assert.ok(r.rec.tokensPerSecond < MIN_TOKENS_PER_SECOND);
});

test('the same recommendation on every call, whatever the free memory', async () => {
  const catalogue = offline();
  const machine = MACHINES['2-core CPU, 24 GB']!;
  const seen = new Set<string>();
  for (const free of [1 * GiB, 20 * GiB, 3 * GiB, 23 * GiB]) {
    const r = recommended(await catalogue.list({ machine, plan: planAt(free) }))!;
    seen.add(JSON.stringify(r.rec));
  }
  assert.equal(seen.size, 1, [...seen].join('\n'));
});

test('MoE reads only the routed experts per token; dense reads all its weights', async () => {
  const catalogue = offline();
  const entries = await catalogue.list();
  const bytes = (id: string, quant: string) => {
    const f = entries.find((e) => e.id === id)!.files.find((x) => x.quant === quant)!;
    const { summary, tensors } = catalogue.planInputs(id, f);
    return { perToken: bytesPerToken(summary, tensors), size: f.sizeBytes };
  };
  const dense = bytes('qwen2-7b-instruct', 'q4_k_m');
  // Dense: everything but the token embedding (read one row a token).
  assert.ok(dense.perToken < dense.size && dense.perToken > 0.85 * dense.size, `${dense.perToken} of ${dense.size}`);
  const moe = bytes('qwen2-57b-a14b-instruct', 'q4_k_m');
  assert.ok(moe.perToken > 0.15 * moe.size && moe.perToken < 0.35 * moe.size, `57B-A14B reads ${(moe.perToken / moe.size).toFixed(2)} of its weights`);
  // Tied embeddings (0.5B): the embedding is the output matrix too, read whole.
  const tied = bytes('qwen2-0.5b-instruct', 'q8_0');
  assert.ok(tied.perToken > 0.97 * tied.size, `${tied.perToken} of ${tied.size}`);
});

test('GPU bandwidth from the card name, an assumed figure for unknown cards; the RAM probe is cached', () => {
  assert.equal(gpuBandwidthFor([]).method, null);
  assert.equal(gpuBandwidthFor(['NVIDIA H200']).method, 'gpu-model');
  assert.ok(gpuBandwidthFor(['NVIDIA H200']).bandwidth! > gpuBandwidthFor(['NVIDIA GeForce RTX 4060']).bandwidth!);
  assert.equal(gpuBandwidthFor(['Some Future GPU 9000']).method, 'assumed');
  const store = new Map<string, unknown>();
  const settings = { get: (k: string) => store.get(k), set: (k: string, v: unknown) => void store.set(k, JSON.parse(JSON.stringify(v))) };
  let probes = 0;
  const measure = () => (++probes, 10e9 + probes);
  const first = machineSpeed(settings, []);
  const a = machineSpeed(settings, [], measure);
  const b = machineSpeed(settings, [], measure);
  assert.equal(probes, 0, 'measured once (the first call, with the real probe), then read back');
  assert.equal(a.cpuBandwidth, first.cpuBandwidth);
  assert.equal(b.cpuMeasuredAt, first.cpuMeasuredAt);
  assert.ok(first.cpuBandwidth > 0.5e9 && first.cpuBandwidth < 2e12, `measured ${first.cpuBandwidth}`);
  // Another machine's figure (a moved data folder) is measured again.
  store.set('machine.memorySpeed', { ...(store.get('machine.memorySpeed') as object), machine: 'another' });
  assert.equal(machineSpeed(settings, [], measure).cpuBandwidth, 10e9 + 1);
  // A stored value that is not a figure is measured again, not trusted.
  store.set('machine.memorySpeed', { machine: 'x', cpuBandwidth: 'fast' });
  assert.equal(machineSpeed(settings, [], measure).cpuBandwidth, 10e9 + 2);
});
