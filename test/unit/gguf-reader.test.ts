import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GgufError, readGgufHeader } from '../../native/gguf/reader.js';
import { meta, writeGguf } from '../../native/gguf/writer.js';

let dir: string;
let good: Buffer;
let dataOffset: number;
let n = 0;

// A small valid qwen2 GGUF: a few keys, a 300-token array, four tensors.
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gguf-reader-'));
  const path = join(dir, 'good.gguf');
  const r = await writeGguf(
    path,
    [
      ['general.architecture', meta.string('qwen2')],
      ['general.name', meta.string('micro')],
      ['qwen2.context_length', meta.u32(2048)],
      ['qwen2.embedding_length', meta.u32(32)],
      ['qwen2.block_count', meta.u32(1)],
      ['qwen2.attention.head_count', meta.u32(2)],
      ['test.aaa', meta.u32(1)],
      ['test.bbb', meta.bool(true)],
      ['tokenizer.ggml.tokens', meta.array('string', Array.from({ length: 300 }, (_, i) => `t${i}`))],
    ],
    [
      { name: 'token_embd.weight', dims: [32, 300], type: 'q8_0', data: (c) => c.fill(0.5) },
      { name: 'blk.0.odd_x.weight', dims: [33], type: 'f16', data: new Float32Array(33) },
      { name: 'blk.0.attn_norm.weight', dims: [32], type: 'f32', data: new Float32Array(32).fill(1) },
      { name: 'output_norm.weight', dims: [32], type: 'f32', data: new Float32Array(32).fill(1) },
    ],
  );
  good = await readFile(path);
  dataOffset = r.dataOffset;
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Offset just after the GGUF string `text` (a key or tensor name) in the file. */
function after_(text: string): number {
  const needle = Buffer.alloc(8 + Buffer.byteLength(text));
  needle.writeBigUInt64LE(BigInt(Buffer.byteLength(text)));
  needle.write(text, 8);
  const at = good.indexOf(needle);
  assert.ok(at > 0, `${text} not found`);
  return at + needle.length;
}

async function reasonOf(bytes: Buffer): Promise<string> {
  const path = join(dir, `case-${n++}.gguf`);
  await writeFile(path, bytes);
  try {
    await readGgufHeader(path);
  } catch (e) {
    assert.ok(e instanceof GgufError, `not a GgufError: ${String(e)}`);
    assert.ok(e.message.includes(e.reason));
    return e.reason;
  }
  assert.fail('the file was accepted');
}

function patched(edit: (b: Buffer) => void): Buffer {
  const b = Buffer.from(good);
  edit(b);
  return b;
}

