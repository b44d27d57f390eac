// A split GGUF model read as one model: shape from part 1, tensors/parameters/size from every part,
// and clear errors for parts that are missing, out of order, from another model or inconsistent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { readGgufModel } from '../../native/gguf/split.js';
import { meta, writeGguf } from '../../native/gguf/writer.js';
import { writeSplitModel } from '../helpers/split-model.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-split-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('every part counts: tensors, parameters and size are those of all parts; the shape is part 1’s', async () => {
  const parts = await writeSplitModel(dir, 'three', 3);
  const model = await readGgufModel(parts);
  assert.deepEqual(model.tensors.map((t) => t.name), ['blk.0.w', 'blk.1.w', 'blk.2.w']);
  assert.equal(model.summary.parameterCount, 3 * 128, 'part 1 alone has 128');
  assert.equal(model.first.summary.parameterCount, 128);
  const size = parts.reduce((sum, p) => sum + fs.statSync(p).size, 0);
  assert.equal(model.sizeBytes, size);
  assert.equal(model.summary.sizeBytes, size);
  assert.equal(model.summary.layers, 3);
  assert.equal(model.summary.embedding, 64);
  assert.deepEqual(model.summary.split, { count: 3, tensors: 3 });
});

test('an unsplit file is its own model', async () => {
  const [only] = await writeSplitModel(dir, 'one', 2);
  // Part 1 of a 2-part model given alone: the rest is needed.
  await assert.rejects(readGgufModel([only!]), /part 1 of a 2-part split model; the other parts are needed too/);
  await assert.rejects(readGgufModel([]), /no files/);
});

test('parts out of order, of another model, or repeated are refused with the part named', async () => {
  const a = await writeSplitModel(dir, 'a', 3);
  const b = await writeSplitModel(dir, 'b', 2);
  await assert.rejects(readGgufModel([a[0]!, a[2]!, a[1]!]), /a-00003-of-00003\.gguf: part 2 of 3 says it is part 3/);
  await assert.rejects(readGgufModel([a[0]!, b[1]!, a[2]!]), /b-00002-of-00002\.gguf: part 2 of 3 says the model has 2 parts, part 1 says 3/);
  await assert.rejects(readGgufModel([a[0]!, a[0]!, a[2]!]), /part 2 of 3 holds a whole model header/);
  await assert.rejects(readGgufModel([a[1]!, a[1]!, a[2]!]), /a-00002-of-00003\.gguf: part 2 of 3 of a split model; open the first part/);
});

test('a later part without split keys, a tensor in two parts, or a wrong tensor count is refused', async () => {
  const parts = await writeSplitModel(dir, 'c', 2);
  const noKeys = path.join(dir, 'c-nokeys.gguf');
  await writeGguf(noKeys, [], [{ name: 'blk.1.w', dims: [32, 4], type: 'f32', data: new Float32Array(128) }]);
  await assert.rejects(readGgufModel([parts[0]!, noKeys]), /has no split\.no \/ split\.count keys/);
  const dup = path.join(dir, 'c-dup.gguf');
  const keys = [['split.no', meta.u16(1)], ['split.count', meta.u16(2)], ['split.tensors.count', meta.i32(2)]] as const;
  await writeGguf(dup, [...keys], [{ name: 'blk.0.w', dims: [32, 4], type: 'f32', data: new Float32Array(128) }]);
  await assert.rejects(readGgufModel([parts[0]!, dup]), /tensor blk\.0\.w is in more than one part/);
  const extra = path.join(dir, 'c-extra.gguf');
  await writeGguf(extra, [...keys], [
    { name: 'blk.1.w', dims: [32, 4], type: 'f32', data: new Float32Array(128) },
    { name: 'blk.1.v', dims: [32, 4], type: 'f32', data: new Float32Array(128) },
  ]);
  await assert.rejects(readGgufModel([parts[0]!, extra]), /the parts hold 3 tensors but split\.tensors\.count says 2/);
  const truncated = path.join(dir, 'c-trunc.gguf');
  fs.writeFileSync(truncated, fs.readFileSync(parts[1]!).subarray(0, 40));
  await assert.rejects(readGgufModel([parts[0]!, truncated]), /c-trunc\.gguf: (truncated|absurd counts)/);
});
