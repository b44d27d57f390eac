// History through the core: full-text search in Chinese and English (trigram index, LIKE for short
// queries) with plain-text snippets and match ranges, jumping to a hit on another branch, and
// export to Markdown and JSON with the JSON import round trip; bad files change nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Message, SearchHit } from '../../app/contract.js';
import { startChatCore, type ChatCore } from '../helpers/chat-core.js';

let t: ChatCore;
before(async () => {
  t = await startChatCore();
});
after(() => t?.close());

const quick = { maxTokens: 2, temperature: 0 };
async function send(conversationId: string, text: string) {
  const finished = t.nextFinished(conversationId);
  const sent = await t.call('chat.send', { conversationId, text, modelPath: t.modelPath, sampling: quick });
  return { ...sent, answer: await finished };
}
const search = (query: string, limit?: number) => t.call('search.messages', limit ? { query, limit } : { query });
const marked = (hit: SearchHit) => hit.ranges.map((r) => hit.snippet.slice(r.start, r.end));

test('search finds Chinese and English text in every conversation, newest first, with plain snippets and ranges', async () => {
  const a = await t.call('conversations.create', { title: '旅行 Travel' });
  const b = await t.call('conversations.create', { title: 'Food' });
  const a1 = await send(a.id, '我们明天去北京旅游，天气很好');
  const a2 = await send(a.id, 'The quick brown fox jumps over the lazy dog');
  const b1 = await send(b.id, '北京烤鸭 is delicious');
  const b2 = await send(b.id, `${'filler text '.repeat(40)}A <b>FOX</b> in the garden, not Fox News`);

  const two = await search('北京'); // two characters: LIKE
  assert.deepEqual(two.map((h) => h.messageId), [b1.userMessage.id, a1.userMessage.id]);
  assert.deepEqual(two.map((h) => h.conversationTitle), ['Food', '旅行 Travel']);
  assert.deepEqual(marked(two[1]!), ['北京']);
  assert.equal(two[1]!.snippet, '我们明天去北京旅游，天气很好');

  const four = await search('北京旅游'); // trigram index
  assert.deepEqual(four.map((h) => h.messageId), [a1.userMessage.id]);
  assert.deepEqual(marked(four[0]!), ['北京旅游']);

  const fox = (await search('fox')).filter((h) => h.role === 'user');
  assert.deepEqual(fox.map((h) => h.messageId), [b2.userMessage.id, a2.userMessage.id]);
  assert.deepEqual(marked(fox[0]!), ['FOX', 'Fox'], 'any case, every occurrence in the snippet');
  assert.ok(fox[0]!.snippet.startsWith('…') && fox[0]!.snippet.includes('<b>FOX</b>'), 'cut with "…", markup in the text stays text');
  assert.ok(fox[0]!.snippet.length < b2.userMessage.content.length);

  assert.deepEqual((await search('quick  dog')).map((h) => h.messageId), [a2.userMessage.id], 'every term must occur');
  assert.deepEqual((await search('dog 北京')).map((h) => h.messageId), []);
  assert.deepEqual((await search('烤鸭 delicious')).map((h) => h.messageId), [b1.userMessage.id], 'short and long terms together');
  assert.equal((await search('北京', 1)).length, 1);
  for (const odd of ['"', 'fox"', 'AND', 'NEAR(', '*', '%', '_x', '\\']) await search(odd); // no query syntax leaks through
  assert.deepEqual(await search('%'), []);
  assert.match(await t.failure('search.messages', { query: '   ' }), /^invalid_request/);

  await t.call('conversations.delete', { id: b.id });
  assert.deepEqual((await search('北京')).map((h) => h.messageId), [a1.userMessage.id], 'deleted messages leave the index');
});

test('a hit on another branch: switchBranch to it opens that branch', async () => {
  const c = await t.call('conversations.create', {});
  const first = await send(c.id, 'an ocelot sleeps here');
  const finished = t.nextFinished(c.id);
  await t.call('chat.edit', { messageId: first.userMessage.id, text: 'a lynx sleeps here', modelPath: t.modelPath, sampling: quick });
  await finished;
  const [title, hit] = await search('ocelot');
  assert.deepEqual([title!.kind, title!.conversationId], ['title', c.id], 'its automatic title matches first');
  assert.equal(hit!.messageId, first.userMessage.id);
  assert.ok(!(await t.call('messages.list', { conversationId: c.id })).some((m) => m.id === hit!.messageId));
  await t.call('conversations.switchBranch', { messageId: hit!.messageId! });
  const branch = await t.call('messages.list', { conversationId: c.id });
  assert.deepEqual(branch.map((m) => m.id), [first.userMessage.id, first.answer.id]);
});

interface ExportShape {
  exportedAt: number;
  conversation: { activeLeafId: string | null; updatedAt: number } & Record<string, unknown>;
  messages: Array<Message & { parentId: string | null }>;
}

