import assert from 'node:assert/strict';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeTensorData, encodeTensorData } from '../../native/gguf/encode.js';
import { f16ToF32, f32ToF16 } from '../../native/gguf/f16.js';
import { readGgufHeader } from '../../native/gguf/reader.js';
import { TENSOR_TYPES, type TensorTypeName } from '../../native/gguf/types.js';
import { meta, writeGguf, type GgufMetaValue, type GgufTensorSpec } from '../../native/gguf/writer.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gguf-writer-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ramp(n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(i * 0.37) * scale;
  return a;
}

describe('f16', () => {
  test('exact values, rounding to nearest even, overflow and subnormals', () => {
    assert.equal(f32ToF16(1), 0x3c00);
    assert.equal(f32ToF16(-2), 0xc000);
    assert.equal(f32ToF16(65504), 0x7bff);
    assert.equal(f32ToF16(65520), 0x7c00); // rounds up to infinity
    assert.equal(f32ToF16(1e6), 0x7c00);
    assert.equal(f32ToF16(2 ** -24), 0x0001); // smallest subnormal
    assert.equal(f32ToF16(2 ** -26), 0x0000);
    assert.equal(f32ToF16(1 + 2 ** -11), 0x3c00); // tie -> even
    assert.equal(f32ToF16(1 + 3 * 2 ** -11), 0x3c02); // tie -> even (up)
    assert.ok(Number.isNaN(f16ToF32(f32ToF16(NaN))));
    assert.equal(f16ToF32(0x3555), 0.333251953125);
  });

  test('every finite half survives a round trip', () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00) continue;
      assert.equal(f32ToF16(f16ToF32(h)), h === 0x8000 ? 0x8000 : h);
    }
  });
});

