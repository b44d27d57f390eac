// Accepted implies loadable: seeded mutants of the synthetic tiny Qwen2 and Qwen2-MoE models that
// the header check accepts are loaded by the real engine process and must answer, never fail or
// abort llama.cpp. A load that fails past the header check (a split model's first part alone) names
// the file and llama.cpp's reason.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { GgufError, readGgufHeader } from '../../native/gguf/reader.js';
import { newSupervisor } from '../helpers/engine.js';
import { Mutator, rng, u16Entry, withEntries, writeMutant, type Mutant } from '../helpers/gguf-mutants.js';

const PER_ARCH = 20;
let dir: string;
const engine = newSupervisor();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gguf-accepted-'));
});
after(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

function answer(modelPath: string) {
  return engine.generate({
    modelPath,
    contextSize: 256,
    kvType: 'f16',
    systemPrompt: 'You are a helpful assistant.',
    messages: [{ role: 'user', content: 'Hi' }],
    sampling: { maxTokens: 1, temperature: 0 },
    onDelta: () => {},
  }).outcome;
}

test(`${2 * PER_ARCH} accepted mutants of both models load and answer in the engine`, async () => {
  const outcomes: string[] = [];
  for (const arch of ['qwen2', 'qwen2moe'] as const) {
    const m = await Mutator.fromFile(await ensureSyntheticModel({ preset: 'tiny', arch, type: 'q8_0' }));
    const r = rng(arch === 'qwen2' ? 0x2545f491 : 0x6c078965);
    let accepted = 0;
    for (let i = 0; accepted < PER_ARCH && i < 400; i++) {
      const mutant = m.mutate(r, i);
      const path = join(dir, `${arch}-${i}.gguf`);
      await writeMutant(path, mutant);
      try {
        await readGgufHeader(path);
      } catch (e) {
        assert.ok(e instanceof GgufError, `${mutant.label}: ${String(e)}`);
        await rm(path);
        continue;
      }
      accepted++;
      const out = await answer(path);
      if (out.kind !== 'done') outcomes.push(`${basename(path)} (${mutant.label}): ${out.kind}: ${out.message}`);
      await rm(path);
    }
    assert.equal(accepted, PER_ARCH, `${arch}: only ${accepted} mutants were accepted`);
  }
  assert.deepEqual(outcomes, []);
});

test('a load llama.cpp refuses past the header check says which file and why', async () => {
  const m = await Mutator.fromFile(await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0' }));
  // Part 1 of a 2-part split model, without its second part: the header is fine, the model is not.
  const part: Mutant = withEntries(m, 'split part 1 alone', [u16Entry('split.no', 0), u16Entry('split.count', 2)]);
  const path = join(dir, 'lonely-part.gguf');
  await writeMutant(path, part);
  assert.deepEqual((await readGgufHeader(path)).summary.split, { count: 2, tensors: null });
  const out = await answer(path);
  assert.equal(out.kind, 'failed', JSON.stringify(out));
  assert.match(out.kind === 'failed' ? out.message : '', /^cannot load lonely-part\.gguf: llama\.cpp: .*split/);
  // The engine is still there for the next model.
  const good = await answer(await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0' }));
  assert.equal(good.kind, 'done', JSON.stringify(good));
});
