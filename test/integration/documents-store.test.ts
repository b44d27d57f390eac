// Documents in a real SQLite file: attach through the worker, FTS5 search in English and Chinese
// (a known passage ranks first at depths 10%/50%/90% of a long document), removal, cascades,
// cancellation and crash leftovers, and a main thread that stays free while a big file is indexed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openStore } from '../../app/store/index.js';
import { citedPassage, readyDocument } from '../../app/services/documents/views.js';
import { documentsOn } from '../helpers/documents-controller.js';
import { planDocuments, withPassageCount } from '../../app/services/documents/plan.js';
import { buildPrompt, parseCitations } from '../../app/services/documents/prompt.js';

const dir = mkdtempSync(join(tmpdir(), 'documents-store-'));
const store = openStore(join(dir, 'db.sqlite'));
test.after(async () => {
  await docs.idle();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});
/** About 4 characters per token for English (a real estimate, used as the tokenizer here). */
const countTokens = (text: string) => Math.ceil(text.length / 4);
const docs = documentsOn(store, { countTokens });
const ftsRows = () => (store.db.prepare('SELECT count(*) AS n FROM passages_fts_docsize').get() as { n: number }).n;
const passageRows = () => (store.db.prepare('SELECT count(*) AS n FROM passages').get() as { n: number }).n;

/** Deterministic filler with a real vocabulary, and distractors that share some words with the needle. */
function english(paragraphs: number, seed = 1): string[] {
  const words = 'river mountain village harvest winter market bridge lantern festival merchant ship harbour garden temple road forest'.split(' ');
  const out: string[] = [];
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) % words.length;
  for (let p = 0; p < paragraphs; p++) {
    const sentences = Array.from({ length: 8 }, () => `The ${words[next()]} near the ${words[next()]} was quiet during the ${words[next()]}.`);
    if (p % 7 === 3) sentences.push('Every ship has a launch code of its own.');
    if (p % 11 === 5) sentences.push('The observatory closes in winter.');
    out.push(sentences.join(' '));
  }
  return out;
}
function chinese(paragraphs: number): string[] {
  const phrases = ['河流穿过山谷', '村庄里的集市很热闹', '冬天的港口很安静', '商人沿着道路前行', '寺庙的花园开满了花', '森林里有一座小桥'];
  const out: string[] = [];
  for (let p = 0; p < paragraphs; p++) {
    const s = Array.from({ length: 10 }, (_, i) => phrases[(p * 7 + i * 3) % phrases.length]).join('，') + '。';
    out.push(p % 9 === 4 ? `${s}每段代码都需要测试。火箭发射需要天气晴朗。` : s);
  }
  return out;
}
const insertAt = (paragraphs: string[], depth: number, needle: string) => {
  const copy = [...paragraphs];
  copy.splice(Math.round(depth * copy.length), 0, needle);
  return copy.join('\n\n');
};

const EN_NEEDLE = 'The secret launch code of the observatory is PELICAN-7731.';
const ZH_NEEDLE = '天文台的秘密发射代码是鹈鹕七七三一。';
const cases = [
  { lang: 'English', filler: english(400), needle: EN_NEEDLE, question: 'What is the secret launch code of the observatory?', file: 'haystack.txt' },
  { lang: 'Chinese', filler: chinese(500), needle: ZH_NEEDLE, question: '天文台的秘密发射代码是什么？', file: '大海捞针.txt' },
];

for (const c of cases) {
  for (const depth of [0.1, 0.5, 0.9]) {
    test(`${c.lang}: the needle ranks first at depth ${depth * 100}%`, async () => {
      const conversation = store.conversations.create(`${c.lang} ${depth}`);
      const text = insertAt(c.filler, depth, c.needle);
      const doc = await docs.attach(conversation.id, { name: c.file, bytes: Buffer.from(text) });
      assert.ok(doc.passageCount > 50, `${doc.passageCount} passages`);
      const result = await docs.retrieve({ conversationId: conversation.id, question: c.question, budgetTokens: 2000, modelPath: 'tokenizer' });
      assert.equal(result.fallback, false);
      const top = result.passages[0]!;
      assert.ok(top.text.includes(c.needle), `top passage: ${top.text.slice(0, 120)}`);
      assert.ok(Math.abs(top.seq / doc.passageCount - depth) < 0.05, `found at ${top.seq}/${doc.passageCount}`);
      assert.ok(result.usedTokens <= 2000 && result.passages.length >= 2);
    });
  }
}

test('a 2-character Chinese word (below the trigram size) is still found; a question matching nothing falls back', async () => {
  const conversation = store.conversations.create();
  const text = insertAt(chinese(120), 0.7, '长城位于中国北方，全长两万多公里。');
  await docs.attach(conversation.id, { name: 'china.md', bytes: Buffer.from(text) });
  const result = await docs.retrieve({ conversationId: conversation.id, question: '长城在哪里？', budgetTokens: 500, modelPath: 'tokenizer' });
  assert.equal(result.query, null);
  assert.deepEqual(result.shortTerms, ['长城']);
  assert.match(result.passages[0]!.text, /长城位于中国北方/);

  const none = await docs.retrieve({ conversationId: conversation.id, question: 'xylophone zeppelin', budgetTokens: 300, modelPath: 'tokenizer' });
  assert.equal(none.fallback, true);
  assert.equal(none.passages[0]!.seq, 0, 'the beginning of the document');
  assert.ok(none.usedTokens <= 300);
});

