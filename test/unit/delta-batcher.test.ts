// The engine's delta batching: nothing lost or reordered, the first text leaves at once, a burst
// becomes one message per window, flush() empties it before the answer ends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeltaBatcher } from '../../native/engine/process/delta-batcher.js';

test('the first text leaves at once; a burst that follows is one message at the end of the window', async () => {
  const sent: Array<{ text: string; at: number }> = [];
  const start = performance.now();
  const batcher = new DeltaBatcher((text) => sent.push({ text, at: performance.now() - start }), 40);
  batcher.push('Hel');
  assert.deepEqual(sent.map((s) => s.text), ['Hel'], 'no wait for the first token');
  for (const t of ['lo', ',', ' wor', 'ld']) batcher.push(t);
  assert.equal(sent.length, 1);
  await sleep(80);
  assert.deepEqual(sent.map((s) => s.text), ['Hel', 'lo, world']);
  assert.ok(sent[1]!.at >= 35, `the burst waited for the window (${sent[1]!.at.toFixed(1)} ms)`);
});

test('flush sends what waits, in order, and nothing twice', async () => {
  const sent: string[] = [];
  const batcher = new DeltaBatcher((text) => sent.push(text), 1000);
  for (const t of ['a', 'b', 'c', '', 'd']) batcher.push(t);
  batcher.flush();
  batcher.flush();
  assert.deepEqual(sent, ['a', 'bcd']);
  await sleep(20);
  assert.deepEqual(sent, ['a', 'bcd'], 'the cancelled timer sends nothing more');
});

test('text spaced wider than the window goes out piece by piece', async () => {
  const sent: string[] = [];
  const batcher = new DeltaBatcher((text) => sent.push(text), 10);
  for (const t of ['one ', 'two ', 'three']) {
    batcher.push(t);
    await sleep(25);
  }
  assert.deepEqual(sent, ['one ', 'two ', 'three']);
});
