// Part 8 — documents in: how fast a file is read, split into passages and indexed in SQLite, through
// the app's document attach (the worker, a real database file), for each text format at two sizes.
// The baseline is plain text of the same size in the same run. Every attach has a fixed cost (the
// worker starting, its database connection): measured on a tiny file and taken off each time, so that
// MB/s says what a megabyte more costs.
// Goals, as ratios measured in this process:
//   - near linear: a file 4x larger reads at ≥ 60% of the smaller one's MB/s (a quadratic step
//     would give 25% or less);
//   - each format at the larger size reads at ≥ 25% of plain text's MB/s;
//   - the main thread's longest event-loop stall during an attach is < 10% of the attach's time.
// Also, as info: MB/s for each, and the process's peak resident memory growth.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openStore } from '../../app/store/index.js';
import { storeInWorker } from '../../app/services/documents/attach.js';
import { removeInSteps } from '../../app/services/documents/ingest.js';
import { zip } from '../../test/helpers/document-fixtures.js';
import { nowMs } from '../lib/clock.js';
import { atLeast, atMost, type Figures } from '../lib/report.js';
import { englishText, prng, ENGLISH_WORDS } from '../lib/text.js';

const PART = '8 extract';

type Kind = 'txt' | 'csv rows' | 'csv one row' | 'json' | 'html' | 'docx';

/** A file of about `bytes` bytes of text in the given format; same seed, same file. */
export function makeFile(kind: Kind, bytes: number): { name: string; data: Buffer } {
  const r = prng(11);
  const word = () => ENGLISH_WORDS[Math.floor(r() * ENGLISH_WORDS.length)]!;
  const paragraphs = (): string[] => {
    const out: string[] = [];
    for (let n = 0, i = 0; n < bytes; i++) {
      const p = englishText(60, i + 1);
      out.push(p);
      n += p.length + 2;
    }
    return out;
  };
  switch (kind) {
    case 'txt':
      return { name: 'plain.txt', data: Buffer.from(paragraphs().join('\n\n')) };
    case 'csv rows': {
      const lines = ['id,name,city,amount,note'];
      for (let n = 0, i = 0; n < bytes; i++) {
        const line = `${i},${word()} ${word()},${word()},${i * 3},the ${word()} by the ${word()}`;
        lines.push(line);
        n += line.length + 1;
      }
      return { name: 'rows.csv', data: Buffer.from(lines.join('\n')) };
    }
    case 'csv one row': {
      const head: string[] = [];
      const row: string[] = [];
      for (let n = 0, i = 0; n < bytes; i++) {
        const cell = `${word()} ${word()}`;
        head.push(`c${i}`);
        row.push(cell);
        n += cell.length + `c${i}`.length + 2;
      }
      return { name: 'wide.csv', data: Buffer.from(`${head.join(',')}\n${row.join(',')}`) };
    }
    case 'json':
      return { name: 'data.json', data: Buffer.from(JSON.stringify({ items: paragraphs().map((text, id) => ({ id, text })) })) };
    case 'html':
      return { name: 'page.html', data: Buffer.from(`<!doctype html><html><body>${paragraphs().map((p, i) => (i % 20 === 0 ? `<h2>Part ${i}</h2>` : '') + `<p>${p}</p>`).join('')}</body></html>`) };
    case 'docx': {
      const body = paragraphs().map((p) => `<w:p><w:r><w:t>${p}</w:t></w:r></w:p>`).join('');
      const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;
      const types = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
      const rels = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
      return { name: 'long.docx', data: zip([{ name: '[Content_Types].xml', data: Buffer.from(types) }, { name: '_rels/.rels', data: Buffer.from(rels) }, { name: 'word/document.xml', data: Buffer.from(xml) }]) };
    }
  }
}

interface Attached {
  seconds: number;
  /** Megabytes of text the file holds (its extracted text, UTF-8): the same measure for every format. */
  textMb: number;
  mbPerSecond: number;
  passages: number;
  stallMs: number;
}

