// Filling the passages' token budget: candidates are taken in order while they fit (one that does
// not fit is skipped, not the rest), and all of them are counted in one call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fillBudget } from '../../app/services/documents/retrieve.js';

const words = (n: number) => Array.from({ length: n }, () => 'w').join(' ');

test('every candidate is counted in one call; a passage that does not fit is skipped, the next one taken', async () => {
  const calls: string[][] = [];
  const countTokens = (texts: readonly string[]) => {
    calls.push([...texts]);
    return texts.map((t) => t.split(' ').length);
  };
  const candidates = [{ text: words(50) }, { text: words(500) }, { text: words(30) }];
  const { passages, usedTokens } = await fillBudget(candidates, { budgetTokens: 200, headerTokens: 10, countTokens });
  assert.deepEqual(calls, [candidates.map((c) => c.text)]);
  assert.deepEqual(passages.map((p) => p.tokens), [60, 40]);
  assert.equal(usedTokens, 100);
});

test('nothing is counted when there are no candidates or no room for one passage', async () => {
  let calls = 0;
  const countTokens = (texts: readonly string[]) => (calls++, texts.map(() => 1));
  assert.deepEqual(await fillBudget([], { budgetTokens: 500, countTokens }), { passages: [], usedTokens: 0 });
  assert.deepEqual(await fillBudget([{ text: 'a' }], { budgetTokens: 24, countTokens }), { passages: [], usedTokens: 0 });
  assert.equal(calls, 0);
});
