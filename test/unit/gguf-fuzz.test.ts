import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { GgufError, readGgufHeader, type GgufHeader } from '../../native/gguf/reader.js';
import { meta, writeGguf } from '../../native/gguf/writer.js';

let dir: string;
let good: Buffer;
let headerEnd: number;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gguf-fuzz-'));
  const path = join(dir, 'seed.gguf');
  const r = await writeGguf(
    path,
    [
      ['general.architecture', meta.string('qwen2moe')],
      ['general.name', meta.string('fuzz')],
      ['qwen2moe.context_length', meta.u32(1024)],
      ['qwen2moe.embedding_length', meta.u32(32)],
      ['qwen2moe.block_count', meta.u32(1)],
      ['qwen2moe.attention.head_count', meta.u32(2)],
      ['qwen2moe.expert_count', meta.u32(4)],
      ['qwen2moe.expert_used_count', meta.u32(2)],
      ['qwen2moe.rope.freq_base', meta.f32(1e6)],
      ['tokenizer.ggml.tokens', meta.array('string', Array.from({ length: 400 }, (_, i) => `tok${i}`))],
      ['tokenizer.ggml.token_type', meta.array('i32', new Int32Array(400).fill(1))],
      ['tokenizer.ggml.add_bos_token', meta.bool(false)],
      ['tokenizer.chat_template', meta.string('{{ messages }}')],
    ],
    [
      { name: 'token_embd.weight', dims: [32, 40], type: 'q8_0', data: (c) => c.fill(0.25) },
      { name: 'blk.0.ffn_up_exps.weight', dims: [32, 8, 4], type: 'q4_0', data: (c) => c.fill(-0.5) },
      { name: 'blk.0.attn_q.bias', dims: [32], type: 'f32', data: new Float32Array(32) },
      { name: 'output.weight', dims: [32, 40], type: 'f16', data: (c) => c.fill(0.125) },
    ],
  );
  good = await readFile(path);
  headerEnd = r.dataOffset;
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** xorshift32 with a fixed seed, so every run fuzzes the same cases. */
function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const HUGE = [0xffffffffffffffffn, 1n << 63n, 1n << 40n, 1n << 32n, 0xffffffffn, 0n, 1n, 64n];

function mutate(r: (n: number) => number, i: number): Buffer {
  const b = Buffer.from(good);
  // Most mutations land in the header, where the parsing happens.
  const pos = (limit: number): number => r(limit);
  switch (i % 6) {
    case 0: // flip a few random bytes
      for (let k = 0, n = 1 + r(6); k < n; k++) b[pos(headerEnd)] = r(256);
      return b;
    case 1: // truncate anywhere
      return b.subarray(0, pos(b.length));
    case 2: // write an extreme u64 somewhere in the header
      b.writeBigUInt64LE(HUGE[r(HUGE.length)]!, pos(headerEnd - 8));
      return b;
    case 3: // write an extreme u32 (value types, dims counts, tensor types)
      b.writeUInt32LE([0xffffffff, 9, 12, 13, 100, 4, 2, 8][r(8)]!, pos(headerEnd - 4));
      return b;
    case 4: {
      // delete a run of bytes
      const at = pos(headerEnd);
      return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + r(16))]);
    }
    default: {
      // insert random bytes
      const at = pos(headerEnd);
      const extra = Buffer.from(Array.from({ length: 1 + r(16) }, () => r(256)));
      return Buffer.concat([b.subarray(0, at), extra, b.subarray(at)]);
    }
  }
}

function checkValid(h: GgufHeader, size: number): void {
  assert.equal(h.fileSize, size);
  assert.ok(h.dataEnd <= size);
  for (const t of h.tensors) {
    assert.ok(t.fileOffset >= h.dataOffset && t.fileOffset + t.bytes <= size);
    assert.ok(Number.isSafeInteger(t.elements));
  }
  assert.ok(h.summary.architecture === 'qwen2' || h.summary.architecture === 'qwen2moe');
}

test('400 mutated or truncated copies: a valid header or a GgufError with a reason, never a crash or hang', async () => {
  const r = rng(0x5eed1234);
  const path = join(dir, 'case.gguf');
  let accepted = 0;
  const reasons = new Map<string, number>();
  for (let i = 0; i < 400; i++) {
    const bytes = mutate(r, i);
    await writeFile(path, bytes);
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`case ${i} hung`)), 5000);
    });
    try {
      const h = await Promise.race([readGgufHeader(path, { structureOnly: true }), hang]);
      checkValid(h, bytes.length);
      accepted++;
    } catch (e) {
      assert.ok(e instanceof GgufError, `case ${i}: ${e instanceof Error ? e.stack : String(e)}`);
      assert.ok(e.reason.length > 0);
      const kind = e.reason.split(/[ :]/)[0]!;
      reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
    } finally {
      clearTimeout(timer);
    }
  }
  // The fuzzing must exercise both outcomes and several different checks.
  assert.ok(accepted > 0, 'no mutated copy was accepted');
  assert.ok(accepted < 400, 'no mutated copy was rejected');
  assert.ok(reasons.size >= 5, `few distinct reasons: ${[...reasons.keys()].join(', ')}`);
});