test('store: passages cover the text with their offsets; passage() for the side panel; the same file twice is one document', async () => {
  const conversation = store.conversations.create();
  const body = `# Walls\n\n${english(30).join('\n\n')}\n\n## 长城\n\n${chinese(20).join('\n\n')}`;
  const a = await docs.attach(conversation.id, { name: 'walls.md', bytes: Buffer.from(body) });
  assert.deepEqual(
    { name: a.name, kind: a.kind, mime: a.mime, sizeBytes: a.sizeBytes, chars: a.chars, tokenCount: a.tokenCount },
    { name: 'walls.md', kind: 'markdown', mime: 'text/markdown', sizeBytes: Buffer.byteLength(body), chars: body.length, tokenCount: null },
  );
  assert.match(a.sha256, /^[0-9a-f]{64}$/);
  const text = store.documents.text(a.id)!;
  assert.equal(text, body);
  const all = docs.passagesOf(a.id);
  assert.equal(all.length, a.passageCount);
  for (const p of all) assert.equal(p.text, text.slice(p.start, p.end));
  assert.deepEqual([...new Set(all.map((p) => p.heading))], ['Walls', 'Walls › 长城']);
  assert.deepEqual(citedPassage(store.documents, all[3]!.id)?.passage, all[3]);
  assert.equal(citedPassage(store.documents, -1), null);

  const again = await docs.attach(conversation.id, { name: 'copy.md', bytes: Buffer.from(body) });
  assert.equal(again.id, a.id);
  assert.equal((await docs.list(conversation.id)).length, 1);
  assert.equal(store.documents.setTokenCount(a.id, 12345, 'qwen2-7b-instruct'), true);
  assert.equal(readyDocument(store.documents, a.id)?.tokenCount, 12345);
  assert.equal(readyDocument(store.documents, a.id)?.tokenModel, 'qwen2-7b-instruct');
});

test('bad input loses nothing; remove() and a deleted conversation take passages and index rows with them', async () => {
  const conversation = store.conversations.create();
  const kept = await docs.attach(conversation.id, { name: 'kept.txt', bytes: Buffer.from(english(20).join('\n\n')) });
  const before = { passages: passageRows(), fts: ftsRows() };
  await assert.rejects(docs.attach(conversation.id, { name: 'bin.txt', bytes: gzipSync(Buffer.from('x'.repeat(1000))) }), /binary file/);
  await assert.rejects(docs.attach('no-such-conversation', { name: 'a.txt', bytes: Buffer.from('hello') }), /no longer exists/);
  assert.deepEqual((await docs.list(conversation.id)).map((d) => d.id), [kept.id]);
  assert.deepEqual({ passages: passageRows(), fts: ftsRows() }, before);

  const other = await docs.attach(conversation.id, { name: 'other.txt', bytes: Buffer.from(english(20, 9).join('\n\n')) });
  assert.equal(await docs.remove(other.id), true);
  assert.equal(await docs.remove(other.id), false);
  assert.deepEqual({ passages: passageRows(), fts: ftsRows() }, before);

  store.conversations.delete(conversation.id);
  assert.equal(readyDocument(store.documents, kept.id), null);
  assert.equal(passageRows(), before.passages - kept.passageCount);
  assert.equal(ftsRows(), before.fts - kept.passageCount);
});

test("store has(): a conversation has documents once one is ready, not while one is indexing or after it is removed", async () => {
  const conversation = store.conversations.create();
  assert.equal(store.documents.has(conversation.id), false);
  store.documents.insert({ id: 'half', conversationId: conversation.id, name: 'x.txt', kind: 'text', mime: 'text/plain', sizeBytes: 5, sha256: '1'.repeat(64), text: 'hello', pageCount: null, createdAt: 1 });
  assert.equal(store.documents.has(conversation.id), false);
  const ready = await docs.attach(conversation.id, { name: 'ready.txt', bytes: Buffer.from(english(3, 5).join('\n\n')) });
  assert.equal(store.documents.has(conversation.id), true);
  assert.equal(await docs.remove(ready.id), true);
  assert.equal(await docs.remove('half'), true);
  assert.equal(store.documents.has(conversation.id), false);
});

