import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, open, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureSyntheticModel, modelCacheDir } from '../../native/gguf/cache.js';
import { decodeTensorData } from '../../native/gguf/encode.js';
import { readGgufHeader, type GgufHeader } from '../../native/gguf/reader.js';
import { runSynthCommand } from '../../native/gguf/synth-cli.js';
import { writeSyntheticModel } from '../../native/gguf/synth.js';
import { loadQwen2Tokenizer, QWEN2_CHAT_TEMPLATE, TOKEN_TYPE } from '../../native/gguf/tokenizer-data.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gguf-synth-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex');

async function tensorValues(h: GgufHeader, name: string): Promise<Float32Array> {
  const t = h.tensors.find((x) => x.name === name);
  assert.ok(t, name);
  const fh = await open(h.path, 'r');
  try {
    const bytes = Buffer.alloc(t.bytes);
    await fh.read(bytes, 0, t.bytes, t.fileOffset);
    return decodeTensorData(t.typeName.toLowerCase() as 'f32', bytes, t.elements);
  } finally {
    await fh.close();
  }
}

describe('tokenizer data', () => {
  test('regular, control and padding tokens with their types, and merges as "a b" strings', async () => {
    const t = await loadQwen2Tokenizer(151936);
    assert.equal(t.tokens.length, 151936);
    assert.equal(t.tokens[0], '!');
    assert.equal(t.tokens[220], 'Ġ');
    assert.equal(t.tokens[108386], 'ä½łå¥½'); // byte-level BPE text of 你好
    assert.deepEqual(t.tokens.slice(151643, 151647), ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '[PAD151646]']);
    assert.equal(t.tokens[151935], '[PAD151935]');
    assert.equal(t.tokenTypes[0], TOKEN_TYPE.normal);
    assert.equal(t.tokenTypes[151642], TOKEN_TYPE.normal);
    assert.deepEqual([...t.tokenTypes.subarray(151643, 151647)], [3, 3, 3, 5]);
    assert.equal(t.tokenTypes[151935], TOKEN_TYPE.unused);
    assert.equal(t.merges.length, 151387);
    assert.equal(t.merges[0], 'Ġ Ġ');
    assert.ok(t.merges.every((m) => m.split(' ').length === 2));
    await assert.rejects(loadQwen2Tokenizer(151000), /at least 151646/);
  });
});

