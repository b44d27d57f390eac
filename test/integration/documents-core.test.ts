// The documents.* requests through the core (real SQLite file, worker, engine process on the tiny
// model): attach with progress events, token counts that match Qwen's own tokenizer.json exactly and
// are counted again for another model, the context share, the citation panel's passage, removal,
// cancellation, the specific errors, and how an answer's use of the documents is stored.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { AppEvent } from '../../app/contract.js';
import { startChatCore, type ChatCore } from '../helpers/chat-core.js';
import { ask, attachText, filler, nextEvent, readDatabase, referenceTokens, until } from '../helpers/documents.js';

let t: ChatCore;
before(async () => {
  t = await startChatCore();
});
after(() => t?.close());

const MIXED = [
  'Qwen2 Desk reads long documents. 长城是中国古代的军事防御工程，位于中国北方。',
  'Numbers 12,345.67 and code `x => x * 2`; emoji 🚢 and Arabic سور الصين العظيم.',
  ...filler(40, 2),
].join('\n\n');

test('attach: progress events, an exact token count with the model\'s tokenizer, the share of the context', async () => {
  const c = await t.call('conversations.create', {});
  const seen: AppEvent[] = [];
  const off = t.core.onEvent((e) => (e.type === 'document.progress' || e.type === 'documents.changed') && seen.push(e));
  const doc = await attachText(t, c.id, 'mixed.md', MIXED);
  off();
  const phases = new Set(seen.flatMap((e) => (e.type === 'document.progress' ? [e.phase] : [])));
  for (const phase of ['reading', 'indexing', 'counting'] as const) assert.ok(phases.has(phase), `a ${phase} progress event (${[...phases]})`);
  assert.ok(seen.some((e) => e.type === 'documents.changed' && e.conversationId === c.id));

  const text = readDatabase(t, (db) => (db.prepare('SELECT text FROM documents WHERE id = ?').get(doc.id) as { text: string }).text);
  assert.equal(doc.tokenCount, referenceTokens(text), 'the count is exact (Qwen\'s tokenizer.json agrees)');
  assert.equal(doc.tokenModel, t.modelPath);
  assert.equal(doc.contextSize, 4096, 'measured against the context the model runs at');

  // Another model file (another tokenizer, as far as the app knows): listing with it counts again.
  const copy = path.join(path.dirname(t.modelPath), 'tiny-copy.gguf');
  fs.copyFileSync(t.modelPath, copy);
  await t.call('models.list', {});
  const changed = nextEvent(t, 'documents.changed', (e) => e.conversationId === c.id);
  const before = await t.call('documents.list', { conversationId: c.id, modelPath: copy });
  assert.equal(before[0]!.tokenModel, t.modelPath, 'the old count is shown until the new one is ready');
  await changed;
  const after = await t.call('documents.list', { conversationId: c.id, modelPath: copy });
  assert.equal(after[0]!.tokenModel, copy);
  assert.equal(after[0]!.tokenCount, doc.tokenCount);
});

test('when the tokens cannot be counted with a model, the reason is announced and the count is left unset', async () => {
  const c = await t.call('conversations.create', {});
  const doc = await attachText(t, c.id, 'counted.txt', filler(20, 7).join('\n\n'));
  // A model file that is not a usable GGUF (its tokenizer cannot be loaded).
  const broken = path.join(path.dirname(t.modelPath), 'broken-tokenizer.gguf');
  fs.writeFileSync(broken, Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(64, 0xff)]));
  const failed = nextEvent(t, 'documents.count-failed', (e) => e.conversationId === c.id);
  const listed = await t.call('documents.list', { conversationId: c.id, modelPath: broken });
  assert.equal(listed[0]!.tokenModel, t.modelPath, 'the old count stays until a new one is made');
  const event = await Promise.race([failed, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no documents.count-failed event in 30 s')), 30_000).unref())]);
  assert.equal(event.modelPath, broken);
  assert.match(event.message, /Cannot count the tokens of "counted\.txt" with broken-tokenizer\.gguf/);
  // Nothing was written; with the working model it is still counted.
  const again = await t.call('documents.list', { conversationId: c.id, modelPath: t.modelPath });
  assert.equal(again[0]!.tokenCount, doc.tokenCount);
  fs.rmSync(broken);
});

