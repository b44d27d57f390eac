// Source links in answers: which parts of an answer's text become links to which passage. The forms
// are the ones main's parseCitations reads; numbers the prompt did not have stay plain text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Citation } from '../../app/contract.js';
import { citationSegments, numbersOf } from '../../renderer/src/components/documents/citation-parse.js';
import { parseCitations } from '../../app/services/documents/prompt.js';

const cite = (n: number): Citation => ({
  n, passageId: 100 + n, documentId: 'd', documentName: 'report.pdf', page: n, heading: null, start: 0, end: 10,
});
const sources = [1, 2, 3, 4].map(cite);
const show = (parts: Array<string | Citation>) => parts.map((p) => (typeof p === 'string' ? p : `<${p.n}>`)).join('');

test('single, listed, adjacent and ranged sources become links in order; unknown numbers stay text', () => {
  assert.equal(show(citationSegments('The code is 7-4-1-9 [1].', sources)), 'The code is 7-4-1-9 <1>.');
  assert.equal(show(citationSegments('See [1, 3] and [2][4].', sources)), 'See <1><3> and <2><4>.');
  assert.equal(show(citationSegments('Pages [2-4] say so.', sources)), 'Pages <2><3><4> say so.');
  assert.equal(show(citationSegments('Not a source: [9], nor [2025].', sources)), 'Not a source: [9], nor [2025].');
  assert.equal(show(citationSegments('Mixed [3, 9].', sources)), 'Mixed <3>.');
  assert.equal(show(citationSegments('长城很长【1】，也很古老［2］。', sources)), '长城很长<1>，也很古老<2>。');
  assert.deepEqual(citationSegments('No documents [1].', []), ['No documents [1].']);
  const [, linked] = citationSegments('x [4]', sources);
  assert.equal((linked as Citation).passageId, 104, 'the link carries its passage');
});

test('the renderer reads the same numbers as main', () => {
  const all = Array.from({ length: 120 }, (_, i) => cite(i + 1));
  for (const text of ['[1]', '[1, 2]', '[1][2]', '[2-4]', '【3】', '[1 and 3]', '[1；2]', '[5-2]', '[1-99]', 'a [3] b [3]', '[0]']) {
    const renderer = citationSegments(text, all).flatMap((p) => (typeof p === 'string' ? [] : [p.n]));
    assert.deepEqual([...new Set(renderer)], parseCitations(text, 120), text);
  }
  assert.deepEqual(numbersOf('2 - 4'), [2, 3, 4]);
});