test('cancelling while indexing removes what was written; leftovers of a crash are removed by recover()', async () => {
  const conversation = store.conversations.create();
  const before = { passages: passageRows(), fts: ftsRows() };
  const controller = new AbortController();
  const big = english(6000, 3).join('\n\n');
  await assert.rejects(
    docs.attach(conversation.id, { name: 'big.txt', bytes: Buffer.from(big) }, {
      signal: controller.signal,
      onProgress: (p) => p.phase === 'indexing' && controller.abort(),
    }),
    /"big\.txt" was cancelled/,
  );
  assert.equal((store.db.prepare('SELECT count(*) AS n FROM documents WHERE conversation_id = ?').get(conversation.id) as { n: number }).n, 0);
  assert.deepEqual({ passages: passageRows(), fts: ftsRows() }, before);

  // A crash mid-indexing leaves an invisible 'indexing' document.
  store.documents.insert({ id: 'crashed', conversationId: conversation.id, name: 'x.txt', kind: 'text', mime: 'text/plain', sizeBytes: 5, sha256: '0'.repeat(64), text: 'hello', pageCount: null, createdAt: 1 });
  store.documents.insertPassages('crashed', [{ seq: 0, start: 0, end: 5, page: null, heading: null, text: 'hello' }]);
  assert.deepEqual(await docs.list(conversation.id), []);
  assert.equal(await docs.recover(), 1);
  assert.equal(store.documents.get('crashed'), null);
  assert.deepEqual({ passages: passageRows(), fts: ftsRows() }, before);
});

test('a conversation deleted while its document is indexed, and close() during an attach, leave nothing behind', async () => {
  const before = { passages: passageRows(), fts: ftsRows() };
  const doomed = store.conversations.create();
  let deleted = false;
  await assert.rejects(
    docs.attach(doomed.id, { name: 'orphan.txt', bytes: Buffer.from(english(6000, 4).join('\n\n')) }, {
      onProgress: (p) => {
        if (p.phase === 'indexing' && !deleted) deleted = store.conversations.delete(doomed.id);
      },
    }),
    /"orphan\.txt": its conversation was deleted meanwhile/,
  );
  assert.ok(deleted);

  const closing = documentsOn(store);
  const conversation = store.conversations.create();
  let attach: Promise<unknown> | undefined;
  const indexing = new Promise<void>((resolve) => {
    attach = closing.attach(conversation.id, { name: 'late.txt', bytes: Buffer.from(english(6000, 6).join('\n\n')) }, {
      onProgress: (p) => p.phase === 'indexing' && resolve(),
    });
  });
  await indexing;
  await closing.close();
  await assert.rejects(attach!, /"late\.txt" was cancelled/);
  await assert.rejects(closing.attach(conversation.id, { name: 'after.txt', bytes: Buffer.from('hello') }), /closing/);
  assert.deepEqual(await docs.list(conversation.id), []);
  assert.deepEqual({ passages: passageRows(), fts: ftsRows() }, before);
});

test('a 6 MB document is extracted and indexed off the main thread: timers and progress run while it works', async () => {
  const conversation = store.conversations.create();
  const big = english(14000, 5).join('\n\n');
  assert.ok(big.length > 6_000_000);
  // Main-thread work queued at the start of the attach runs before the attach ends, and progress
  // reports arrive one by one as the worker goes: neither could happen if the work blocked this thread.
  // (How long the loop may be blocked is a benchmark figure, part 8, not a timed test.)
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const ticksAtProgress: number[] = [];
  const doc = await docs.attach(conversation.id, { name: 'six-mb.txt', bytes: Buffer.from(big) }, { onProgress: () => ticksAtProgress.push(ticks) });
  clearInterval(timer);
  assert.ok(doc.passageCount > 4000);
  assert.ok(ticksAtProgress.length >= 3, `progress reports: ${ticksAtProgress.length}`);
  assert.ok(ticksAtProgress[ticksAtProgress.length - 1]! > ticksAtProgress[0]!, `timer ticks seen at each report: ${ticksAtProgress.join(', ')}`);
});

test('end to end: plan, retrieve within the budget, build the prompt, parse the citations back to passages', async () => {
  const conversation = store.conversations.create();
  const doc = await docs.attach(conversation.id, { name: 'haystack.txt', bytes: Buffer.from(insertAt(english(400, 2), 0.4, EN_NEEDLE)) });
  const question = 'What is the secret launch code of the observatory?';
  const docTokens = countTokens(store.documents.text(doc.id)!);
  const plan = planDocuments({
    documents: [{ name: doc.name, tokens: docTokens }], conversationTokens: 30, questionTokens: countTokens(question),
    answerTokens: 512, contextSize: 4096, maxContextSize: 32768,
  });
  assert.equal(plan.mode, 'retrieval', plan.explanation);
  const found = await docs.retrieve({ conversationId: conversation.id, question, budgetTokens: plan.passageBudget, modelPath: 'tokenizer' });
  assert.ok(found.usedTokens <= plan.passageBudget);
  const final = withPassageCount(plan, found.passages.length);
  assert.match(final.explanation, new RegExp(`retrieval mode, the ${found.passages.length} best passages\\.$`));
  const prompt = buildPrompt({ mode: 'retrieval', passages: found.passages, question });
  assert.ok(countTokens(prompt.text) <= plan.passageBudget + countTokens(question) + 100);
  const cited = parseCitations('The code is PELICAN-7731 [1], as the log confirms [1].', prompt.citations.length);
  assert.deepEqual(cited, [1]);
  const panel = citedPassage(store.documents, prompt.citations[0]!.passageId)!.passage;
  assert.ok(panel.text.includes(EN_NEEDLE));
  assert.equal(store.documents.text(doc.id)!.slice(panel.start, panel.end), panel.text);
});
