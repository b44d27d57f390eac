// Extraction in the worker, on real files made by outside tools (pdfkit, docx, node:zlib, iconv):
// text and pages/headings in English, Chinese, Japanese and Arabic, and every kind of bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { extractInWorker } from '../../app/services/documents/attach.js';
import type { ExtractProgress, ExtractReason } from '../../app/services/documents/extract/index.js';
import * as fx from '../helpers/document-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'documents-extract-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data?: string | Buffer) => {
  const p = join(dir, name);
  if (data !== undefined) writeFileSync(p, data);
  return p;
};

/** Rejects with an ExtractError of `reason` whose message matches `pattern`. */
async function refused(promise: Promise<unknown>, reason: ExtractReason, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.equal((e as { reason?: string }).reason, reason, (e as Error).message);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

test('PDF: three pages in English, Chinese/Japanese and Arabic keep their text and page numbers', { skip: fx.fontsMissing.length ? `missing fonts: ${fx.fontsMissing}` : false }, async () => {
  const pdf = file('multilingual.pdf');
  await fx.multilingualPdf(pdf);
  const progress: ExtractProgress[] = [];
  const { extracted, passages } = await extractInWorker(pdf, { onProgress: (p) => progress.push(p) });
  assert.equal(extracted.kind, 'pdf');
  assert.equal(extracted.pageCount, 3);
  const pageText = (n: number) => extracted.sections.filter((s) => s.page === n).map((s) => extracted.text.slice(s.start, s.end)).join('');
  assert.match(pageText(1), /The Great Wall of China is a series of fortifications/);
  assert.ok(pageText(2).includes(fx.CHINESE), pageText(2));
  assert.ok(pageText(2).includes(fx.JAPANESE), pageText(2));
  assert.ok(pageText(3).includes(fx.ARABIC), `Arabic in logical order: ${pageText(3)}`);
  assert.deepEqual(passages.map((p) => p.page), [1, 2, 3]);
  assert.deepEqual(progress.filter((p) => p.phase === 'extracting').map((p) => `${p.done}/${p.total}`), ['1/3', '2/3', '3/3']);
});

test('PDF: password-protected, damaged, not a PDF, no text layer', async () => {
  const enc = file('locked.pdf');
  await fx.encryptedPdf(enc);
  await refused(extractInWorker(enc), 'encrypted', /"locked\.pdf": the PDF is password-protected/);

  const scan = file('scan.pdf');
  await fx.imageOnlyPdf(scan);
  await refused(extractInWorker(scan), 'no_text', /no text layer: scanned pages need OCR, which Qwen2 Desk does not do/);

  const whole = file('whole.pdf');
  await fx.longPdf(whole, 2);
  const bytes = readFileSync(whole);
  await refused(extractInWorker({ name: 'half.pdf', bytes: bytes.subarray(0, bytes.length >> 1) }), 'corrupt', /damaged/);
  await refused(extractInWorker({ name: 'fake.pdf', bytes: randomBytes(4096) }), 'corrupt', /not a PDF file/);
});

test('PDF: progress per page, cancellation stops the worker, and the time limit holds', async () => {
  const pdf = file('long.pdf');
  await fx.longPdf(pdf, 40);
  const pages: number[] = [];
  const all = await extractInWorker(pdf, { onProgress: (p) => p.phase === 'extracting' && pages.push(p.done) });
  assert.deepEqual(pages, Array.from({ length: 40 }, (_, i) => i + 1));
  assert.ok(all.passages.length >= 40);

  const controller = new AbortController();
  const seen: number[] = [];
  await refused(
    extractInWorker(pdf, { signal: controller.signal, onProgress: (p) => { if (p.phase === 'extracting') { seen.push(p.done); controller.abort(); } } }),
    'cancelled',
    /"long\.pdf" was cancelled/,
  );
  // Stopped at once: the pages after the abort were never read (the worker is ended, not left to finish).
  assert.ok(seen.length >= 1 && Math.max(...seen) < 40, `pages read after the abort: ${seen.join(', ')}`);
  await refused(extractInWorker(pdf, { signal: AbortSignal.abort() }), 'cancelled', /cancelled/);
  await refused(extractInWorker(pdf, { timeoutMs: 50 }), 'timeout', /took longer than/);
});

test('DOCX: Heading 1/Heading 2 become sections; Chinese, Japanese and Arabic come out right', async () => {
  const { extracted } = await extractInWorker({ name: 'book.docx', bytes: await fx.headedDocx() });
  assert.equal(extracted.kind, 'docx');
  const headingOf = (needle: string) => extracted.sections.find((s) => extracted.text.slice(s.start, s.end).includes(needle))?.heading;
  assert.equal(headingOf(fx.ENGLISH), 'Chapter One');
  assert.equal(headingOf(fx.CHINESE), 'Chapter One › 第二节 长城');
  assert.equal(headingOf(fx.JAPANESE), 'Chapter One › 第二节 长城');
  assert.equal(headingOf(fx.ARABIC), 'Chapter Two');
});

test('DOCX: a zip bomb, a lying archive, a damaged file, a non-Word zip and a password-protected file are refused', async () => {
  await refused(extractInWorker({ name: 'bomb.docx', bytes: fx.zipBombDocx(150 * 1024 * 1024) }), 'zip_bomb', /zip bomb.*word\/document\.xml.*the limit is 100:1/);
  // The directory claims 1 KB; inflating it would give 50 MB.
  await refused(extractInWorker({ name: 'liar.docx', bytes: fx.zipBombDocx(50 * 1024 * 1024, 1024) }), 'zip_bomb', /expands beyond its declared size/);
  const good = await fx.headedDocx();
  await refused(extractInWorker({ name: 'cut.docx', bytes: good.subarray(0, good.length - 200) }), 'corrupt', /not a ZIP archive|damaged|truncated/);
  await refused(extractInWorker({ name: 'other.docx', bytes: fx.zip([{ name: 'a.txt', data: Buffer.from('hello') }]) }), 'corrupt', /no word\/document\.xml/);
  const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), randomBytes(4088)]);
  await refused(extractInWorker({ name: 'secret.docx', bytes: ole }), 'encrypted', /password-protected/);
});

