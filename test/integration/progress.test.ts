// Feedback during slow steps and the answer limit, through the real core and engine on the tiny
// model: load progress (engine.load and unload), prompt-reading progress for a long message, an
// answer that stops at its limit and is continued in the same message (reusing the evaluated
// prefix), and an answer that stops because the context is full.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AppEvent, Message } from '../../app/contract.js';
import type { PromptCapture } from '../../app/services/chat.js';
import { startChatCore, type ChatCore } from '../helpers/chat-core.js';

let t: ChatCore;
const prompts: PromptCapture[] = [];
before(async () => {
  t = await startChatCore({ debug: { onPrompt: (p) => prompts.push(p) } });
});
after(() => t?.close());

/** About `n` tokens of text (" apple" is one token for Qwen2's tokenizer). */
const words = (n: number, word = 'apple') => `${word}${` ${word}`.repeat(n - 1)}`;
const of = <T extends AppEvent['type']>(type: T) => t.events.filter((e): e is Extract<AppEvent, { type: T }> => e.type === type);

async function answer(conversationId: string, text: string, sampling: Record<string, number>): Promise<Message> {
  const finished = t.nextFinished(conversationId);
  await t.call('chat.send', { conversationId, text, modelPath: t.modelPath, sampling });
  return finished;
}

test('engine.load reports increasing load progress ending at 1; engine.unload leaves no model', async () => {
  const from = t.events.length;
  const status = await t.call('engine.load', { modelPath: t.modelPath });
  assert.equal(status.modelPath, t.modelPath);
  assert.equal(status.contextSize, 4096);
  assert.equal(status.state, 'ready');
  const loading = t.events.slice(from).filter((e) => e.type === 'engine.loading') as Extract<AppEvent, { type: 'engine.loading' }>[];
  assert.ok(loading.length >= 2, `load progress events: ${loading.map((e) => e.progress).join(', ')}`);
  assert.ok(loading.every((e) => e.modelPath === t.modelPath));
  const values = loading.map((e) => e.progress);
  for (let i = 1; i < values.length; i++) assert.ok(values[i]! >= values[i - 1]!, `increasing: ${values.join(', ')}`);
  assert.equal(values.at(-1), 1);
  assert.ok(values[0]! < 1, `it starts below 1: ${values.join(', ')}`);

  const unloaded = await t.call('engine.unload', {});
  assert.equal(unloaded.modelPath, null);
  assert.equal(unloaded.contextSize, null);
  assert.equal((await t.call('engine.status', {})).modelPath, null);
  // Loading again after an unload works, and an answer then needs no load of its own.
  await t.call('engine.load', { modelPath: t.modelPath });
  const c = await t.call('conversations.create', {});
  const before = of('engine.loading').length;
  const m = await answer(c.id, 'Hello', { maxTokens: 2, temperature: 0 });
  assert.equal(m.status, 'done');
  assert.equal(of('engine.loading').length, before, 'the answer found the model loaded');
});

test('engine.load of a file that is not in the library is refused with a clear error, and the app keeps running', async () => {
  const failure = await t.failure('engine.load', { modelPath: '/no/such/model.gguf' });
  assert.match(failure, /^(not_found|invalid_request|failed): /);
  assert.equal((await t.call('engine.status', {})).state === 'crashed', false);
  assert.match(await t.failure('engine.load', { modelPath: '' }), /^invalid_request: /);
});

test('a long message reports prompt-reading progress, batch by batch, up to the whole prompt', async () => {
  const c = await t.call('conversations.create', {});
  const m = await answer(c.id, words(3000), { maxTokens: 2, temperature: 0 });
  assert.equal(m.status, 'done');
  const progress = of('chat.prompt-progress').filter((e) => e.messageId === m.id);
  assert.ok(progress.length >= 2, `prompt progress events: ${progress.map((e) => e.done).join(', ')}`);
  const total = progress[0]!.total;
  assert.ok(total > 3000 && total < 3100, `tokens to read: ${total}`);
  assert.ok(progress.every((e) => e.total === total && e.conversationId === c.id));
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.done > progress[i - 1]!.done, 'done increases');
  assert.equal(progress.at(-1)!.done, total);
  assert.equal(progress.at(-1)!.etaMs, 0);
  assert.ok(progress.slice(1, -1).every((e) => e.etaMs === null || e.etaMs > 0), 'an estimate of the time left while reading');
  // A short message reads in one batch: no progress for it.
  const short = await answer(c.id, 'And now?', { maxTokens: 2, temperature: 0 });
  assert.equal(of('chat.prompt-progress').filter((e) => e.messageId === short.id).length, 0);
});

