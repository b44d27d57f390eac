// The long-context test's grid (pure): fact depths, the order that reuses the KV cache, the reuse it
// is expected to give, the cells and their CSV; the facts and how answers are judged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellsCsv, cellsOf, expectedEvaluated, factDepths, orderGrid } from '../../app/services/niah/grid.js';
import { customFacts, defaultFacts, fillFact, isCorrect, keysFor } from '../../app/services/niah/facts.js';

test('one fact sits at the cell depth; several are spread evenly after it, wrapping round', () => {
  assert.deepEqual(factDepths(0.3, 1), [0.3]);
  assert.deepEqual(factDepths(0, 4), [0, 0.25, 0.5, 0.75]);
  assert.deepEqual(factDepths(0.5, 2), [0.5, 1]);
  assert.deepEqual(factDepths(1, 2), [1, 0.5]);
});

test('the order: lengths up; within a length depths from deep to shallow, samples, then facts; seq is the position', () => {
  const order = orderGrid([512, 256, 512], [0, 1, 0.5, 0.5], 2, 1);
  assert.equal(order.length, 2 * 3 * 2);
  assert.deepEqual(order.map((g) => g.seq), order.map((_, i) => i));
  assert.deepEqual(order.slice(0, 6).map((g) => [g.length, g.depth, g.sample]), [[256, 1, 0], [256, 1, 1], [256, 0.5, 0], [256, 0.5, 1], [256, 0, 0], [256, 0, 1]]);
  assert.ok(order.slice(6).every((g) => g.length === 512));
  const multi = orderGrid([256], [0, 0.5], 1, 3);
  assert.deepEqual(multi.map((g) => g.fact), [0, 1, 2, 0, 1, 2]);
  // Several facts: ordered by the first needle of each document (depth 0.5 puts one at 0.1667, depth 0 one at 0).
  assert.deepEqual(multi.map((g) => g.depth), [0.5, 0.5, 0.5, 0, 0, 0]);
});

test('expected evaluation: the first prompt whole, then from the first needle shared with the previous one', () => {
  const order = orderGrid([1000], [1, 0.5, 0], 2, 1);
  const model = { headTokens: 100, questionTokens: 20 };
  const doc = 1000 - 120;
  assert.deepEqual(expectedEvaluated(order, model), [
    1000, // nothing before it
    1000 - (100 + doc), // same depth, another key: everything before the needle reused
    1000 - (100 + doc * 0.5),
    1000 - (100 + doc * 0.5),
    1000 - 100, // depth 0: only the head is shared
    1000 - 100,
  ].map(Math.round));
  const facts = expectedEvaluated(orderGrid([1000], [0.5], 1, 3), model);
  assert.deepEqual(facts.slice(1), [20, 20], 'further questions on one document evaluate only the question');
});

test('cells: every length × depth, counts per fact, answers outside the grid ignored', () => {
  const cells = cellsOf([256, 512], [0, 1], 2, [
    { length: 256, depth: 0, fact: 0, correct: true },
    { length: 256, depth: 0, fact: 1, correct: false },
    { length: 512, depth: 1, fact: 1, correct: true },
    { length: 999, depth: 1, fact: 0, correct: true },
  ]);
  assert.equal(cells.length, 4);
  assert.deepEqual(cells[0], { length: 256, depth: 0, correct: 1, total: 2, facts: [{ correct: 1, total: 1 }, { correct: 0, total: 1 }] });
  assert.deepEqual(cells[1]!.total, 0);
  assert.deepEqual(cells[3], { length: 512, depth: 1, correct: 1, total: 1, facts: [{ correct: 0, total: 0 }, { correct: 1, total: 1 }] });
});

test('CSV: length,depth,correct,total per cell; per-fact columns only with several facts', () => {
  const one = cellsOf([256], [0, 0.5], 1, [{ length: 256, depth: 0.5, fact: 0, correct: true }]);
  assert.equal(cellsCsv(one), 'length,depth,correct,total\n256,0,0,0\n256,0.5,1,1\n');
  const two = cellsOf([256], [1], 2, [{ length: 256, depth: 1, fact: 1, correct: true }]);
  assert.equal(cellsCsv(two), 'length,depth,correct,total,fact1_correct,fact1_total,fact2_correct,fact2_total\n256,1,1,1,0,0,1,1\n');
});

test('facts: the passkey by default, coloured doors for several, own facts with {key}; keys repeat per place and differ within a document', () => {
  const [en] = defaultFacts('en', 1);
  assert.deepEqual(fillFact(en!, '73105'), { needle: { text: 'The passkey is 73105.', answer: '73105' }, question: 'What is the passkey?' });
  const zh = defaultFacts('zh', 3);
  assert.equal(zh.length, 3);
  assert.equal(fillFact(zh[1]!, '12345').needle.text, '蓝色门的通行码是 12345。');
  assert.equal(new Set(defaultFacts('en', 5).map((f) => f.question)).size, 5);
  const own = customFacts([{ text: 'The cat is called {key}.', question: 'What is the cat called?' }, { text: 'Paris is in France.', question: 'Where is Paris?', answer: 'France' }]);
  assert.equal(fillFact(own[0]!, '55555').needle.answer, '55555');
  assert.equal(fillFact(own[1]!, '55555').needle.answer, 'France');
  const keys = keysFor(1, '256|0.5|0', 5);
  assert.deepEqual(keys, keysFor(1, '256|0.5|0', 5));
  assert.notDeepEqual(keys, keysFor(1, '256|0.5|1', 5));
  assert.equal(new Set(keys).size, 5);
  assert.ok(keys.every((k) => /^[1-9]\d{4}$/.test(k)));
});

test('an answer is correct when it contains the expected text, also with spaces or commas in the digits', () => {
  assert.ok(isCorrect('The passkey is 73105.', '73105'));
  assert.ok(isCorrect('7 3 1 0 5', '73105'));
  assert.ok(isCorrect('73,105', '73105'));
  assert.ok(!isCorrect('73106', '73105'));
  assert.ok(isCorrect('It is in FRANCE', 'France'));
});
