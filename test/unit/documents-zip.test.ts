// The DOCX archive check on damaged files made from a real DOCX (docx package): cut short at many
// points, bytes flipped in its directory and in its data. Damage is called damage, never a zip bomb;
// a real bomb still is one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkZip } from '../../app/services/documents/extract/zip-guard.js';
import * as fx from '../helpers/document-fixtures.js';

async function reasonOf(bytes: Buffer): Promise<{ reason: string; message: string } | null> {
  try {
    await checkZip('x.docx', bytes);
    return null;
  } catch (error) {
    return { reason: (error as { reason: string }).reason, message: (error as Error).message };
  }
}

/** A small, seeded generator: the same damage on every run. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

test('a truncated DOCX: its ZIP directory cannot be read, at every cut', async () => {
  const good = await fx.headedDocx();
  assert.equal(await reasonOf(good), null);
  for (let cut = 200; cut < good.length; cut += Math.ceil(good.length / 25)) {
    const r = await reasonOf(good.subarray(0, cut));
    assert.equal(r?.reason, 'corrupt', `cut at ${cut}: ${r?.message}`);
    assert.match(r!.message, /"x\.docx": the DOCX is damaged or truncated: its ZIP directory cannot be read\./);
  }
});

test('flipped bytes in a DOCX are damage, not a zip bomb', async () => {
  const good = await fx.headedDocx();
  const eocd = good.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const directory = good.readUInt32LE(eocd + 16);
  const rnd = random(42);
  let directoryDamage = 0;
  for (let k = 0; k < 150; k++) {
    const bad = Buffer.from(good);
    // Half the cases hit the central directory (sizes, offsets, counts), half anywhere.
    const from = k % 2 ? directory : 0;
    for (let j = 0; j < 3; j++) bad[from + Math.floor(rnd() * (bad.length - from))] ^= 1 << Math.floor(rnd() * 8);
    const r = await reasonOf(bad);
    if (r === null) continue; // a flip in a field nobody reads
    assert.equal(r.reason, 'corrupt', r.message);
    assert.match(r.message, /the DOCX is damaged/);
    if (/its ZIP directory cannot be read/.test(r.message)) directoryDamage++;
  }
  assert.ok(directoryDamage > 0);
});

test('a real zip bomb, and one whose directory understates it, are still refused as bombs', async () => {
  const bomb = await reasonOf(fx.zipBombDocx(150 * 1024 * 1024));
  assert.equal(bomb?.reason, 'zip_bomb');
  assert.match(bomb!.message, /"word\/document\.xml" would expand from 0\.1 MB to 150 MB \(\d+:1; the limit is 100:1\)/);
  const liar = await reasonOf(fx.zipBombDocx(50 * 1024 * 1024, 1024));
  assert.match(liar!.message, /zip bomb: "word\/document\.xml" expands beyond its declared size/);
  // Directory says 150 MB, but the data is 1 KB: damaged, not a bomb.
  const overstated = await reasonOf(fx.zipBombDocx(1024, 150 * 1024 * 1024));
  assert.equal(overstated?.reason, 'corrupt', overstated?.message);
  assert.match(overstated!.message, /unpacks to 1024 bytes, not the 157286400 it declares/);
  const notZip = await reasonOf(Buffer.from('plain text, not an archive'));
  assert.match(notZip!.message, /it is not a DOCX file \(it is not a ZIP archive\)/);
});