export async function runExtract(figures: Figures, o: { smallMb: number }, log: (s: string) => void): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-bench-extract-'));
  const store = openStore(path.join(dir, 'db.sqlite'));
  const limits = { timeoutMs: 30 * 60_000 };
  const closing = new AbortController().signal;
  const conversation = store.conversations.create('bench');
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
  const results: Record<string, Attached> = {};

  let fixedSeconds = 0;
  const attach = async (kind: Kind, mb: number, quiet = false): Promise<Attached> => {
    const file = makeFile(kind, mb * 1e6);
    const stall = monitorEventLoopDelay({ resolution: 10 });
    stall.enable();
    const t0 = nowMs();
    const info = await storeInWorker(store, conversation.id, { name: file.name, bytes: file.data }, limits, { closing });
    const seconds = (nowMs() - t0) / 1000;
    stall.disable();
    const textMb = Buffer.byteLength(store.documents.text(info.id) ?? '') / 1e6;
    await removeInSteps(store.documents, info.id);
    const a = { seconds, textMb, mbPerSecond: textMb / Math.max(0.01, seconds - fixedSeconds), passages: info.passageCount, stallMs: stall.max / 1e6 };
    if (!quiet) log(`${kind} ${mb} MB: ${textMb.toFixed(1)} MB of text in ${seconds.toFixed(1)} s (${a.mbPerSecond.toFixed(2)} MB/s, ${a.passages} passages)`);
    return a;
  };

  try {
    const large = o.smallMb * 4;
    const tiny: number[] = [];
    for (let i = 0; i < 3; i++) tiny.push((await attach('txt', 0.001, true)).seconds);
    fixedSeconds = tiny.sort((a, b) => a - b)[1]!;
    figures.add(PART, 'fixed cost of one attach (a 1 KB file), taken off the times below', fixedSeconds * 1000, 'ms', null);
    const kinds: Kind[] = ['txt', 'csv rows', 'csv one row', 'json', 'html', 'docx'];
    for (const kind of kinds) {
      results[`${kind} small`] = await attach(kind, o.smallMb);
      results[`${kind} large`] = await attach(kind, large);
    }
    const base = results['txt large']!;
    figures.add(PART, `plain text, ${large} MB: extracted, split and indexed`, base.mbPerSecond, 'MB/s', null, `${base.seconds.toFixed(1)} s in all`);
    for (const kind of kinds) {
      const small = results[`${kind} small`]!;
      const big = results[`${kind} large`]!;
      figures.add(PART, `${kind}: MB/s at ${large} MB vs at ${o.smallMb} MB (near linear)`, big.mbPerSecond / small.mbPerSecond, '×', atLeast(0.6), `${small.mbPerSecond.toFixed(2)} → ${big.mbPerSecond.toFixed(2)} MB/s`);
      if (kind !== 'txt') figures.add(PART, `${kind}: MB/s at ${large} MB vs plain text`, big.mbPerSecond / base.mbPerSecond, '×', atLeast(0.25), `${big.mbPerSecond.toFixed(2)} MB/s, ${big.seconds.toFixed(1)} s`);
    }
    const worst = Object.values(results).reduce((w, a) => (a.stallMs / (a.seconds * 1000) > w.stallMs / (w.seconds * 1000) ? a : w));
    figures.add(PART, 'longest main-thread stall during an attach, share of its time', worst.stallMs / (worst.seconds * 1000), '', atMost(0.1), `${worst.stallMs.toFixed(0)} ms of ${(worst.seconds * 1000).toFixed(0)} ms`);
    figures.add(PART, 'peak resident memory growth of the process (worker included)', (rssPeak - rssBefore) / 2 ** 20, 'MiB', null);
  } finally {
    clearInterval(sampler);
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { smallMb: o.smallMb, results, rssGrowthMiB: (rssPeak - rssBefore) / 2 ** 20 };
}
