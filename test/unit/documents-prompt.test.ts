// Prompt numbering, source labels and citation parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPrompt, parseCitations, sourceLabel, type PromptPassage } from '../../app/services/documents/prompt.js';

const passage = (id: number, over: Partial<PromptPassage> = {}): PromptPassage => ({
  id, documentId: 'doc-a', documentName: 'report.pdf', page: id, heading: null, start: id * 100, end: id * 100 + 50,
  text: `Passage ${id} text.`, ...over,
});

test('passages are numbered [1], [2], ... with document, page and heading; citations map back', () => {
  const passages = [
    passage(7),
    passage(3, { documentId: 'doc-b', documentName: '长城.docx', page: null, heading: 'Chapter One › 第二节', text: '  长城位于中国北方。\n' }),
    passage(9, { page: 12, heading: 'Results' }),
  ];
  const built = buildPrompt({ mode: 'retrieval', passages, question: '  Where is the wall?  ' });
  assert.ok(built.text.startsWith('Answer the question using the sources below: the passages of the attached documents that best match the question.'));
  assert.match(built.text, /Cite every source you use by its number in square brackets, for example \[1\] or \[2\]\[5\]\./);
  assert.ok(built.text.includes('[1] report.pdf, page 7\nPassage 7 text.\n\n[2] 长城.docx — Chapter One › 第二节\n长城位于中国北方。\n\n[3] report.pdf, page 12 — Results\nPassage 9 text.'));
  assert.ok(built.text.endsWith('\n\nQuestion: Where is the wall?'));
  assert.deepEqual(built.citations, [
    { n: 1, passageId: 7, documentId: 'doc-a', documentName: 'report.pdf', page: 7, heading: null, start: 700, end: 750 },
    { n: 2, passageId: 3, documentId: 'doc-b', documentName: '长城.docx', page: null, heading: 'Chapter One › 第二节', start: 300, end: 350 },
    { n: 3, passageId: 9, documentId: 'doc-a', documentName: 'report.pdf', page: 12, heading: 'Results', start: 900, end: 950 },
  ]);
});

test('full-document mode numbers the whole document as consecutive passages', () => {
  const whole = Array.from({ length: 5 }, (_, i) => passage(i + 1, { page: null, heading: null }));
  const built = buildPrompt({ mode: 'full', passages: whole, question: 'Summarise.' });
  assert.match(built.text, /^Answer the question using the sources below: the full text of the attached document, split into numbered passages\./);
  assert.deepEqual(built.citations.map((c) => [c.n, c.passageId]), [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
  for (let n = 1; n <= 5; n++) assert.ok(built.text.includes(`[${n}] report.pdf\nPassage ${n} text.`));
  const two = buildPrompt({ mode: 'full', passages: [passage(1), passage(2, { documentName: 'b.txt' })], question: 'q' });
  assert.match(two.text, /full text of the attached documents,/);
  assert.equal(sourceLabel({ documentName: 'x.md', page: null, heading: null }), 'x.md');
});

test('parseCitations: single, lists, adjacent, ranges, full-width brackets; in order, no repeats', () => {
  assert.deepEqual(parseCitations('The wall is long [2]. It is old [1][3], see also [2].'), [2, 1, 3]);
  assert.deepEqual(parseCitations('Both say so [4, 5] and [6; 7] and [1 and 2].'), [4, 5, 6, 7, 1, 2]);
  assert.deepEqual(parseCitations('Ranges [2-4] and [8–9].'), [2, 3, 4, 8, 9]);
  assert.deepEqual(parseCitations('长城位于北方【1】，全长两万公里［3］【2，4】。'), [1, 3, 2, 4]);
  assert.deepEqual(parseCitations('No sources here; arrays like a[0] and [x] and [] are not citations.'), []);
  assert.deepEqual(parseCitations('Cites [1], [7] and [0].', 5), [1], 'numbers without a source are left out');
  assert.deepEqual(parseCitations('[1-200]'), [], 'a huge range is not a citation');
});