describe('writeSyntheticModel', () => {
  test('tiny qwen2 Q8_0: metadata, tied output, F32 norms of 1.0 and biases', async () => {
    const out = join(dir, 'tiny.gguf');
    const r = await writeSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', out });
    const h = await readGgufHeader(out);
    assert.equal(r.bytes, h.fileSize);
    const m = h.metadata;
    const expected: [string, unknown][] = [
      ['general.architecture', 'qwen2'],
      ['general.file_type', 7],
      ['general.alignment', 32],
      ['qwen2.context_length', 32768],
      ['qwen2.embedding_length', 64],
      ['qwen2.block_count', 2],
      ['qwen2.feed_forward_length', 128],
      ['qwen2.attention.head_count', 4],
      ['qwen2.attention.head_count_kv', 2],
      ['qwen2.rope.freq_base', 1e6],
      ['tokenizer.ggml.model', 'gpt2'],
      ['tokenizer.ggml.pre', 'qwen2'],
      ['tokenizer.ggml.bos_token_id', 151643],
      ['tokenizer.ggml.eos_token_id', 151645],
      ['tokenizer.ggml.padding_token_id', 151643],
      ['tokenizer.ggml.add_bos_token', false],
      ['tokenizer.chat_template', QWEN2_CHAT_TEMPLATE],
    ];
    for (const [k, v] of expected) assert.equal(m.get(k), v, k);
    assert.ok(Math.abs((m.get('qwen2.attention.layer_norm_rms_epsilon') as number) - 1e-6) < 1e-12);
    assert.deepEqual(m.get('tokenizer.ggml.tokens'), { itemType: 'string', length: 151936, values: null });
    assert.deepEqual(m.get('tokenizer.ggml.token_type'), { itemType: 'i32', length: 151936, values: null });
    assert.deepEqual(m.get('tokenizer.ggml.merges'), { itemType: 'string', length: 151387, values: null });
    assert.ok(!m.has('qwen2.rope.scaling.type'));
    assert.ok(QWEN2_CHAT_TEMPLATE.includes('You are a helpful assistant.'));

    const names = h.tensors.map((t) => t.name);
    assert.ok(!names.includes('output.weight'));
    assert.equal(h.tensors.length, 2 + 2 * 12);
    const byName = new Map(h.tensors.map((t) => [t.name, t]));
    assert.deepEqual(byName.get('token_embd.weight')!.dims, [64, 151936]);
    assert.equal(byName.get('token_embd.weight')!.typeName, 'Q8_0');
    assert.deepEqual(byName.get('blk.1.attn_k.weight')!.dims, [64, 32]);
    assert.equal(byName.get('blk.1.attn_k.bias')!.typeName, 'F32');
    assert.equal(byName.get('blk.0.ffn_norm.weight')!.typeName, 'F32');
    assert.ok((await tensorValues(h, 'output_norm.weight')).every((v) => v === 1));
    assert.ok((await tensorValues(h, 'blk.0.attn_norm.weight')).every((v) => v === 1));
    const bias = await tensorValues(h, 'blk.0.attn_q.bias');
    assert.ok(bias.every((v) => Math.abs(v) <= 0.01) && bias.some((v) => v !== 0));
    const w = await tensorValues(h, 'blk.0.ffn_down.weight');
    assert.ok(w.every((v) => Math.abs(v) <= 0.0445) && w.some((v) => Math.abs(v) > 0.03));
    assert.equal(h.summary.parameterCount, r.parameters);
  });

  test('tiny qwen2moe: expert metadata and tensors, output.weight always present', async () => {
    const out = join(dir, 'moe.gguf');
    await writeSyntheticModel({ preset: 'tiny', arch: 'qwen2moe', type: 'q4_0', out, layers: 1 });
    const h = await readGgufHeader(out);
    const m = h.metadata;
    assert.equal(m.get('general.file_type'), 2);
    assert.equal(m.get('qwen2moe.expert_count'), 4);
    assert.equal(m.get('qwen2moe.expert_used_count'), 2);
    assert.equal(m.get('qwen2moe.expert_feed_forward_length'), 32);
    assert.equal(m.get('qwen2moe.expert_shared_feed_forward_length'), 64);
    const dims = new Map(h.tensors.map((t) => [t.name, `${t.dims.join('x')} ${t.typeName}`]));
    assert.equal(dims.get('output.weight'), '64x151936 Q4_0');
    assert.equal(dims.get('blk.0.ffn_gate_inp.weight'), '64x4 F32');
    assert.equal(dims.get('blk.0.ffn_gate_exps.weight'), '64x32x4 Q4_0');
    assert.equal(dims.get('blk.0.ffn_up_exps.weight'), '64x32x4 Q4_0');
    assert.equal(dims.get('blk.0.ffn_down_exps.weight'), '32x64x4 Q4_0');
    assert.equal(dims.get('blk.0.ffn_gate_inp_shexp.weight'), '64 F32');
    assert.equal(dims.get('blk.0.ffn_gate_shexp.weight'), '64x64 Q4_0');
    assert.equal(dims.get('blk.0.ffn_down_shexp.weight'), '64x64 Q4_0');
    assert.ok(!dims.has('blk.0.ffn_gate.weight'));
    const s = h.summary;
    assert.deepEqual([s.architecture, s.experts, s.expertsUsed, s.quantisation], ['qwen2moe', 4, 2, 'Q4_0']);
    const routed = 3 * 64 * 32 * 4;
    assert.equal(s.parameterCount - s.activeParameterCount, routed / 2);
  });

  test('deterministic from the seed; context above 32K writes YaRN scaling; f16/f32 file types', async () => {
    const a = join(dir, 'a.gguf');
    const b = join(dir, 'b.gguf');
    const c = join(dir, 'c.gguf');
    await writeSyntheticModel({ preset: 'tiny', type: 'f16', layers: 1, seed: 5, out: a });
    await writeSyntheticModel({ preset: 'tiny', type: 'f16', layers: 1, seed: 5, out: b });
    await writeSyntheticModel({ preset: 'tiny', type: 'f16', layers: 1, seed: 6, out: c, contextLength: 131072 });
    assert.equal(await sha(a), await sha(b));
    assert.notEqual(await sha(a), await sha(c));
    const h = await readGgufHeader(c);
    assert.equal(h.metadata.get('general.file_type'), 1);
    assert.deepEqual(h.summary.ropeScaling, { type: 'yarn', factor: 4, originalContextLength: 32768 });
    assert.equal(h.summary.contextLength, 131072);
    const f32 = join(dir, 'f32.gguf');
    await writeSyntheticModel({ preset: 'tiny', type: 'f32', layers: 1, out: f32 });
    assert.equal((await readGgufHeader(f32)).summary.quantisation, 'F32');
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.tmp')), []);
  });
});

