// Search snippets (app/store/search.ts): plain text around the first match, cut with "…", and the
// ranges of every match inside it, in any case, for Chinese and English, never split surrogates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSnippet, termsOf } from '../../app/store/search.js';

const marked = (s: { snippet: string; ranges: { start: number; end: number }[] }) => s.ranges.map((r) => s.snippet.slice(r.start, r.end));

test('terms: whitespace-separated, distinct', () => {
  assert.deepEqual(termsOf('  fox   dog fox 北京 '), ['fox', 'dog', '北京']);
});

test('a short text is the snippet; every match of every term is marked, in any case', () => {
  const s = makeSnippet('The Fox and the fox-hound met a FOX dog', ['fox', 'dog']);
  assert.equal(s.snippet, 'The Fox and the fox-hound met a FOX dog');
  assert.deepEqual(marked(s), ['Fox', 'fox', 'FOX', 'dog']);
});

test('a long text is cut around the first match with "…"; whitespace is folded; markup stays text', () => {
  const content = `${'lorem ipsum\n\n'.repeat(30)}<i>北京</i> is here${' tail'.repeat(80)}`;
  const s = makeSnippet(content, ['北京']);
  assert.ok(s.snippet.startsWith('…') && s.snippet.endsWith('…'));
  assert.ok(!s.snippet.includes('\n'));
  assert.deepEqual(marked(s), ['北京']);
  assert.ok(s.snippet.includes('<i>北京</i>'));
  assert.ok(s.snippet.length <= 202);
});

test('overlapping matches merge; regex characters in terms are literal; surrogate pairs are never split', () => {
  assert.deepEqual(marked(makeSnippet('aaaa', ['aa', 'aaa'])), ['aaaa']);
  assert.deepEqual(marked(makeSnippet('cost: $5.00 (approx)', ['$5.00', '(approx'])), ['$5.00', '(approx']);
  const emoji = `${'😀'.repeat(100)}match${'😀'.repeat(100)}`;
  const s = makeSnippet(emoji, ['match']);
  assert.doesNotMatch(s.snippet, /^…?[\uDC00-\uDFFF]/);
  assert.doesNotMatch(s.snippet, /[\uD800-\uDBFF]…?$/);
  assert.deepEqual(marked(s), ['match']);
});
