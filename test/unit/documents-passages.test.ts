// Passage splitting: sizes by script, boundaries, sections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundary, splitPassages } from '../../app/services/documents/passages.js';

const sentence = (i: number) => `This is sentence number ${i} of a long English text about walls. `;

test('Latin text: passages of about 1,200 characters, cut after sentences, covering all the text', () => {
  const text = Array.from({ length: 200 }, (_, i) => sentence(i)).join('');
  const passages = splitPassages(text, []);
  assert.ok(passages.length >= 9 && passages.length <= 13, String(passages.length));
  for (const p of passages.slice(0, -1)) {
    const len = p.end - p.start;
    assert.ok(len >= 600 && len <= 1200, `passage ${p.seq}: ${len}`);
    assert.ok(text.slice(p.start, p.end).endsWith('walls.'), 'cut after a sentence');
  }
  assert.deepEqual(passages.map((p) => p.seq), passages.map((_, i) => i));
  assert.equal(passages.map((p) => text.slice(p.start, p.end)).join(' '), text.trim(), 'nothing lost, nothing repeated');
});

test('CJK text: passages of about 500 characters, cut after 。', () => {
  const text = '长城是中国古代的军事防御工程，位于中国北方。'.repeat(100);
  const passages = splitPassages(text, []);
  for (const p of passages.slice(0, -1)) {
    assert.ok(p.end - p.start <= 500 && p.end - p.start >= 250, String(p.end - p.start));
    assert.ok(text.slice(p.start, p.end).endsWith('。'));
  }
  assert.equal(passages.map((p) => text.slice(p.start, p.end)).join(''), text);
});

test('paragraph breaks win over sentence ends; a small remainder joins the passage before it', () => {
  const para = 'Word '.repeat(150).trim() + '.';
  const text = `${para}\n\n${para}\n\n${para}`;
  const passages = splitPassages(text, []);
  assert.deepEqual(passages.map((p) => text.slice(p.start, p.end)), [para, para, para]);
  const short = splitPassages('a'.repeat(1300), []);
  assert.equal(short.length, 1, 'within 20% over the target: one passage');
});

test('sections are never crossed: each passage has one page and one heading', () => {
  const text = `Intro words.\n\n${sentence(1).repeat(30)}\n\nLast page.`;
  const second = text.indexOf('This');
  const third = text.indexOf('Last');
  const sections = [
    { start: 0, end: second, page: 1 },
    { start: second, end: third, page: 2, heading: 'Walls' },
    { start: third, end: text.length, page: 3 },
  ];
  const passages = splitPassages(text, sections);
  assert.deepEqual(passages[0], { seq: 0, start: 0, end: 12, page: 1, heading: null });
  const middle = passages.filter((p) => p.page === 2);
  assert.ok(middle.length >= 2);
  for (const p of middle) assert.ok(p.start >= second && p.end <= third && p.heading === 'Walls');
  assert.deepEqual(passages.at(-1), { seq: passages.length - 1, start: third, end: text.length, page: 3, heading: null });
});

test('text outside any section still becomes passages; whitespace-only stretches do not', () => {
  const text = 'before\n\n   \n\nafter';
  const passages = splitPassages(text, [{ start: 13, end: 18, heading: 'H' }]);
  assert.deepEqual(passages.map((p) => [text.slice(p.start, p.end), p.heading]), [['before', null], ['after', 'H']]);
  assert.deepEqual(splitPassages('   \n\n ', []), []);
});

test('boundary: no split inside a word, a number, or a surrogate pair', () => {
  assert.equal(boundary('pi is 3.14159 ok', 0, 10), 6, 'the space before 3.14159, not its dot');
  assert.equal(boundary('abcdefghij', 2, 6), 6);
  const emoji = 'ab😀cd';
  assert.equal(boundary(emoji, 1, 3), 4, 'moves past the low surrogate');
});