describe('block encodings', () => {
  test('Q8_0 block layout: fp16 scale then 32 int8', () => {
    const x = new Float32Array(32);
    for (let i = 0; i < 32; i++) x[i] = i - 16; // amax 16
    const out = new Uint8Array(34);
    assert.equal(encodeTensorData('q8_0', x, out, 0), 34);
    const d = 16 / 127;
    assert.equal(out[0]! | (out[1]! << 8), f32ToF16(d));
    const q = new Int8Array(out.buffer, 2, 32);
    assert.equal(q[0], -127);
    assert.equal(q[16], 0);
    assert.equal(q[31], Math.round(15 / d));
  });

  test('Q8_0 rounds halves away from zero like roundf', () => {
    const x = new Float32Array(32);
    x[0] = 127; // d = 1, id = 1
    x[1] = 2.5;
    x[2] = -2.5;
    x[3] = -0.5;
    const out = new Uint8Array(34);
    encodeTensorData('q8_0', x, out, 0);
    assert.deepEqual([...new Int8Array(out.buffer, 2, 4)], [127, 3, -3, -1]);
  });

  test('Q4_0 block layout: fp16 scale then low nibbles = first 16, high nibbles = last 16', () => {
    const x = new Float32Array(32);
    x[0] = -8; // max by magnitude is negative: d = -8 / -8 = 1
    x[1] = 7;
    x[16] = 3;
    x[17] = -3;
    const out = new Uint8Array(18);
    assert.equal(encodeTensorData('q4_0', x, out, 0), 18);
    assert.equal(out[0]! | (out[1]! << 8), f32ToF16(1));
    assert.equal(out[2], 0 | ((3 + 8) << 4));
    assert.equal(out[3], 15 | ((-3 + 8) << 4));
    assert.equal(out[4], 8 | (8 << 4));
  });

  for (const [type, tolerance] of [['f32', 0], ['f16', 1e-3], ['q8_0', 0.01], ['q4_0', 0.15]] as const) {
    test(`${type} decodes back within ${tolerance} of the input`, () => {
      const x = ramp(256);
      const out = new Uint8Array((256 / TENSOR_TYPES[type].blockSize) * TENSOR_TYPES[type].typeSize);
      assert.equal(encodeTensorData(type, x, out, 0), out.length);
      const y = decodeTensorData(type, out, 256);
      let worst = 0;
      for (let i = 0; i < 256; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
      assert.ok(worst <= tolerance, `worst error ${worst}`);
      if (type !== 'f32') assert.ok(worst > 0);
    });
  }
});

describe('writeGguf + readGgufHeader round trip', () => {
  const metadata: [string, GgufMetaValue][] = [
    ['general.architecture', meta.string('qwen2')],
    ['general.name', meta.string('round trip ✓ 模型')],
    ['qwen2.context_length', meta.u32(4096)],
    ['qwen2.embedding_length', meta.u32(64)],
    ['qwen2.block_count', meta.u32(1)],
    ['qwen2.attention.head_count', meta.u32(4)],
    ['test.u8', meta.u8(255)],
    ['test.i8', meta.i8(-128)],
    ['test.u16', meta.u16(65535)],
    ['test.i16', meta.i16(-32768)],
    ['test.i32', meta.i32(-2147483648)],
    ['test.f32', meta.f32(0.5)],
    ['test.f64', meta.f64(Math.PI)],
    ['test.u64', meta.u64(2n ** 63n)],
    ['test.i64', meta.i64(-5)],
    ['test.bool', meta.bool(true)],
    ['test.strings', meta.array('string', ['a', '', 'ĠHello', '你好'])],
    ['test.ints', meta.array('i32', new Int32Array([1, -2, 3]))],
    ['test.bools', meta.array('bool', [true, false])],
    ['test.long', meta.array('string', Array.from({ length: 1000 }, (_, i) => `tok${i}`))],
    ['test.longints', meta.array('u16', new Array(5000).fill(7))],
  ];
  const tensors: GgufTensorSpec[] = [
    { name: 'a.f32', dims: [32, 3], type: 'f32', data: ramp(96) },
    { name: 'b.f16', dims: [33], type: 'f16', data: ramp(33) },
    { name: 'c.q8', dims: [64, 2, 3], type: 'q8_0', data: (chunk, start) => chunk.set(ramp(start + chunk.length).subarray(start)) },
    { name: 'd.q4', dims: [32, 5], type: 'q4_0', data: ramp(160, 2) },
  ];

  test('metadata, tensor infos and tensor data come back as written', async () => {
    const path = join(dir, 'rt.gguf');
    const result = await writeGguf(path, metadata, tensors, { chunkElements: 256 });
    const h = await readGgufHeader(path, { maxArrayValues: 100, structureOnly: true });
    assert.equal(h.version, 3);
    assert.equal(h.alignment, 32);
    assert.equal(h.fileSize, result.bytes);
    assert.equal(h.dataOffset, result.dataOffset);
    assert.equal(h.dataOffset % 32, 0);
    const m = h.metadata;
    assert.equal(m.get('general.name'), 'round trip ✓ 模型');
    assert.equal(m.get('general.alignment'), 32);
    assert.equal(h.metadataTypes.get('general.alignment'), 'u32');
    assert.equal(m.get('test.u8'), 255);
    assert.equal(m.get('test.i8'), -128);
    assert.equal(m.get('test.u16'), 65535);
    assert.equal(m.get('test.i16'), -32768);
    assert.equal(m.get('test.i32'), -2147483648);
    assert.equal(m.get('test.f32'), 0.5);
    assert.equal(m.get('test.f64'), Math.PI);
    assert.equal(m.get('test.u64'), 2n ** 63n);
    assert.equal(m.get('test.i64'), -5);
    assert.equal(m.get('test.bool'), true);
    assert.deepEqual(m.get('test.strings'), { itemType: 'string', length: 4, values: ['a', '', 'ĠHello', '你好'] });
    assert.deepEqual(m.get('test.ints'), { itemType: 'i32', length: 3, values: [1, -2, 3] });
    assert.deepEqual(m.get('test.bools'), { itemType: 'bool', length: 2, values: [true, false] });
    assert.deepEqual(m.get('test.long'), { itemType: 'string', length: 1000, values: null });
    assert.deepEqual(m.get('test.longints'), { itemType: 'u16', length: 5000, values: null });

    assert.deepEqual(h.tensors.map((t) => [t.name, t.dims, t.typeName, t.elements]), [
      ['a.f32', [32, 3], 'F32', 96],
      ['b.f16', [33], 'F16', 33],
      ['c.q8', [64, 2, 3], 'Q8_0', 384],
      ['d.q4', [32, 5], 'Q4_0', 160],
    ]);
    const fh = await open(path, 'r');
    try {
      for (const t of h.tensors) {
        assert.equal(t.fileOffset % 32, 0);
        const bytes = Buffer.alloc(t.bytes);
        await fh.read(bytes, 0, t.bytes, t.fileOffset);
        const type = t.typeName.toLowerCase() as TensorTypeName;
        const got = decodeTensorData(type, bytes, t.elements);
        const want = t.name === 'd.q4' ? ramp(160, 2) : ramp(t.elements);
        const expected = new Uint8Array(t.bytes);
        encodeTensorData(type, want, expected, 0);
        assert.deepEqual(bytes, Buffer.from(expected), `${t.name} bytes`);
        assert.ok(got.every((v, i) => Math.abs(v - want[i]!) <= 0.26), `${t.name} values`);
      }
    } finally {
      await fh.close();
    }
    assert.equal(h.summary.parameterCount, 96 + 33 + 384 + 160);
    assert.equal(h.summary.sizeBytes, result.bytes);
  });

  test('the file is byte-identical to the header plus the encoded data, and version 2 can be written', async () => {
    const a = join(dir, 'v3.gguf');
    const b = join(dir, 'v2.gguf');
    await writeGguf(a, metadata, tensors);
    await writeGguf(b, metadata, tensors, { version: 2 });
    const [ba, bb] = [await readFile(a), await readFile(b)];
    assert.equal(ba.readUInt32LE(4), 3);
    assert.equal(bb.readUInt32LE(4), 2);
    assert.deepEqual(ba.subarray(8), bb.subarray(8));
    assert.equal((await readGgufHeader(b, { structureOnly: true })).version, 2);
  });

  test('bad tensors and metadata are refused before anything is written', async () => {
    const path = join(dir, 'bad.gguf');
    const base = { name: 't', type: 'q8_0' as const, data: new Float32Array(48) };
    await assert.rejects(writeGguf(path, metadata, [{ ...base, dims: [48] }]), /not a multiple of the q8_0 block size 32/);
    await assert.rejects(writeGguf(path, metadata, [{ ...base, dims: [32, 0] }]), /bad dims/);
    await assert.rejects(writeGguf(path, metadata, [{ ...base, dims: [32, 2] }]), /48 values for 64 elements/);
    await assert.rejects(writeGguf(path, [...metadata, ['test.u8', meta.u8(1)]], []), /duplicate metadata key test.u8/);
    await assert.rejects(writeGguf(path, metadata, [], { alignment: 24 }), /not a power of 2/);
  });
});