test('the citation panel\'s passage, removal, and the same file twice', async () => {
  const c = await t.call('conversations.create', {});
  const doc = await attachText(t, c.id, 'long.txt', filler(400, 4).join('\n\n'));
  assert.ok(doc.passageCount >= 3);
  const again = await t.call('documents.attach', { conversationId: c.id, path: path.join(t.dataDir, 'long.txt') });
  assert.equal(again.id, doc.id, 'the same file is not added twice');

  const ids = readDatabase(t, (db) => db.prepare('SELECT id FROM passages WHERE document_id = ? ORDER BY seq').all(doc.id) as Array<{ id: number }>);
  const middle = await t.call('documents.passage', { id: ids[1]!.id });
  assert.equal(middle.passage.seq, 1);
  assert.equal(middle.text.slice(middle.highlight.start, middle.highlight.end), middle.passage.text);
  assert.ok(middle.highlight.start > 0 && middle.highlight.end < middle.text.length, 'with the passages around it');
  const first = await t.call('documents.passage', { id: ids[0]!.id });
  assert.equal(first.highlight.start, 0);

  const changed = nextEvent(t, 'documents.changed', (e) => e.conversationId === c.id);
  assert.deepEqual(await t.call('documents.remove', { id: doc.id }), { removed: true });
  await changed;
  assert.deepEqual(await t.call('documents.list', { conversationId: c.id }), []);
  assert.deepEqual(await t.call('documents.remove', { id: doc.id }), { removed: false });
  assert.match(await t.failure('documents.passage', { id: ids[1]!.id }), /^not_found: This passage is no longer available: its document was removed\.$/);
});

test('specific errors, and cancelling an attach in progress', async () => {
  const c = await t.call('conversations.create', {});
  const exe = path.join(t.dataDir, 'tool.exe');
  fs.writeFileSync(exe, 'MZ');
  assert.match(await t.failure('documents.attach', { conversationId: c.id, path: exe }), /tool\.exe/);
  assert.match(await t.failure('documents.attach', { conversationId: c.id, path: path.join(t.dataDir, 'nope.txt') }), /Cannot add "nope\.txt": .*(exist|found)/);
  assert.match(await t.failure('documents.attach', { conversationId: 'missing', path: exe }), /^not_found: This conversation no longer exists\.$/);
  assert.match(await t.failure('documents.list', { conversationId: 'missing' }), /^not_found/);

  const big = path.join(t.dataDir, 'big.txt');
  fs.writeFileSync(big, filler(120_000, 9).join('\n\n'));
  const started = nextEvent(t, 'document.progress', (e) => e.conversationId === c.id && e.phase === 'indexing');
  const attach = t.failure('documents.attach', { conversationId: c.id, path: big });
  await started;
  assert.deepEqual(await t.call('documents.cancel', { conversationId: c.id }), { cancelled: 1 });
  assert.match(await attach, /Adding "big\.txt" was cancelled\./);
  assert.deepEqual(await t.call('documents.list', { conversationId: c.id }), []);
  const left = (db: Parameters<Parameters<typeof readDatabase>[1]>[0]) =>
    (db.prepare('SELECT count(*) AS n FROM passages p JOIN documents d ON d.id = p.document_id WHERE d.conversation_id = ?').get(c.id) as { n: number }).n;
  await until('no passages left behind', () => readDatabase(t, left) === 0);
  assert.deepEqual(await t.call('documents.cancel', { conversationId: c.id }), { cancelled: 0 });
});

test('an answer with documents: its plan is announced, stored, and listed by documents.sources', async () => {
  const c = await t.call('conversations.create', {});
  await attachText(t, c.id, 'market.txt', filler(60, 3).join('\n\n'));
  const planned = nextEvent(t, 'documents.answer', (e) => e.conversationId === c.id);
  const answer = await ask(t, c.id, 'What was quiet near the market?');
  const { sources } = await planned;
  assert.equal(sources.messageId, answer.id);
  assert.equal(sources.mode, 'full');
  assert.equal(sources.contextSize, 4096);
  assert.ok(sources.largestContext >= 4096);
  assert.equal(sources.modelPath, t.modelPath);
  assert.deepEqual(sources.citations.map((x) => x.n), Array.from({ length: sources.passageCount }, (_, i) => i + 1));
  assert.deepEqual(await t.call('documents.sources', { conversationId: c.id }), [sources]);

  // A conversation without documents answers from its messages alone, with no sources stored.
  const plain = await t.call('conversations.create', {});
  await ask(t, plain.id, 'Hello');
  assert.deepEqual(await t.call('documents.sources', { conversationId: plain.id }), []);

  // Deleting the answer deletes its record.
  await t.call('messages.delete', { id: answer.id });
  assert.deepEqual(await t.call('documents.sources', { conversationId: c.id }), []);
});
