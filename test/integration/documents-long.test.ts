// Long documents through the core with the real engine on the tiny model: a ~6K-token document with
// a known passage at 10%, 50% and 90% of its depth. With an 8K context the whole document is in the
// prompt the engine renders (full-document mode, captured through the core's debug hook); with a 2K
// context, retrieval ranks the passage first for the question (citation [1]) and says a larger
// context would allow full-document mode; a document beyond the largest context is retrieval only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PromptCapture } from '../../app/services/chat.js';
import { startChatCore, type ChatCore } from '../helpers/chat-core.js';
import { ask, attachText, filler, NEEDLE, NEEDLE_QUESTION, nextEvent, setModelDefaults, withNeedle } from '../helpers/documents.js';

let t: ChatCore;
const prompts: PromptCapture[] = [];
const depths = [0.1, 0.5, 0.9];
const conversations = new Map<number, string>();

before(async () => {
  t = await startChatCore({ debug: { onPrompt: (p) => prompts.push(p) } });
  for (const depth of depths) {
    const c = await t.call('conversations.create', {});
    conversations.set(depth, c.id);
    const doc = await attachText(t, c.id, `lighthouse-${depth * 100}.txt`, withNeedle(540, depth, 17));
    assert.ok(doc.tokenCount! > 5000 && doc.tokenCount! < 7000, `about 6K tokens (${doc.tokenCount})`);
  }
});
after(() => t?.close());

for (const depth of depths) {
  test(`full-document mode (8K context): the passage at ${depth * 100}% is in the prompt the engine evaluates`, async () => {
    await setModelDefaults(t, { contextSize: 8192 });
    const conversationId = conversations.get(depth)!;
    const planned = nextEvent(t, 'documents.answer', (e) => e.conversationId === conversationId);
    const answer = await ask(t, conversationId, NEEDLE_QUESTION);
    const { sources } = await planned;
    assert.equal(sources.mode, 'full');
    assert.match(sources.explanation, /^The whole document \([\d,]+ tokens\) fits in the 8K context: full-document mode\.$/);
    const prompt = prompts.find((p) => p.messageId === answer.id)!;
    assert.ok(prompt.text.includes(NEEDLE), 'the known passage is in the prompt');
    const text = withNeedle(540, depth, 17);
    for (const paragraph of [text.split('\n\n')[0]!, text.split('\n\n').at(-1)!]) assert.ok(prompt.text.includes(paragraph), 'first and last paragraphs too');
    // The document block sits in the system turn, before the question (where follow-ups reuse it).
    const system = prompt.text.slice(0, prompt.text.indexOf('<|im_start|>user'));
    assert.ok(system.includes(NEEDLE));
    assert.equal(sources.passageCount, sources.citations.length);
    assert.ok(prompt.promptTokensTotal > 5000 && answer.stats!.promptTokens! > 5000, 'all of it evaluated');
  });
}

test('retrieval mode (2K context): the passage ranks first for the question, at every depth', async () => {
  await setModelDefaults(t, { contextSize: 2048 });
  for (const depth of depths) {
    const conversationId = conversations.get(depth)!;
    const answer = await ask(t, conversationId, NEEDLE_QUESTION);
    const sources = (await t.call('documents.sources', { conversationId })).find((s) => s.messageId === answer.id)!;
    assert.equal(sources.mode, 'retrieval');
    assert.equal(sources.plan, 'larger-context', 'a larger context would allow full-document mode');
    assert.ok(sources.suggestedContext! > 2048 && sources.suggestedContext! >= sources.neededTokens, `suggested ${sources.suggestedContext}`);
    assert.match(sources.explanation, /Reloading the model with a \d+K context would allow full-document mode; until then, retrieval mode\./);
    const first = sources.citations.find((c) => c.n === 1)!;
    const cited = await t.call('documents.passage', { id: first.passageId });
    assert.ok(cited.passage.text.includes(NEEDLE), `[1] is the passage with the known sentence (depth ${depth})`);
    assert.equal(cited.text.slice(cited.highlight.start, cited.highlight.end), cited.passage.text);
    const prompt = prompts.find((p) => p.messageId === answer.id)!;
    assert.ok(prompt.text.includes(`[1] lighthouse-${depth * 100}.txt\n`) && prompt.text.includes(NEEDLE));
    assert.ok(prompt.promptTokensTotal <= 2048 && sources.passageCount < 20, 'only some passages');
  }
});

test('a document beyond the largest context: retrieval, and the explanation says why', async () => {
  await setModelDefaults(t, { contextSize: 4096 });
  const c = await t.call('conversations.create', {});
  // About 40K tokens: more than the tiny model's 32K context can ever hold.
  await attachText(t, c.id, 'atlas.txt', [...filler(1800, 23), NEEDLE, ...filler(1800, 29)].join('\n\n'));
  const answer = await ask(t, c.id, NEEDLE_QUESTION);
  const sources = (await t.call('documents.sources', { conversationId: c.id })).at(-1)!;
  assert.equal(sources.messageId, answer.id);
  assert.equal(sources.plan, 'retrieval');
  assert.equal(sources.suggestedContext, null);
  assert.ok(sources.largestContext < sources.neededTokens);
  assert.match(sources.explanation, /^The document needs \d+K tokens; the largest context here is [\d,]+K?: retrieval mode, the (\d+ best passages|best passage)\.$/);
  const cited = await t.call('documents.passage', { id: sources.citations[0]!.passageId });
  assert.ok(cited.passage.text.includes(NEEDLE));
});
