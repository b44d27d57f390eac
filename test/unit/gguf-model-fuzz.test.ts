// Mutated copies of the synthetic tiny Qwen2 and Qwen2-MoE models: the header check refuses what
// llama.cpp would refuse or assert on (hyperparameters out of range or inconsistent with the tensor
// shapes, alignment, tensor bounds, types, names, duplicate tokens), with a reason free of raw
// control bytes. test/integration/gguf-accepted-loads.test.ts loads accepted mutants for real.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { printable } from '../../native/gguf/errors.js';
import { GgufError, readGgufHeader } from '../../native/gguf/reader.js';
import { Mutator, rng, writeMutant, type Mutant } from '../helpers/gguf-mutants.js';

let dir: string;
const base: Record<'qwen2' | 'qwen2moe', Mutator> = {} as never;
let n = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gguf-model-fuzz-'));
  for (const arch of ['qwen2', 'qwen2moe'] as const) {
    base[arch] = await Mutator.fromFile(await ensureSyntheticModel({ preset: 'tiny', arch, type: 'q8_0' }));
  }
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** null when accepted, else the reason. */
async function check(m: Mutant): Promise<string | null> {
  const path = join(dir, `m${n++}.gguf`);
  await writeMutant(path, m);
  try {
    await readGgufHeader(path);
    return null;
  } catch (e) {
    assert.ok(e instanceof GgufError, `${m.label}: ${e instanceof Error ? e.stack : String(e)}`);
    return e.reason;
  } finally {
    await rm(path, { force: true });
  }
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const u32 = (key: string, v: number) => (b: Buffer, _i: unknown, kv: (k: string) => { valueAt: number }) => b.writeUInt32LE(v, kv(key).valueAt);
const f32 = (key: string, v: number) => (b: Buffer, _i: unknown, kv: (k: string) => { valueAt: number }) => b.writeFloatLE(v, kv(key).valueAt);

describe('targeted mutations llama.cpp asserts on or refuses', () => {
  const cases: [arch: 'qwen2' | 'qwen2moe', label: string, edit: Parameters<Mutator['edited']>[1], reason: RegExp][] = [
    ['qwen2', 'negative rms epsilon', f32('attention.layer_norm_rms_epsilon', -1e-6), /layer_norm_rms_epsilon must be a finite number above 0/],
    ['qwen2', 'NaN rms epsilon', f32('attention.layer_norm_rms_epsilon', NaN), /layer_norm_rms_epsilon/],
    ['qwen2moe', 'zero rms epsilon', f32('attention.layer_norm_rms_epsilon', 0), /layer_norm_rms_epsilon/],
    ['qwen2', 'alignment 2', u32('general.alignment', 2), /32-byte aligned/],
    ['qwen2', 'alignment 1', u32('general.alignment', 1), /32-byte aligned/],
    ['qwen2', 'alignment 3', u32('general.alignment', 3), /power of 2/],
    ['qwen2', 'head_count 0', u32('attention.head_count', 0), /head_count/],
    ['qwen2', 'head_count_kv 3 does not divide 4', u32('attention.head_count_kv', 3), /head_count_kv 3/],
    ['qwen2moe', 'head_count 8 (head size no longer fits)', u32('attention.head_count', 8), /shape|head/],
    ['qwen2', 'block_count 0', u32('block_count', 0), /block_count/],
    ['qwen2', 'block_count 513', u32('block_count', 513), /block_count 513 is outside/],
    ['qwen2', 'block_count 3 with 2 layers of tensors', u32('block_count', 3), /missing tensor blk\.2\./],
    ['qwen2moe', 'block_count 1 with 2 layers of tensors', u32('block_count', 1), /unexpected tensor blk\.1\./],
    ['qwen2', 'embedding_length 32', u32('embedding_length', 32), /shape|head/],
    ['qwen2', 'feed_forward_length 64', u32('feed_forward_length', 64), /ffn_gate\.weight has shape \[64, 128\], expected \[64, 64\]/],
    ['qwen2moe', 'expert_used_count 5 > expert_count 4', u32('expert_used_count', 5), /expert_used_count 5 is (more|larger) than expert_count 4/],
    ['qwen2moe', 'expert_count 0', u32('expert_count', 0), /expert_count/],
    ['qwen2moe', 'expert_count 8 (tensors have 4)', u32('expert_count', 8), /expected \[64, 8\]/],
    ['qwen2', 'rope freq base -1', f32('rope.freq_base', -1), /rope\.freq_base must be a finite number above 0/],
    ['qwen2', 'rope freq base infinite', f32('rope.freq_base', Infinity), /rope\.freq_base/],
    ['qwen2', 'context_length 0', u32('context_length', 0), /context_length/],
    ['qwen2', 'block_count stored as i32', (b, _i, kv) => b.writeUInt32LE(5, kv('block_count').typeAt), /block_count must be a u32, not a i32/],
    ['qwen2', 'eos token id stored as i32', (b, _i, kv) => b.writeUInt32LE(5, kv('tokenizer.ggml.eos_token_id').typeAt), /eos_token_id must be a u32/],
    ['qwen2', 'zero dimension', (b, i) => b.writeBigInt64LE(0n, i.tensors.at(-1)!.dimsAt[0]!), /dimension of 0/],
    ['qwen2moe', 'offset past the end', (b, i) => b.writeBigUInt64LE(1n << 40n, i.tensors.at(-1)!.offsetAt), /offset/],
    ['qwen2', 'norm weight as I32 (same size as F32)', (b, i) => b.writeUInt32LE(26, i.tensors.at(-1)!.typeAt), /I32/],
    ['qwen2', 'unknown tensor type 4', (b, i) => b.writeUInt32LE(4, i.tensors.at(-1)!.typeAt), /unknown type 4/],
    ['qwen2', 'tokenizer pre renamed', (b, _i, kv) => void b.write('qwen3', kv('tokenizer.ggml.pre').valueAt + 8), /unknown tokenizer\.ggml\.pre qwen3/],
  ];
  for (const [arch, label, edit, reason] of cases) {
    test(`${arch}: ${label}`, async () => {
      const why = await check(base[arch].edited(label, edit));
      assert.ok(why !== null, `${label} was accepted`);
      assert.match(why, reason);
    });
  }

  test('a token made equal to another one (as the C string llama.cpp sees) is refused', async () => {
    const m = base.qwen2.edited('duplicate token', (b, i) => {
      // Token 0 is "!"; token 1 ("\"") becomes "!\0", which llama.cpp reads as "!".
      const at = i.tokenAt[1]!;
      assert.equal(Number(b.readBigUInt64LE(at)), 1);
      b[at + 8] = 0x21;
    });
    assert.match((await check(m)) ?? 'accepted', /item 1 of tokenizer\.ggml\.tokens repeats item 0/);
  });

  test('a tensor name with control bytes is refused and shown escaped', async () => {
    const m = base.qwen2.edited('control bytes', (b, i) => {
      const t = i.tensors.find((x) => x.name === 'blk.0.attn_q.weight')!;
      b[t.nameAt + 8 + 1] = 0x07;
      b[t.nameAt + 8 + 2] = 0x1b;
    });
    const why = (await check(m)) ?? 'accepted';
    assert.match(why, /unexpected tensor b\\x07\\x1b\.0\.attn_q\.weight/);
    assert.doesNotMatch(why, CONTROL);
  });

  test('the unmodified models and their part-1-of-a-split shape are accepted', async () => {
    for (const arch of ['qwen2', 'qwen2moe'] as const) assert.equal(await check(base[arch].edited('none', () => {})), null);
  });
});

test('printable escapes control bytes and caps the length', () => {
  assert.equal(printable('a\u0000b\u001b[31mc\u007f\ufffd'), 'a\\x00b\\x1b[31mc\\x7f\\ufffd');
  assert.equal(printable('x'.repeat(200), 10), `${'x'.repeat(10)}…`);
  assert.equal(printable('模型.权重'), '模型.权重');
});

test('240 seeded mutations of both models: accepted, or a GgufError whose reason has no raw control bytes', async () => {
  const reasons = new Map<string, number>();
  let accepted = 0;
  for (const arch of ['qwen2', 'qwen2moe'] as const) {
    const r = rng(arch === 'qwen2' ? 0x9e3779b9 : 0x7f4a7c15);
    for (let i = 0; i < 120; i++) {
      const m = base[arch].mutate(r, i);
      const why = await check(m);
      if (why === null) {
        accepted++;
        continue;
      }
      assert.doesNotMatch(why, CONTROL, `${m.label}: ${JSON.stringify(why)}`);
      assert.ok(why.length < 400, `${m.label}: reason of ${why.length} characters`);
      const kind = why.replace(/[0-9]+/g, 'N').split(/[ :]/).slice(0, 2).join(' ');
      reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
    }
  }
  assert.ok(accepted > 0 && accepted < 240, `accepted ${accepted} of 240`);
  assert.ok(reasons.size >= 12, `few distinct reasons: ${[...reasons.keys()].join(', ')}`);
});
