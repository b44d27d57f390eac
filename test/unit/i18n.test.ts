// Every English string of the UI has its Simplified Chinese one (and no table has keys outside its area).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TABLES } from '../../renderer/src/i18n/strings/index.js';

for (const table of TABLES) {
  test(`strings of "${table.area}": every key translated, placeholders kept`, () => {
    const en = Object.keys(table.en).sort();
    assert.deepEqual(Object.keys(table['zh-CN']).sort(), en, 'the same keys in both languages');
    for (const key of en) {
      assert.ok(key.startsWith(`${table.area}.`), `${key} belongs to ${table.area}`);
      assert.ok(table['zh-CN'][key]!.trim(), `${key} has a Chinese text`);
      const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      assert.deepEqual(placeholders(table['zh-CN'][key]!), placeholders(table.en[key]!), `${key} keeps its placeholders`);
    }
  });
}
