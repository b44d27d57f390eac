// Search finds conversations by their title (English and Chinese, any case) as well as by their
// messages: a title hit comes first, names no message, and follows renames and deletes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startChatCore, type ChatCore } from '../helpers/chat-core.js';

let t: ChatCore;
before(async () => {
  t = await startChatCore();
});
after(() => t?.close());

const search = (query: string, limit?: number) => t.call('search.messages', limit ? { query, limit } : { query });

async function send(conversationId: string, text: string) {
  const finished = t.nextFinished(conversationId);
  await t.call('chat.send', { conversationId, text, modelPath: t.modelPath, sampling: { maxTokens: 2, temperature: 0 } });
  await finished;
}

test('a word only in the title finds the conversation (English and Chinese), title hits first', async () => {
  const c = await t.call('conversations.create', { title: 'Quarterly budget 预算规划' });
  await send(c.id, 'Hello there, nothing about money here');
  const other = await t.call('conversations.create', { title: 'Other' });
  await send(other.id, 'The budget for the trip is small');

  const english = await search('budget');
  assert.deepEqual(english.map((h) => [h.kind, h.conversationId]).slice(0, 1), [['title', c.id]]);
  const [hit] = english;
  assert.equal(hit!.messageId, null);
  assert.equal(hit!.role, null);
  assert.equal(hit!.snippet, 'Quarterly budget 预算规划');
  assert.deepEqual(hit!.ranges.map((r) => hit!.snippet.slice(r.start, r.end)), ['budget']);
  assert.ok(english.some((h) => h.kind === 'message' && h.conversationId === other.id), 'messages that contain the word are found too');
  assert.ok(!english.some((h) => h.kind === 'title' && h.conversationId === other.id));

  for (const query of ['预算', '预算规划', 'QUARTERLY', 'quarterly 预算']) {
    const hits = await search(query);
    assert.deepEqual(hits.filter((h) => h.kind === 'title').map((h) => h.conversationId), [c.id], query);
  }
  assert.deepEqual((await search('预算 money')).filter((h) => h.kind === 'title'), [], 'every term must be in the title');
  assert.equal((await search('budget', 1)).length, 1, 'the limit counts title hits');
  for (const odd of ['%', '_', '\\', '"', '.*']) assert.deepEqual((await search(odd)).filter((h) => h.kind === 'title'), [], odd);
});

test('a renamed conversation is found by its new title, not its old one; a deleted one not at all', async () => {
  const c = await t.call('conversations.create', { title: 'Zebra notes' });
  assert.deepEqual((await search('zebra')).map((h) => h.conversationId), [c.id]);
  await t.call('conversations.rename', { id: c.id, title: '长颈鹿 Giraffe' });
  assert.deepEqual(await search('zebra'), []);
  assert.deepEqual((await search('长颈鹿')).map((h) => [h.kind, h.conversationId]), [['title', c.id]]);
  await t.call('conversations.delete', { id: c.id });
  assert.deepEqual(await search('长颈鹿'), []);
});