/** The export without ids (replaced by positions) and export-time timestamps. */
function normalised(json: string): unknown {
  const file = JSON.parse(json) as ExportShape;
  const at = new Map(file.messages.map((m, i) => [m.id, i]));
  return {
    ...file,
    exportedAt: 0,
    conversation: { ...file.conversation, updatedAt: 0, activeLeafId: at.get(file.conversation.activeLeafId ?? '') ?? null },
    messages: file.messages.map((m) => ({ ...m, id: at.get(m.id), parentId: m.parentId === null ? null : at.get(m.parentId) })),
  };
}

test('export JSON -> import -> export again gives the same tree and settings; Markdown has the active branch', async () => {
  const c = await t.call('conversations.create', { title: 'Round trip' });
  const first = await send(c.id, 'first question');
  await send(c.id, 'second question');
  let finished = t.nextFinished(c.id);
  await t.call('chat.regenerate', { messageId: first.answer.id, modelPath: t.modelPath, sampling: quick });
  await finished;
  finished = t.nextFinished(c.id);
  await t.call('chat.edit', { messageId: first.userMessage.id, text: '第一个问题（改过）', modelPath: t.modelPath, sampling: quick });
  await finished;
  await t.call('conversations.update', { id: c.id, pinned: true, settings: { systemPrompt: 'Be kind.', sampling: { topK: 3 } } });

  const exported = await t.call('conversations.export', { id: c.id, format: 'json' });
  assert.equal(exported.fileName, 'Round trip.json');
  const file = JSON.parse(exported.content) as ExportShape & { format: string; version: number };
  assert.deepEqual([file.format, file.version, file.messages.length], ['qwen2-desk.conversation', 1, 7]);

  const imported = await t.call('conversations.import', { content: exported.content });
  assert.notEqual(imported.id, c.id);
  assert.deepEqual([imported.title, imported.pinned, imported.settings], ['Round trip', true, { systemPrompt: 'Be kind.', sampling: { topK: 3 } }]);
  const again = await t.call('conversations.export', { id: imported.id, format: 'json' });
  assert.deepEqual(normalised(again.content), normalised(exported.content));
  const ids = new Set(file.messages.map((m) => m.id));
  assert.ok((JSON.parse(again.content) as ExportShape).messages.every((m) => !ids.has(m.id)), 'new ids');
  const branchOf = async (id: string) => (await t.call('messages.list', { conversationId: id })).map((m) => [m.role, m.content, m.siblingIndex, m.siblingCount]);
  assert.deepEqual(await branchOf(imported.id), await branchOf(c.id));

  const md = await t.call('conversations.export', { id: c.id, format: 'markdown' });
  assert.equal(md.fileName, 'Round trip.md');
  assert.match(md.content, /^# Round trip\n/);
  assert.match(md.content, /## You\n\n第一个问题（改过）\n/);
  assert.doesNotMatch(md.content, /second question/, 'only the active branch');
  assert.match(md.content, /5 messages on other branches are only in the JSON export/);
});

test('a bad import file gets a specific error and changes nothing', async () => {
  const c = await t.call('conversations.create', { title: 'Source' });
  const q = await send(c.id, 'hello');
  const good = JSON.parse((await t.call('conversations.export', { id: c.id, format: 'json' })).content) as ExportShape & Record<string, unknown>;
  const before = await t.call('conversations.list', {});
  const variants: Array<[string, RegExp]> = [
    ['not json at all', /not valid JSON/],
    ['{"hello": 1}', /not a Qwen2 Desk conversation export/],
    [JSON.stringify({ ...good, version: 2 }), /newer version of Qwen2 Desk \(format version 2/],
    [JSON.stringify({ ...good, messages: [{ ...good.messages[0], role: 'robot' }, good.messages[1]] }), /at "messages\.0\.role"/],
    [JSON.stringify({ ...good, messages: [good.messages[1], good.messages[0]] }), /message 1 follows ".+", which is not a message before it/],
    [JSON.stringify({ ...good, messages: [good.messages[0], good.messages[0]] }), /message 2 has the id/],
    [JSON.stringify({ ...good, conversation: { ...good.conversation, activeLeafId: 'ghost' } }), /active branch ends at "ghost"/],
    [JSON.stringify({ ...good, conversation: { ...good.conversation, settings: { sampling: { topK: -1 } } } }), /at "conversation\.settings\.sampling\.topK"/],
  ];
  for (const [content, why] of variants) {
    const message = await t.failure('conversations.import', { content });
    assert.match(message, /^invalid_request: This file cannot be imported: /);
    assert.match(message, why);
  }
  assert.deepEqual(await t.call('conversations.list', {}), before);
  assert.equal(q.userMessage.content, 'hello');
});
