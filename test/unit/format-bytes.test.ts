// One formatter for every size in the UI: binary units labelled KiB/MiB/GiB/TiB (as the fit planner
// and the README write them), no "1,024 MiB", digits in the UI language, speeds as sizes per second.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes, formatByteRate } from '../../renderer/src/format.js';
import { formatSpeed } from '../../renderer/src/components/models/format.js';

test('sizes in binary units with their binary labels', () => {
  const cases: Array<[number, string]> = [
    [0, '0 B'], [1023, '1,023 B'], [1024, '1.0 KiB'], [1536, '1.5 KiB'], [400 * 1024, '400 KiB'],
    [1024 ** 2 - 1, '1.0 MiB'], [398 * 1024 ** 2, '398 MiB'], [1023.6 * 1024 ** 2, '1.0 GiB'],
    [4.4 * 1024 ** 3, '4.4 GiB'], [24 * 1024 ** 3, '24.0 GiB'], [1.5 * 1024 ** 4, '1.5 TiB'],
  ];
  for (const [bytes, text] of cases) assert.equal(formatBytes(bytes), text, String(bytes));
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(formatBytes(bad), '');
});

test('speeds are the same units per second; none is empty', () => {
  assert.equal(formatByteRate(2.5 * 1024 ** 2), '2.5 MiB/s');
  assert.equal(formatSpeed(12 * 1024 ** 3), '12.0 GiB/s');
  assert.equal(formatSpeed(0), '');
  assert.equal(formatSpeed(-5), '');
});
