// The chat steps without the conversation around them, as an API route would use them: prepare
// and generate with a sink of the caller's own and nothing stored, through the core's real engine
// on the tiny synthetic model and its real SQLite file. The same preparation decides the model,
// the settings, the memory refusal and the context fitting as for the app's own answers.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FitReport, GenerateSink } from '../../app/engine.js';
import { startChatCore, type ChatCore } from '../helpers/chat-core.js';

let t: ChatCore;
before(async () => {
  t = await startChatCore();
});
after(() => t?.close());

/** A sink that keeps what it is given. */
function collectingSink(): GenerateSink & { deltas: string[]; fitted: FitReport[] } {
  const deltas: string[] = [];
  const fitted: FitReport[] = [];
  return { deltas, fitted, onDelta: (text) => deltas.push(text), onFitted: (report) => fitted.push(report) };
}

/** About `n` tokens of text (" apple" is one token for Qwen2's tokenizer). */
const words = (n: number) => `apple${' apple'.repeat(n - 1)}`;

test('prepare and generate answer into the caller\'s sink and store nothing in the conversation', async () => {
  const conversation = await t.call('conversations.create', {});
  const eventsBefore = t.events.length;
  const prepared = await t.core.chatSteps.prepare({
    conversation,
    options: { modelPath: t.modelPath, sampling: { maxTokens: 8, temperature: 0 } },
    conversationId: conversation.id,
    turns: [{ role: 'user', content: 'Hello there' }],
  });
  // What the app's answers run with: the model's file, the default context, Qwen2's defaults under the request's own.
  assert.equal(prepared.params.modelPath, t.modelPath);
  assert.equal(prepared.params.contextSize, 4096);
  assert.equal(prepared.params.systemPrompt, 'You are a helpful assistant.');
  assert.deepEqual(prepared.params.sampling, { maxTokens: 8, temperature: 0, topP: 0.8, topK: 20, repeatPenalty: 1.05 });
  assert.deepEqual(prepared.params.messages, [{ role: 'user', content: 'Hello there' }]);
  assert.equal(prepared.sources, null);

  const sink = collectingSink();
  const outcome = await t.core.chatSteps.generate(prepared, sink, new AbortController().signal);
  assert.equal(outcome.kind, 'done');
  if (outcome.kind !== 'done') return;
  assert.ok(outcome.text.length > 0);
  assert.equal(sink.deltas.join(''), outcome.text);
  assert.ok(outcome.stats.tokens > 0 && outcome.stats.tokens <= 8, `tokens ${outcome.stats.tokens}`);
  assert.deepEqual(sink.fitted.map((f) => f.droppedTurns), [0]);

  // Nothing was written: no messages, the title and the branch are as they were, no chat events.
  assert.deepEqual(await t.call('messages.list', { conversationId: conversation.id }), []);
  const [stored] = (await t.call('conversations.list', {})).filter((c) => c.id === conversation.id);
  assert.equal(stored?.title, conversation.title);
  assert.equal(stored?.activeLeafId, null);
  assert.deepEqual(t.events.slice(eventsBefore).filter((e) => e.type.startsWith('chat.')), []);
});

test('without a stored conversation: the context is fitted the same way, and the oldest turns are left out', async () => {
  const history = Array.from({ length: 6 }, (_, i) => ({ role: i % 2 === 0 ? 'user' as const : 'assistant' as const, content: words(120) }));
  const prepared = await t.core.chatSteps.prepare({
    conversation: { settings: { contextSize: 512 } },
    options: { modelPath: t.modelPath, sampling: { maxTokens: 8, temperature: 0 } },
    conversationId: null,
    turns: [...history, { role: 'user', content: 'Hello there' }],
  });
  assert.equal(prepared.params.contextSize, 512);
  const sink = collectingSink();
  const outcome = await t.core.chatSteps.generate(prepared, sink);
  assert.equal(outcome.kind, 'done');
  assert.equal(sink.fitted.length, 1);
  assert.ok(sink.fitted[0]!.droppedTurns > 0, `dropped ${sink.fitted[0]!.droppedTurns}`);
  assert.ok(sink.fitted[0]!.inputTokens <= 512);
});

test('prepare refuses a model that is not usable; a request stopped before it starts never reaches the engine', async () => {
  await assert.rejects(
    t.core.chatSteps.prepare({
      conversation: { settings: {} }, options: { modelPath: path.join(t.core.info.modelsDir, 'missing.gguf') }, conversationId: null,
      turns: [{ role: 'user', content: 'Hello' }],
    }),
    (error: Error & { code?: string }) => error.code === 'not_found',
  );
  const prepared = await t.core.chatSteps.prepare({
    conversation: { settings: {} }, options: { modelPath: t.modelPath }, conversationId: null, turns: [{ role: 'user', content: 'Hello' }],
  });
  const stop = new AbortController();
  stop.abort();
  const sink = collectingSink();
  const outcome = await t.core.chatSteps.generate(prepared, sink, stop.signal);
  assert.equal(outcome.kind, 'done');
  assert.equal(outcome.kind === 'done' ? outcome.stopReason : null, 'abort');
  assert.equal(outcome.text, '');
  assert.deepEqual(sink.deltas, []);
});