test('text files: UTF-8 in three scripts, GB18030 from iconv, binary files named .txt', async (t) => {
  const mixed = `${fx.ENGLISH}\n${fx.CHINESE}\n${fx.JAPANESE}\n${fx.ARABIC}\n`;
  const { extracted } = await extractInWorker(file('mixed.txt', mixed));
  assert.equal(extracted.text, mixed);
  assert.equal(extracted.kind, 'text');

  const gzipped = gzipSync(Buffer.from(mixed.repeat(50)));
  await refused(extractInWorker({ name: 'archive.txt', bytes: gzipped }), 'binary', /looks like a binary file, not text \(it contains a NUL byte/);
  const noise = randomBytes(64 * 1024).map((b) => b || 1);
  await refused(extractInWorker({ name: 'noise.txt', bytes: noise }), 'binary', /looks like a binary file.*not valid UTF-8/);

  let gb: Buffer;
  try {
    gb = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: `${fx.CHINESE}\n长城全长两万多公里。\n` });
  } catch {
    return t.skip('iconv is not installed');
  }
  const legacy = await extractInWorker({ name: 'gbk.txt', bytes: gb });
  assert.equal(legacy.extracted.text, `${fx.CHINESE}\n长城全长两万多公里。\n`);
});

test('HTML, Markdown, CSV, JSON and source code through the worker', async () => {
  const html = `<!doctype html><html><head><title>t</title><script>document.write('EVIL')</script><style>p{color:red}</style></head>
    <body onload="alert(1)"><h1>长城</h1><p>${fx.CHINESE}</p><h2>Arabic &amp; more</h2><p>${fx.ARABIC}</p>
    <script>alert('EVIL')</script></body></html>`;
  const h = (await extractInWorker(file('page.html', html))).extracted;
  assert.ok(!h.text.includes('EVIL') && !h.text.includes('color:red'), h.text);
  assert.deepEqual(h.sections.map((s) => s.heading), ['长城', '长城 › Arabic & more']);
  assert.ok(h.text.includes(fx.CHINESE) && h.text.includes(fx.ARABIC));

  const md = (await extractInWorker(file('notes.md', `# 概要\n${fx.JAPANESE}\n\n## Details\ntext\n`))).extracted;
  assert.deepEqual(md.sections.map((s) => s.heading), ['概要', '概要 › Details']);

  const csv = (await extractInWorker(file('people.csv', 'name,city\n"Lovelace, Ada",London\n李白,长安\n'))).extracted;
  assert.equal(csv.text, 'Columns: name | city\nRow 1: name: Lovelace, Ada | city: London\nRow 2: name: 李白 | city: 长安\n');

  const json = (await extractInWorker(file('data.json', '{"title":"长城","length":{"km":21196}}'))).extracted;
  assert.equal(json.text, JSON.stringify({ title: '长城', length: { km: 21196 } }, null, 2));
  assert.deepEqual(json.sections.map((s) => s.heading), [undefined, 'title', 'length', undefined]);
  await refused(extractInWorker(file('bad.json', '{"a": 1,')), 'corrupt', /not valid JSON/);

  const code = (await extractInWorker(file('main.py', 'def wall():\n    return "长城"\n'))).extracted;
  assert.equal(code.kind, 'code');
  assert.equal(code.mime, 'text/x-python');
});

test('refused before reading: unknown type, too large (sparse 201 MB), empty, missing', async () => {
  await refused(extractInWorker(file('model.xyz', 'x')), 'unsupported', /unsupported file type \.xyz; supported: \.pdf, \.docx, \.txt/);
  await refused(extractInWorker(file('old.doc', 'x')), 'unsupported', /save it as \.docx/);
  const big = file('huge.txt');
  closeSync(openSync(big, 'w'));
  truncateSync(big, 201 * 1024 * 1024);
  const phases: string[] = [];
  await refused(extractInWorker(big, { onProgress: (p) => phases.push(p.phase) }), 'too_large', /"huge\.txt": it is too large \(201 MB\); the limit is 200 MB/);
  assert.deepEqual(phases, [], 'refused from its size alone: the reader never started on it');
  await refused(extractInWorker(file('empty.txt', '')), 'no_text', /empty/);
  await refused(extractInWorker(join(dir, 'nowhere.txt')), 'not_found', /cannot be found/);
});
