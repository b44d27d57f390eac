// Branches through the core with the real engine: regenerate and edit add siblings (both branches
// kept, as a tree), switchBranch follows the newest answers, paging walks the active branch, delete
// removes a subtree and repairs the active branch; tree changes wait for a running answer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BranchMessage, Message } from '../../app/contract.js';
import { startChatCore, type ChatCore } from '../helpers/chat-core.js';

let t: ChatCore;
before(async () => {
  t = await startChatCore();
});
after(() => t?.close());

const quick = { maxTokens: 4, temperature: 0 };
const shape = (ms: BranchMessage[]) => ms.map((m) => `${m.role === 'user' ? m.content : 'A'}:${m.siblingIndex + 1}/${m.siblingCount}`);

async function send(conversationId: string, text: string) {
  const finished = t.nextFinished(conversationId);
  const sent = await t.call('chat.send', { conversationId, text, modelPath: t.modelPath, sampling: quick });
  return { ...sent, answer: await finished };
}

test('regenerate and edit keep both branches; switchBranch follows the newest answers; paging walks the branch', async () => {
  const c = await t.call('conversations.create', {});
  const first = await send(c.id, 'Q1');
  const second = await send(c.id, 'Q2');
  assert.equal(second.userMessage.parentId, first.answer.id);
  assert.deepEqual(shape(await t.call('messages.list', { conversationId: c.id })), ['Q1:1/1', 'A:1/1', 'Q2:1/1', 'A:1/1']);

  // Regenerate: a new answer next to the old one, streamed as deltas.
  let finished = t.nextFinished(c.id);
  const regen = await t.call('chat.regenerate', { messageId: second.answer.id, modelPath: t.modelPath, sampling: { ...quick, temperature: 1, seed: 7 } });
  const regenerated = await finished;
  assert.equal(regenerated.status, 'done');
  assert.equal(regenerated.content, t.deltasOf(regenerated.id));
  assert.equal(regen.assistantMessage.parentId, second.userMessage.id);
  assert.deepEqual(regen.assistantMessage.siblingIds, [second.answer.id, regenerated.id]);
  let branch = await t.call('messages.list', { conversationId: c.id });
  assert.deepEqual(shape(branch), ['Q1:1/1', 'A:1/1', 'Q2:1/1', 'A:2/2']);
  assert.equal(branch[3]!.id, regenerated.id);
  assert.equal((await t.call('conversations.list', {})).find((x) => x.id === c.id)?.activeLeafId, regenerated.id);

  // Edit: a new version of Q2 next to the old one, with its own answer.
  finished = t.nextFinished(c.id);
  const edit = await t.call('chat.edit', { messageId: second.userMessage.id, text: 'Q2 edited', modelPath: t.modelPath, sampling: quick });
  const editedAnswer = await finished;
  assert.equal(edit.userMessage.parentId, first.answer.id);
  assert.deepEqual(shape(await t.call('messages.list', { conversationId: c.id })), ['Q1:1/1', 'A:1/1', 'Q2 edited:2/2', 'A:1/1']);
  assert.deepEqual(edit.userMessage.siblingIds, [second.userMessage.id, edit.userMessage.id]);

  // Switch back to the first version of Q2: its newest answer (the regenerated one) comes along.
  const switched = await t.call('conversations.switchBranch', { messageId: second.userMessage.id });
  assert.equal(switched.activeLeafId, regenerated.id);
  branch = await t.call('messages.list', { conversationId: c.id });
  assert.deepEqual(shape(branch), ['Q1:1/1', 'A:1/1', 'Q2:1/2', 'A:2/2']);
  assert.ok(t.events.some((e) => e.type === 'conversation.updated' && e.conversation.activeLeafId === regenerated.id));
  // Switching to the older answer.
  await t.call('conversations.switchBranch', { messageId: second.answer.id });
  assert.equal((await t.call('messages.list', { conversationId: c.id }))[3]!.id, second.answer.id);

  // Nothing was copied: 7 messages, one of each.
  const all = await t.call('conversations.export', { id: c.id, format: 'json' });
  const ids = (JSON.parse(all.content) as { messages: Message[] }).messages.map((m) => m.id);
  assert.deepEqual(new Set(ids), new Set([first.userMessage.id, first.answer.id, second.userMessage.id, second.answer.id, regenerated.id, edit.userMessage.id, editedAnswer.id]));
  assert.equal(ids.length, 7);

  // Paging from the end of the branch backwards.
  const last = await t.call('messages.page', { conversationId: c.id, limit: 3 });
  assert.deepEqual(last.messages.map((m) => m.id), [first.answer.id, second.userMessage.id, second.answer.id]);
  assert.equal(last.hasMore, true);
  const earlier = await t.call('messages.page', { conversationId: c.id, limit: 3, beforeId: last.messages[0]!.id });
  assert.deepEqual(earlier.messages.map((m) => m.id), [first.userMessage.id]);
  assert.equal(earlier.hasMore, false);
  assert.deepEqual((await t.call('messages.list', { conversationId: c.id, limit: 2 })).map((m) => m.id), [second.userMessage.id, second.answer.id]);
  assert.match(await t.failure('messages.page', { conversationId: c.id, beforeId: 'nope' }), /^not_found/);

  // Only questions are edited; answers are regenerated.
  assert.match(await t.failure('chat.edit', { messageId: second.answer.id, text: 'x', modelPath: t.modelPath }), /^invalid_request: Only your own messages/);
  assert.match(await t.failure('chat.regenerate', { messageId: 'nope', modelPath: t.modelPath }), /^not_found/);
});