describe('ensureSyntheticModel', () => {
  test('writes once into $QWEN2_DESK_CACHE/models, reuses, and replaces a damaged file', async () => {
    const saved = process.env.QWEN2_DESK_CACHE;
    process.env.QWEN2_DESK_CACHE = join(dir, 'cache');
    try {
      const opts = { preset: 'tiny', arch: 'qwen2' as const, type: 'q8_0' as const, layers: 1 };
      const [p1, p2] = await Promise.all([ensureSyntheticModel(opts), ensureSyntheticModel(opts)]);
      assert.equal(p1, p2);
      assert.equal(join(modelCacheDir(), basename(p1)), p1);
      assert.ok(p1.startsWith(join(dir, 'cache', 'models')));
      assert.equal(basename(p1), 'synth-v1-tiny-qwen2-q8_0-l1-s1-c32768.gguf');
      const first = await stat(p1);
      assert.equal(await ensureSyntheticModel(opts), p1);
      assert.equal((await stat(p1)).mtimeMs, first.mtimeMs);
      await truncate(p1, 1000);
      const stale = `${p1}.999.abc.tmp`;
      const fresh = `${p1}.998.def.tmp`;
      await writeFile(stale, 'partial');
      await writeFile(fresh, 'partial');
      await utimes(stale, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
      await ensureSyntheticModel(opts);
      assert.deepEqual((await readdir(modelCacheDir())).sort(), [basename(p1), basename(fresh)].sort());
      await rm(fresh);
      assert.equal((await stat(p1)).size, first.size);
      assert.deepEqual(await readdir(modelCacheDir()), [basename(p1)]);
      const moe = await ensureSyntheticModel({ ...opts, arch: 'qwen2moe', seed: 3 });
      assert.equal(basename(moe), 'synth-v1-tiny-qwen2moe-q8_0-l1-s3-c32768.gguf');
    } finally {
      if (saved === undefined) delete process.env.QWEN2_DESK_CACHE;
      else process.env.QWEN2_DESK_CACHE = saved;
    }
  });
});

describe('runSynthCommand', () => {
  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const [log, error] = [console.log, console.error];
    let out = '';
    let err = '';
    console.log = (s: string) => void (out += `${s}\n`);
    console.error = (s: string) => void (err += `${s}\n`);
    try {
      return { code: await runSynthCommand(args), out, err };
    } finally {
      [console.log, console.error] = [log, error];
    }
  }

  test('writes a model and says what it wrote', async () => {
    const out = join(dir, 'cli.gguf');
    const r = await run(['--preset', 'tiny', '--arch', 'qwen2moe', '--out', out, '--type=q4_0', '--layers', '1', '--seed', '9']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`wrote ${out}`));
    assert.match(r.out, /tiny qwen2moe Q4_0: 1 layer, hidden 64, 4 heads \/ 2 kv, 4 experts \(2 used\)/);
    assert.match(r.out, /M parameters, [\d.]+ MB \(\d+ bytes\)/);
    assert.equal((await readGgufHeader(out)).summary.layers, 1);
  });

  test('bad flags give exit code 2 and a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['--out', 'x.gguf'], /--preset is required/],
      [['--preset', 'tiny'], /--out is required/],
      [['--preset', 'huge', '--out', 'x'], /unknown preset "huge"/],
      [['--preset', 'tiny', '--out', 'x', '--arch', 'llama'], /--arch must be qwen2 or qwen2moe/],
      [['--preset', 'tiny', '--out', 'x', '--type', 'q5_k'], /--type must be f32, f16, q8_0 or q4_0/],
      [['--preset', 'tiny', '--out', 'x', '--layers', 'two'], /--layers needs a whole number/],
      [['--preset', 'tiny', '--out', 'x', '--layers', '9'], /layers must be an integer from 1 to 2/],
      [['--preset', 'tiny', '--out', 'x', '--bogus', '1'], /unknown argument "--bogus"/],
      [['--preset', 'tiny', '--out'], /--out needs a value/],
      [['--preset', 'qwen2-7b', '--arch', 'qwen2moe', '--out', 'x'], /only tiny can be written as either/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, message);
      assert.match(r.err, /usage: qwen2-desk synth/);
    }
    const missingDir = await run(['--preset', 'tiny', '--out', join(dir, 'no', 'such', 'dir', 'x.gguf'), '--layers', '1']);
    assert.equal(missingDir.code, 1);
    assert.match(missingDir.err, /cannot write/);
    assert.equal((await run(['--help'])).code, 0);
  });
});
