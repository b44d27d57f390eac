// Damaged and hostile files through the document worker, each made at test time: every one is
// refused (or read in part) with a sentence that says what is wrong with the file, never a
// JavaScript internal ("Maximum call stack size exceeded", "Cannot read properties of null").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { extractInWorker } from '../../app/services/documents/attach.js';
import type { ExtractReason } from '../../app/services/documents/extract/index.js';
import * as fx from '../helpers/document-fixtures.js';
import { circularPagesPdf, pdfFromObjects, pdfWithPages, textContent } from '../helpers/handmade-pdf.js';

async function refused(promise: Promise<unknown>, reason: ExtractReason, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.equal((e as { reason?: string }).reason, reason, (e as Error).message);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

/** The entries of a real DOCX, to put back together with one of them replaced. */
async function entriesOf(docx: Buffer): Promise<fx.ZipInput[]> {
  const zip = await yauzl.fromBufferPromise(docx, { lazyEntries: true });
  const out: fx.ZipInput[] = [];
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
  }
  zip.close();
  return out;
}

test('JSON nested 100,000 levels deep is refused by its depth; 1,000 levels still read', async () => {
  const deep = Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
  await refused(extractInWorker({ name: 'deep.json', bytes: deep }), 'corrupt', /"deep\.json": the JSON is nested deeper than 1,000 levels\./);
  const objects = Buffer.from(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
  await refused(extractInWorker({ name: 'objects.json', bytes: objects }), 'corrupt', /nested deeper than 1,000 levels/);
  // Brackets inside strings are text, not nesting.
  const ok = await extractInWorker({ name: 'ok.json', bytes: Buffer.from(`{"k": ${'['.repeat(999)}"[[[{{{${'['.repeat(2000)}"${']'.repeat(999)}}`) });
  assert.match(ok.extracted.text, /"\[\[\[\{\{\{/);
});

test('a DOCX whose word/document.xml is not XML says so; one with a broken styles part names that', async () => {
  const parts = await entriesOf(await fx.headedDocx());
  assert.ok(parts.some((p) => p.name === 'word/document.xml'));
  const replace = (name: string, data: string) => fx.zip(parts.map((p) => (p.name === name ? { name, data: Buffer.from(data) } : p)));
  await refused(extractInWorker({ name: 'text.docx', bytes: replace('word/document.xml', 'this is not XML at all') }), 'corrupt',
    /"text\.docx": the DOCX is damaged: its text \(word\/document\.xml\) is not valid XML\./);
  await refused(extractInWorker({ name: 'cut.docx', bytes: replace('word/document.xml', '<?xml version="1.0"?><w:document xmlns:w="x"><w:body><w:p>') }), 'corrupt',
    /its text \(word\/document\.xml\) is not valid XML/);
  if (parts.some((p) => p.name === 'word/styles.xml')) {
    await refused(extractInWorker({ name: 'styles.docx', bytes: replace('word/styles.xml', 'garbage') }), 'corrupt', /one of its parts .* is not valid XML/);
  }
});

test('a truncated or directory-damaged DOCX is damaged, not a zip bomb', async () => {
  const good = await fx.headedDocx();
  for (const cut of [good.length - 10, good.length - 200, Math.floor(good.length / 2)]) {
    await refused(extractInWorker({ name: 'cut.docx', bytes: good.subarray(0, cut) }), 'corrupt', /the DOCX is damaged or truncated: its ZIP directory cannot be read/);
  }
  const flipped = Buffer.from(good);
  const directory = flipped.readUInt32LE(flipped.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) + 16);
  flipped[directory] ^= 0xff; // the first central directory header's signature
  await refused(extractInWorker({ name: 'flipped.docx', bytes: flipped }), 'corrupt', /its ZIP directory cannot be read/);
});

test('a PDF whose page tree refers back to itself says so, instead of "no text layer"', async () => {
  // Page 1 has no text; the tree's second kid is a Pages node listing itself.
  const quiet = pdfFromObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    '<< /Type /Pages /Parent 2 0 R /Kids [4 0 R] /Count 1 >>',
  ]);
  await refused(extractInWorker({ name: 'loop.pdf', bytes: quiet }), 'corrupt', /"loop\.pdf": the PDF's page tree is damaged: a page refers back to itself\./);
  const only = pdfFromObjects(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>']);
  await refused(extractInWorker({ name: 'self.pdf', bytes: only }), 'corrupt', /page tree is damaged: a page refers back to itself/);
  // With text on the readable page, that page is kept and the looping one is reported.
  const { extracted } = await extractInWorker({ name: 'half.pdf', bytes: circularPagesPdf() });
  assert.match(extracted.text, /First page text/);
  assert.deepEqual(extracted.skippedPages, [{ page: 2, reason: 'a page refers back to itself' }]);
  // The hand-written PDFs are otherwise sound.
  const sound = await extractInWorker({ name: 'sound.pdf', bytes: pdfWithPages([textContent('One'), textContent('Two')]) });
  assert.equal(sound.extracted.text, 'One\n\nTwo');
});

test('a byte-flipped PDF that pdf.js reads in part is read in the worker as in-process, with its damaged pages named', async () => {
  // Seed 17 of these flips makes pdf.js reject a promise of its own that nobody waits on (a bad xref
  // entry): that used to end the reader worker, though the same file extracts in-process.
  const dir = mkdtempSync(join(tmpdir(), 'damaged-pdf-'));
  try {
    await fx.longPdf(join(dir, 'l.pdf'), 3);
    const bytes = Buffer.from(readFileSync(join(dir, 'l.pdf')));
    let x = 17 * 7919;
    const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    const flips = 1 + Math.floor(rnd() * 8);
    for (let k = 0; k < flips; k++) bytes[Math.floor(rnd() * bytes.length)]! ^= 1 + Math.floor(rnd() * 255);

    // (In this process the same file reads, but leaves that stray rejection behind.)
    const { extracted } = await extractInWorker({ name: 'flipped.pdf', bytes });
    assert.match(extracted.text, /^Page 2\. The Great Wall/);
    assert.doesNotMatch(extracted.text, /Page [13]\./);
    assert.deepEqual(extracted.skippedPages, [
      { page: 1, reason: "the file's cross-reference table is damaged" },
      { page: 3, reason: 'the page tree is damaged' },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