test('delete removes a message with everything after it and moves the active branch to what is left', async () => {
  const c = await t.call('conversations.create', {});
  const first = await send(c.id, 'Q1');
  const second = await send(c.id, 'Q2');
  let finished = t.nextFinished(c.id);
  await t.call('chat.regenerate', { messageId: second.answer.id, modelPath: t.modelPath, sampling: quick });
  await finished;
  finished = t.nextFinished(c.id);
  const edit = await t.call('chat.edit', { messageId: second.userMessage.id, text: 'Q2b', modelPath: t.modelPath, sampling: quick });
  const editedAnswer = await finished;
  await t.call('conversations.switchBranch', { messageId: second.userMessage.id });

  // Q2 with its two answers goes; the branch moves to the remaining version of Q2.
  const removed = await t.call('messages.delete', { id: second.userMessage.id });
  assert.equal(removed.deleted, 3);
  assert.equal(removed.conversation.activeLeafId, editedAnswer.id);
  assert.deepEqual(shape(await t.call('messages.list', { conversationId: c.id })), ['Q1:1/1', 'A:1/1', 'Q2b:1/1', 'A:1/1']);

  // The only answer goes: the branch ends at its question, which can be answered again.
  const gone = await t.call('messages.delete', { id: editedAnswer.id });
  assert.equal(gone.conversation.activeLeafId, edit.userMessage.id);
  finished = t.nextFinished(c.id);
  const again = await t.call('chat.regenerate', { messageId: edit.userMessage.id, modelPath: t.modelPath, sampling: quick });
  assert.equal((await finished).status, 'done');
  assert.equal(again.assistantMessage.parentId, edit.userMessage.id);

  // Deleting the first message empties the conversation.
  assert.equal((await t.call('messages.delete', { id: first.userMessage.id })).deleted, 4);
  assert.deepEqual(await t.call('messages.list', { conversationId: c.id }), []);
  assert.deepEqual(await t.call('messages.page', { conversationId: c.id }), { messages: [], hasMore: false });
  assert.match(await t.failure('messages.delete', { id: first.userMessage.id }), /^not_found/);
  // A new question starts a new first message.
  const fresh = await send(c.id, 'Again');
  assert.equal(fresh.userMessage.parentId, null);
});

test('while an answer is written, the tree of that conversation does not change', async () => {
  const c = await t.call('conversations.create', {});
  const first = await send(c.id, 'Q1');
  const finished = t.nextFinished(c.id);
  const long = await t.call('chat.send', { conversationId: c.id, text: 'Go on and on', modelPath: t.modelPath, sampling: { maxTokens: 5000 } });
  while (t.deltasOf(long.assistantMessage.id).length < 2) await new Promise((r) => setTimeout(r, 5));
  for (const [method, params] of [
    ['messages.delete', { id: first.userMessage.id }],
    ['conversations.switchBranch', { messageId: first.answer.id }],
    ['chat.regenerate', { messageId: first.answer.id, modelPath: t.modelPath }],
    ['chat.edit', { messageId: first.userMessage.id, text: 'x', modelPath: t.modelPath }],
  ] as const) {
    assert.match(await t.failure(method, params), /^busy: An answer is still being written/, method);
  }
  await t.call('chat.stop', { conversationId: c.id });
  assert.equal((await finished).status, 'stopped');
  assert.equal((await t.call('messages.list', { conversationId: c.id })).length, 4);

  // Deleting the conversation tells every window.
  await t.call('conversations.delete', { id: c.id });
  assert.ok(t.events.some((e) => e.type === 'conversation.deleted' && e.conversationId === c.id));
});