test('an answer that stops at its limit says so, and Continue extends the same message reusing the prefix', async () => {
  const c = await t.call('conversations.create', {});
  const first = await answer(c.id, 'Tell me a long story', { maxTokens: 8, temperature: 1, seed: 11 });
  assert.equal(first.status, 'done');
  assert.equal(first.stopReason, 'limit');
  assert.equal(first.stats!.tokens, 8);
  assert.ok(first.content.length > 0);

  const finished = t.nextFinished(c.id);
  const { assistantMessage } = await t.call('chat.continue', { messageId: first.id, modelPath: t.modelPath });
  assert.equal(assistantMessage.id, first.id, 'the same message');
  assert.equal(assistantMessage.status, 'streaming');
  const continued = await finished;
  assert.equal(continued.id, first.id);
  assert.equal(continued.status, 'done');
  assert.ok(continued.content.startsWith(first.content), 'the old text stays at the start');
  assert.ok(continued.content.length > first.content.length, 'and more follows');
  assert.equal(continued.stopReason, 'limit', 'the limit applies again to the continuation');
  assert.equal(continued.stats!.tokens, 16, 'tokens of the whole answer');
  const capture = prompts.find((p) => p.messageId === first.id && p.text.endsWith(first.content))!;
  assert.ok(capture, 'the continuation prompt ends with the unfinished answer');
  assert.doesNotMatch(capture.text.slice(-first.content.length - 30), /<\|im_end\|>\s*<\|im_start\|>assistant\n$/);
  assert.match(capture.text, /<\|im_start\|>assistant\n[^]*$/);
  assert.ok(capture.text.lastIndexOf('<|im_end|>') < capture.text.lastIndexOf('<|im_start|>assistant\n'), 'no end-of-turn after the answer');
  assert.ok(capture.promptTokens <= 2, `the continuation evaluated only the new tokens: ${capture.promptTokens}`);

  // Stored: one answer on the branch, with the whole text and its stop reason.
  const listed = await t.call('messages.list', { conversationId: c.id });
  assert.equal(listed.length, 2);
  assert.equal(listed[1]!.content, continued.content);
  assert.equal(listed[1]!.stopReason, 'limit');
  assert.equal(listed[1]!.siblingCount, 1);
});

test('Continue refuses what cannot be continued: a question, an unknown id, an answer being written', async () => {
  const c = await t.call('conversations.create', {});
  const done = await answer(c.id, 'Hi', { maxTokens: 3, temperature: 0 });
  const [question] = await t.call('messages.list', { conversationId: c.id });
  assert.match(await t.failure('chat.continue', { messageId: question!.id, modelPath: t.modelPath }), /^invalid_request: Only a finished answer/);
  assert.match(await t.failure('chat.continue', { messageId: 'nope', modelPath: t.modelPath }), /^not_found: /);
  const finished = t.nextFinished(c.id);
  await t.call('chat.continue', { messageId: done.id, modelPath: t.modelPath, sampling: { maxTokens: 5000, temperature: 1, seed: 2 } });
  assert.match(await t.failure('chat.continue', { messageId: done.id, modelPath: t.modelPath }), /^(busy|invalid_request): /);
  await t.call('chat.stop', { conversationId: c.id });
  const stopped = await finished;
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.stopReason, null);
  assert.ok(stopped.content.startsWith(done.content));
});

test('an answer that fills the context stops with "context-full"', async () => {
  const model = (await t.call('models.list', {})).find((m) => m.path === t.modelPath)!;
  await t.call('models.update', { id: model.id, defaults: { contextSize: 512 } });
  try {
    const c = await t.call('conversations.create', {});
    // No limit (0): the answer may fill what the 470-token question leaves of the 512-token context.
    const m = await answer(c.id, words(470), { maxTokens: 0, temperature: 1, seed: 3 });
    assert.equal(m.status, 'done');
    assert.equal(m.stopReason, 'context-full', `stopped after ${m.stats!.tokens} tokens, context ${m.stats!.contextTokens}`);
    assert.ok(m.stats!.contextTokens! >= 500, `context after the answer: ${m.stats!.contextTokens}`);
  } finally {
    await t.call('models.update', { id: model.id, defaults: {} });
  }
});