describe('readGgufHeader rejections', () => {
  test('the unmodified file is accepted', async () => {
    const path = join(dir, 'copy.gguf');
    await writeFile(path, good);
    const h = await readGgufHeader(path, { structureOnly: true }); // a minimal file, not a whole loadable model
    assert.equal(h.summary.architecture, 'qwen2');
    assert.equal(h.tensors.length, 4);
    assert.equal(h.dataOffset, dataOffset);
  });

  test('not a GGUF file', async () => {
    assert.equal(await reasonOf(Buffer.alloc(0)), 'not a GGUF file (only 0 bytes)');
    assert.equal(await reasonOf(patched((b) => b.write('GGML', 0))), 'not a GGUF file (bad magic)');
    assert.equal(await reasonOf(Buffer.from('{"not": "gguf"}')), 'not a GGUF file (bad magic)');
    await assert.rejects(readGgufHeader(dir), (e: unknown) => e instanceof GgufError && e.reason === 'not a regular file');
  });

  test('bad versions', async () => {
    assert.equal(await reasonOf(patched((b) => b.writeUInt32LE(1, 4))), 'unsupported GGUF version 1 (need 2 or 3)');
    assert.equal(await reasonOf(patched((b) => b.writeUInt32LE(4, 4))), 'unsupported GGUF version 4 (need 2 or 3)');
    assert.equal(await reasonOf(patched((b) => b.writeUInt32BE(3, 4))), 'GGUF version 50331648 looks byte-swapped (big-endian file?)');
  });

  test('absurd counts', async () => {
    assert.match(await reasonOf(patched((b) => b.writeBigUInt64LE(1n << 40n, 8))), /^absurd counts: 1099511627776 tensors and 10 metadata entries cannot fit/);
    assert.match(await reasonOf(patched((b) => b.writeBigUInt64LE(100000n, 16))), /^absurd counts: 4 tensors and 100000 metadata entries/);
    assert.equal(await reasonOf(patched((b) => b.writeBigUInt64LE(1n << 63n, 16))), 'absurd metadata count: 9223372036854775808');
    const tokens = after_('tokenizer.ggml.tokens');
    assert.match(
      await reasonOf(patched((b) => b.writeBigUInt64LE(1n << 40n, tokens + 8))),
      /^truncated: array tokenizer.ggml.tokens of 1099511627776 items cannot fit/,
    );
    const name = after_('general.name');
    assert.match(
      await reasonOf(patched((b) => b.writeBigUInt64LE(1n << 50n, name + 4))),
      /^truncated: value of general.name of 1125899906842624 bytes runs past the end of the file/,
    );
  });

  test('truncated anywhere in the header', async () => {
    for (let cut = 4; cut < dataOffset; cut += 7) {
      const reason = await reasonOf(good.subarray(0, cut));
      assert.match(reason, /^(truncated|absurd counts)/, `cut at ${cut}: ${reason}`);
    }
  });

  test('truncated in the tensor data', async () => {
    for (const cut of [dataOffset, dataOffset + 1, dataOffset + 500, good.length - 200, good.length - 1]) {
      assert.equal(await reasonOf(good.subarray(0, cut)), `truncated: tensor data ends at ${good.length} but file is ${cut} bytes`);
    }
  });

  test('architecture must be qwen2 or qwen2moe', async () => {
    const value = after_('general.architecture') + 4 + 8;
    assert.equal(await reasonOf(patched((b) => b.write('llama', value))), 'unsupported architecture llama');
    assert.equal(await reasonOf(patched((b) => b.write('general.architecturX', after_('general.architecture') - 20))), 'missing general.architecture');
    const path = join(dir, 'arch-u32.gguf');
    await writeGguf(path, [['general.architecture', meta.u32(2)]], []);
    await assert.rejects(readGgufHeader(path), (e: unknown) => e instanceof GgufError && e.reason === 'general.architecture is not a string');
  });

  test('split models: later parts are refused with a hint, the first part reports the split', async () => {
    const part2 = join(dir, 'split-2.gguf');
    await writeGguf(part2, [['split.no', meta.u16(1)], ['split.count', meta.u16(3)], ['split.tensors.count', meta.i32(9)]], []);
    await assert.rejects(readGgufHeader(part2), (e: unknown) => e instanceof GgufError && e.reason === 'part 2 of 3 of a split model; open the first part');
    const part1 = join(dir, 'split-1.gguf');
    await writeGguf(part1, [
      ['general.architecture', meta.string('qwen2')],
      ['qwen2.context_length', meta.u32(32768)],
      ['qwen2.embedding_length', meta.u32(64)],
      ['qwen2.block_count', meta.u32(80)],
      ['qwen2.attention.head_count', meta.u32(4)],
      ['split.no', meta.u16(0)],
      ['split.count', meta.u16(3)],
      ['split.tensors.count', meta.i32(9)],
    ], []);
    assert.deepEqual((await readGgufHeader(part1)).summary.split, { count: 3, tensors: 9 });
  });

  test('bad metadata', async () => {
    const aaa = after_('test.aaa');
    assert.equal(await reasonOf(patched((b) => b.writeUInt32LE(99, aaa))), 'unknown metadata value type 99 for key test.aaa');
    assert.equal(await reasonOf(patched((b) => b.write('test.aaa', after_('test.bbb') - 8))), 'duplicate metadata key test.aaa');
    assert.equal(await reasonOf(patched((b) => b.writeUInt8(2, after_('test.bbb') + 4))), 'value of test.bbb is a bool with value 2');
    assert.equal(await reasonOf(patched((b) => b.writeUInt32LE(24, after_('general.alignment') + 4))), 'general.alignment 24 is not a power of 2');
    assert.equal(await reasonOf(patched((b) => b.writeUInt32LE(5, after_('general.alignment')))), 'general.alignment must be a u32');
    assert.equal(await reasonOf(patched((b) => b.write('qwen2.block_counX', after_('qwen2.block_count') - 17))), 'missing metadata key qwen2.block_count');
    assert.equal(await reasonOf(patched((b) => b.writeUInt32LE(0, after_('qwen2.block_count') + 4))), 'metadata key qwen2.block_count must be a positive integer');
    const tokens = after_('tokenizer.ggml.tokens');
    assert.equal(await reasonOf(patched((b) => b.writeUInt32LE(9, tokens + 4))), 'nested arrays are not supported (key tokenizer.ggml.tokens)');
    assert.equal(await reasonOf(patched((b) => b.writeUInt32LE(13, tokens + 4))), 'unknown array item type 13 for key tokenizer.ggml.tokens');
  });

  test('bad tensor infos', async () => {
    const embd = after_('token_embd.weight');
    const odd = after_('blk.0.odd_x.weight');
    const norm = after_('blk.0.attn_norm.weight');
    assert.equal(await reasonOf(patched((b) => b.writeUInt32LE(5, embd))), 'tensor token_embd.weight has 5 dimensions (at most 4)');
    assert.equal(await reasonOf(patched((b) => b.writeBigInt64LE(-1n, embd + 4))), 'tensor token_embd.weight has a negative dimension -1');
    assert.equal(await reasonOf(patched((b) => b.writeUInt32LE(4, embd + 4 + 16))), 'tensor token_embd.weight has unknown type 4');
    assert.equal(await reasonOf(patched((b) => b.writeUInt32LE(1000, embd + 4 + 16))), 'tensor token_embd.weight has unknown type 1000');
    assert.equal(
      await reasonOf(patched((b) => b.writeUInt32LE(8, odd + 4 + 8))),
      'tensor blk.0.odd_x.weight: row of 33 elements is not a multiple of the Q8_0 block size 32',
    );
    const offset = patched((b) => b.writeBigUInt64LE(b.readBigUInt64LE(norm + 4 + 8 + 4) + 32n, norm + 4 + 8 + 4));
    assert.match(await reasonOf(offset), /^tensor blk.0.attn_norm.weight has data offset \d+, expected \d+$/);
    assert.equal(await reasonOf(patched((b) => b.write('blk.0.odd_x.weight', after_('output_norm.weight') - 18))), 'duplicate tensor name blk.0.odd_x.weight');
    const last = after_('output_norm.weight');
    assert.match(
      await reasonOf(patched((b) => b.writeBigUInt64LE(1n << 40n, last + 4))),
      new RegExp(`^truncated: tensor data ends at \\d+ but file is ${good.length} bytes$`),
    );
  });
});
