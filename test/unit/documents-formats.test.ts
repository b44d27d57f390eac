// The text readers on their own: HTML, Markdown, CSV, decoding, file types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlToText, decodeEntities } from '../../app/services/documents/extract/html.js';
import { markdownToSections } from '../../app/services/documents/extract/text.js';
import { parseCsv } from '../../app/services/documents/extract/csv.js';
import { decodeText } from '../../app/services/documents/extract/decode.js';
import { formatOf } from '../../app/services/documents/extract/formats.js';

const headings = (r: { text: string; sections: Array<{ start: number; end: number; heading?: string }> }) =>
  r.sections.map((s) => [s.heading ?? null, r.text.slice(s.start, s.end).trim()]);

test('HTML: scripts, styles, comments and templates are dropped; headings nest; entities decode', () => {
  const r = htmlToText(`<h1>Top</h1><p>One &amp; two&nbsp;&#x4e2d;&#25991; &unknown;</p><!-- <h2>not</h2> -->
    <script type="module">document.title = "<h2>x</h2>"</script><style>h1 { color: red }</style><template><p>t</p></template>
    <h2>Sub</h2><p>a</p><h3>Deep</h3><p>b</p><h2>Sub 2</h2><p>c</p>`);
  assert.deepEqual(headings(r), [
    ['Top', 'Top\n\nOne & two\u00a0中文 &unknown;'],
    ['Top › Sub', 'Sub\n\na'],
    ['Top › Sub › Deep', 'Deep\n\nb'],
    ['Top › Sub 2', 'Sub 2\n\nc'],
  ]);
});

test('HTML: an unclosed <script> hides the rest; <pre> keeps its spaces; table cells and lists', () => {
  assert.equal(htmlToText('<p>visible</p><script>var s = "</p><p>hidden";').text.trim(), 'visible');
  assert.equal(htmlToText('<pre>a   b\n  c</pre><p>x    y</p>').text, 'a   b\n  c\n\nx y');
  assert.equal(htmlToText('<table><tr><th>k</th><th>v</th></tr><tr><td>1</td><td>2</td></tr></table><ul><li>i</li><li>j</li></ul>').text.trim(),
    'k | v\n1 | 2\n\n- i\n- j');
  assert.equal(decodeEntities('&lt;&#60;&#x3C;&LT;&#0;&#xD800;'), '<<<<\uFFFD\uFFFD');
});

test('Markdown: # and underlined headings start sections, not # inside code fences', () => {
  const md = '# 第一章\nintro\n\n```sh\n# not a heading\n```\n\n## Part\ntext\n\nSetext\n======\nbody\n';
  const r = markdownToSections(md);
  assert.equal(r.text, md);
  assert.deepEqual(r.sections.map((s) => s.heading), ['第一章', '第一章 › Part', 'Setext']);
  assert.match(r.text.slice(r.sections[0]!.start, r.sections[0]!.end), /# not a heading/);
});

test('CSV: quotes, doubled quotes, line breaks in fields, CRLF', () => {
  assert.deepEqual(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n"multi\nline",2\n'), [['a', 'b'], ['x, y', 'say "hi"'], ['multi\nline', '2']]);
  assert.deepEqual(parseCsv('a;b\n1;2', ';'), [['a', 'b'], ['1', '2']]);
});

test('decoding: BOMs (UTF-8, UTF-16), a few bad bytes kept as U+FFFD, declared charsets', () => {
  const text = '长城 wall سور';
  assert.equal(decodeText('a.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), text);
  assert.equal(decodeText('a.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])), text);
  const big = Buffer.concat([Buffer.from('x'.repeat(5000)), Buffer.from([0xff]), Buffer.from('y')]);
  assert.equal(decodeText('log.txt', big), `${'x'.repeat(5000)}\uFFFDy`);
  assert.equal(decodeText('a.html', Buffer.from([0xe9]), 'windows-1252'), 'é');
  assert.throws(() => decodeText('w.txt', Buffer.from('abc\u00e9'.repeat(10), 'latin1')), /not UTF-8 text \(\d+% of it is not valid UTF-8\); save it as UTF-8/);
});

test('decoding: a byte order mark followed by random bytes is refused as binary; real text after one is kept', () => {
  // Seeded random bytes: the same file every run.
  let x = 12345;
  const random = Buffer.alloc(100_000);
  for (let i = 0; i < random.length; i++) random[i] = (x = (x * 1103515245 + 12345) % 2147483648) >>> 16;
  for (const [bom, label] of [[[0xef, 0xbb, 0xbf], 'UTF-8'], [[0xff, 0xfe], 'UTF-16LE'], [[0xfe, 0xff], 'UTF-16BE']] as const) {
    assert.throws(() => decodeText('noise.txt', Buffer.concat([Buffer.from(bom), random])), (e: Error & { reason?: string }) => {
      assert.equal(e.reason, 'binary');
      assert.match(e.message, new RegExp(`"noise\\.txt": it starts with a ${label} byte order mark but is not text \\(\\d+% of it is not valid ${label} text\\)`));
      return true;
    });
  }
  // Real text in every script the app is tested with, long enough for the share to count.
  const prose = '长城是中国古代的军事防御工程。 The Great Wall. 万里の長城。 سور الصين العظيم 😀\n'.repeat(2000);
  const be = Buffer.from(prose, 'utf16le').swap16();
  assert.equal(decodeText('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), be])), prose);
  assert.equal(decodeText('le.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(prose, 'utf16le')])), prose);
});

test('file types by extension and name; unknown types name the supported ones', () => {
  assert.equal(formatOf('Report.PDF').kind, 'pdf');
  assert.equal(formatOf('notes.markdown').kind, 'markdown');
  assert.deepEqual(formatOf('lib.rs'), { kind: 'code', mime: 'text/x-rust', language: 'Rust' });
  assert.equal(formatOf('Dockerfile').language, 'Dockerfile');
  assert.equal(formatOf('CMakeLists.txt').kind, 'text');
  assert.throws(() => formatOf('photo.jpeg'), /unsupported file type \.jpeg; supported: \.pdf, \.docx, \.txt, \.md, \.html, \.csv, \.json and source code/);
  assert.throws(() => formatOf('README'), /unsupported file type \(no extension\)/);
  assert.throws(() => formatOf('sheet.xlsx'), /save the sheet as \.csv/);
});
