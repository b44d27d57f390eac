// The numbers of every answer and the context overflow, through the core with the real engine on
// the tiny model: time to first token, speed, tokens, prompt tokens, the context meter; at a
// 512-token context the oldest turns are left out deliberately (never a silent context shift),
// recorded on the answer, and a message that cannot fit at all gets a specific error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Message } from '../../app/contract.js';
import { startChatCore, type ChatCore } from '../helpers/chat-core.js';

let t: ChatCore;
before(async () => {
  t = await startChatCore();
});
after(() => t?.close());

async function answer(conversationId: string, text: string, sampling: Record<string, number> = {}): Promise<Message> {
  const finished = t.nextFinished(conversationId);
  await t.call('chat.send', { conversationId, text, modelPath: t.modelPath, sampling: { temperature: 0, ...sampling } });
  return finished;
}

/** About `n` tokens of text (" apple" is one token for Qwen2's tokenizer). */
const words = (n: number, word = 'apple') => `${word}${` ${word}`.repeat(n - 1)}`;

test('every answer carries its numbers and the context meter', async () => {
  const c = await t.call('conversations.create', {});
  const first = await answer(c.id, 'Hello there', { maxTokens: 6 });
  const s = first.stats!;
  assert.equal(first.status, 'done');
  assert.ok(s.tokens > 0 && s.tokens <= 6, `tokens ${s.tokens}`);
  assert.ok(s.timeToFirstTokenMs > 0);
  assert.ok(s.tokensPerSecond >= 0);
  assert.equal(s.contextSize, 4096);
  assert.ok(s.promptTokens! > 10, `prompt tokens evaluated: ${s.promptTokens}`);
  assert.ok(s.contextTokens! >= s.promptTokens! && s.contextTokens! <= s.promptTokens! + s.tokens + 1, `context ${s.contextTokens}`);
  assert.equal(first.droppedMessages, 0);
  // The next answer reuses the context: fewer prompt tokens evaluated than the whole history, and the meter grows.
  const second = await answer(c.id, 'And again', { maxTokens: 6 });
  assert.ok(second.stats!.contextTokens! > s.contextTokens!);
  assert.ok(second.stats!.promptTokens! < second.stats!.contextTokens! - second.stats!.tokens, 'the shared prefix was not evaluated again');
  // What messages.list returns is what was stored.
  const listed = await t.call('messages.list', { conversationId: c.id });
  assert.deepEqual(listed[3]!.stats, second.stats);
});

test('at a 512-token context the oldest turns are left out with a visible count, never silently', async () => {
  const model = (await t.call('models.list', {})).find((m) => m.path === t.modelPath)!;
  await t.call('models.update', { id: model.id, defaults: { contextSize: 512 } });
  try {
    const c = await t.call('conversations.create', {});
    // With maxTokens 8 the answer's reserve is 8: three 120-token questions fit, a fourth does not.
    const answers: Message[] = [];
    for (let i = 0; i < 4; i++) answers.push(await answer(c.id, words(120, ['apple', 'pear', 'plum', 'fig'][i]), { maxTokens: 8 }));
    assert.deepEqual(answers.map((a) => a.status), ['done', 'done', 'done', 'done']);
    assert.deepEqual(answers.slice(0, 3).map((a) => a.droppedMessages), [0, 0, 0]);
    const last = answers[3]!;
    // The conversation overflows: its oldest turns go, down to about half the room for turns (so
    // the next messages can keep this start and reuse what was evaluated); here that leaves the
    // newest question alone: 6 messages left out.
    assert.equal(last.droppedMessages, 6, 'the three older questions and their answers were left out');
    assert.equal(last.stats!.contextSize, 512);
    // The newest question is in the context with the answer.
    assert.ok(last.stats!.contextTokens! >= 120 + last.stats!.tokens, `context after the answer: ${last.stats!.contextTokens}`);
    const stored = (await t.call('messages.list', { conversationId: c.id })).at(-1)!;
    assert.equal(stored.droppedMessages, 6, 'stored on the answer');
    assert.equal((await t.call('messages.list', { conversationId: c.id })).length, 8, 'the history itself is kept');

    // Without maxTokens the answer may fill the rest of the context, and stops there.
    const open = await t.call('conversations.create', {});
    await answer(open.id, words(200), { maxTokens: 4 });
    const long = await answer(open.id, words(200, 'pear'), { temperature: 1, seed: 3 });
    assert.equal(long.droppedMessages, 2);
    // The kept 200-token question is still in the context together with the whole answer: nothing
    // was shifted out (a shift erases the oldest tokens and lets the answer run on).
    const { tokens, contextTokens } = long.stats!;
    assert.ok(tokens > 0 && contextTokens! >= tokens + 199, `answer ${tokens} tokens, context ${contextTokens}`);

    // The Markdown export shows the marker where it happened.
    const md = await t.call('conversations.export', { id: c.id, format: 'markdown' });
    assert.match(md.content, /6 earlier messages no longer fit in the 512-token context/);

    // A question that cannot fit even alone: a specific error on the answer, the question is kept.
    const tooLong = await t.call('conversations.create', {});
    const failed = await answer(tooLong.id, words(600), { maxTokens: 8 });
    assert.equal(failed.status, 'error');
    assert.match(failed.error ?? '', /too long for the context: with the system prompt it takes \d+ tokens and the context holds 512/);
    assert.equal((await t.call('messages.list', { conversationId: tooLong.id }))[0]!.content, words(600));
  } finally {
    await t.call('models.update', { id: model.id, defaults: {} });
  }
});

test('a conversation that keeps overflowing a 512-token context still reuses its evaluated prefix for most messages', async () => {
  const model = (await t.call('models.list', {})).find((m) => m.path === t.modelPath)!;
  await t.call('models.update', { id: model.id, defaults: { contextSize: 512 } });
  try {
    const c = await t.call('conversations.create', {});
    const answers: Message[] = [];
    // 14 questions of ~40 tokens with 4-token answers: the context overflows from about the 8th on.
    for (let i = 0; i < 14; i++) answers.push(await answer(c.id, words(40, ['apple', 'pear', 'plum', 'fig'][i % 4]), { maxTokens: 4 }));
    const dropped = answers.map((a) => a.droppedMessages);
    const evaluated = answers.map((a) => a.stats!.promptTokens!);
    const afterOverflow = answers.map((a, i) => ({ a, prev: answers[i - 1] })).filter(({ a, prev }) => prev && prev.droppedMessages! > 0 && a.droppedMessages === prev.droppedMessages);
    assert.ok(dropped.at(-1)! > 0, `dropped: ${dropped.join(',')}`);
    // Once turns are left out, the start stays put for several messages: each of those evaluates
    // only its own question (~50 tokens with the frame), not the whole history again.
    assert.ok(afterOverflow.length >= 3, `messages keeping the previous start: dropped ${dropped.join(',')}; evaluated ${evaluated.join(',')}`);
    for (const { a } of afterOverflow) assert.ok(a.stats!.promptTokens! < 70, `evaluated ${evaluated.join(',')} (dropped ${dropped.join(',')})`);
  } finally {
    await t.call('models.update', { id: model.id, defaults: {} });
  }
});
