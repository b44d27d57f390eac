// The CSV and HTML readers on input that hand-written parsers get wrong: delimiters guessed,
// byte order marks, quotes and line breaks in fields, the whole HTML entity table, comments and
// tags as a browser's tokenizer reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractCsv, parseCsv } from '../../app/services/documents/extract/csv.js';
import { htmlToText } from '../../app/services/documents/extract/html.js';

const csv = (s: string, name = 't.csv') => extractCsv({ name, bytes: Buffer.from(s), onProgress() {} }).text;

test('CSV: semicolons and tabs are recognised, a BOM is dropped, quoted fields keep delimiters, quotes and line breaks', () => {
  assert.equal(csv('\ufeffname;city\n"Lovelace; Ada";London\n\n李白;长安\n'),
    'Columns: name | city\nRow 1: name: Lovelace; Ada | city: London\nRow 2: name: 李白 | city: 长安\n');
  assert.equal(csv('a\tb\n1\t2\n', 't.tsv'), 'Columns: a | b\nRow 1: a: 1 | b: 2\n');
  assert.equal(csv('a,b\r\n"two\r\nlines","say ""hi"""\r\n'), 'Columns: a | b\nRow 1: a: two lines | b: say "hi"\n');
  // Mixed line ends in one file all end records.
  assert.deepEqual(parseCsv('a,b\r\n1,2\n3,4\r5,6'), [['a', 'b'], ['1', '2'], ['3', '4'], ['5', '6']]);
  assert.equal(csv('only\nv1\n,\nv2\n'), 'Columns: only\nRow 1: only: v1\nRow 3: only: v2\n');
});

test('HTML: every named entity, comments as a browser ends them, malformed and unclosed tags', () => {
  assert.equal(htmlToText('<p>caf&eacute; &notin; &amp &#x1F600; &unknown;</p>').text, 'café ∉ & 😀 &unknown;');
  assert.equal(htmlToText('<p>a<!-- <p>hidden</p> -->b<!-->c</p>').text, 'abc');
  assert.equal(htmlToText('<p>a < b and c > d</p><div class="x>y">in</div><p>1<2</p>').text, 'a < b and c > d\n\nin\n\n1<2');
  assert.equal(htmlToText('<html><head><title>T</title><style>p{}</style><body><p>body text</p>').text, 'body text');
  assert.equal(htmlToText('<textarea><p>typed</p></textarea>').text, '<p>typed</p>');
  const r = htmlToText('<h1>Top <b>one</b></h1><p>x</p><h2>Sub<h3>Deep</h3><p>y</p>');
  assert.deepEqual(r.sections.map((s) => s.heading), ['Top one', 'Top one › Sub', 'Top one › Sub › Deep']);
});
