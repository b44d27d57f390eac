// Instant follow-ups on a document, through the core with the real engine on the tiny model: the
// document block is evaluated once; a follow-up evaluates only its own new tokens (counted by the
// engine's token meter), also after the engine process was killed (the context state is loaded from
// <data>/state) and after switching to another conversation. The state is deleted when the documents
// change, replaced when the model's settings change, and the folder is kept to its limits.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { PromptCapture } from '../../app/services/chat.js';
import { startChatCore, type ChatCore } from '../helpers/chat-core.js';
import { ask, attachText, filler, setModelDefaults, until } from '../helpers/documents.js';

let t: ChatCore;
const prompts: PromptCapture[] = [];
const lastPrompt = (conversationId: string) => prompts.filter((p) => p.conversationId === conversationId).at(-1)!;

before(async () => {
  t = await startChatCore({ debug: { onPrompt: (p) => prompts.push(p) }, stateLimits: { maxFiles: 2 } });
  await setModelDefaults(t, { contextSize: 8192 });
});
after(() => t?.close());

const stateDir = () => path.join(t.dataDir, 'state');
const stateOf = (conversationId: string) => path.join(stateDir(), `${conversationId}.bin`);
const metaOf = (conversationId: string) => path.join(stateDir(), `${conversationId}.json`);
/** The state written after an answer: its .json (written last) holds the tokens in the context. */
const savedState = (conversationId: string, contextTokens: number) =>
  until(`the state of ${conversationId} with ${contextTokens} tokens`, () => {
    if (!fs.existsSync(metaOf(conversationId))) return null;
    const meta = JSON.parse(fs.readFileSync(metaOf(conversationId), 'utf8')) as { key: string; tokens: number[] };
    return meta.tokens.length === contextTokens && fs.existsSync(stateOf(conversationId)) ? meta : null;
  });

let a: string;
let docTokens: number;
let firstPromptTokens: number;

test('the first question evaluates the document; a follow-up evaluates under 5% of that', async () => {
  a = (await t.call('conversations.create', {})).id;
  const doc = await attachText(t, a, 'harbour.txt', filler(260, 7).join('\n\n'));
  docTokens = doc.tokenCount!;
  assert.ok(docTokens >= 2000 && docTokens <= 4000, `a 2-4K-token document (${docTokens})`);

  const first = await ask(t, a, 'What happened near the harbour?');
  firstPromptTokens = first.stats!.promptTokens!;
  assert.ok(firstPromptTokens >= docTokens, `first question evaluated ${firstPromptTokens} >= ${docTokens}`);
  const sources = (await t.call('documents.sources', { conversationId: a })).at(-1)!;
  assert.equal(sources.mode, 'full');
  assert.equal(lastPrompt(a).state, 'missing', 'nothing saved yet');
  await savedState(a, first.stats!.contextTokens!);

  const second = await ask(t, a, 'And near the bridge?');
  const reused = second.stats!.promptTokens!;
  assert.ok(reused > 0 && reused < 0.05 * firstPromptTokens, `follow-up evaluated ${reused} (< 5% of ${firstPromptTokens})`);
  assert.equal(lastPrompt(a).state, 'kept');
  assert.ok(lastPrompt(a).promptTokensTotal > docTokens, 'the whole document is still in the prompt');
  await savedState(a, second.stats!.contextTokens!);
  console.log(`promptTokens: first ${firstPromptTokens}, follow-up ${reused} (document ${docTokens} tokens)`);
});

test('after the engine process is killed, a follow-up loads the saved state instead of reading the document again', async () => {
  const pid = t.core.enginePid!;
  process.kill(pid, 'SIGKILL');
  await until('the engine to be seen dead', async () => (await t.call('engine.status', {})).state === 'crashed');
  const third = await ask(t, a, 'Which road was quiet?');
  assert.notEqual(t.core.enginePid, pid, 'a new engine process');
  assert.equal(lastPrompt(a).state, 'loaded');
  const evaluated = third.stats!.promptTokens!;
  assert.ok(evaluated < 0.05 * firstPromptTokens, `after the restart: ${evaluated} (< 5% of ${firstPromptTokens})`);
  console.log(`promptTokens after the engine restart: ${evaluated}`);
  await savedState(a, third.stats!.contextTokens!);
});

test('switching conversations loads each one state from disk', async () => {
  const b = (await t.call('conversations.create', {})).id;
  await attachText(t, b, 'market.txt', filler(60, 3).join('\n\n'));
  const other = await ask(t, b, 'What about the market?');
  await savedState(b, other.stats!.contextTokens!);
  const back = await ask(t, a, 'And the temple?');
  assert.equal(lastPrompt(a).state, 'loaded');
  assert.ok(back.stats!.promptTokens! < 0.05 * firstPromptTokens, `back in the first conversation: ${back.stats!.promptTokens}`);
  await savedState(a, back.stats!.contextTokens!);

  // The folder keeps 2 states here: a third conversation's state pushes out the oldest (b's).
  const c = (await t.call('conversations.create', {})).id;
  await attachText(t, c, 'garden.txt', filler(30, 5).join('\n\n'));
  const third = await ask(t, c, 'And the garden?');
  await savedState(c, third.stats!.contextTokens!);
  await until('the oldest state to be removed', () => !fs.existsSync(stateOf(b)));
  assert.ok(fs.existsSync(stateOf(a)) && fs.existsSync(stateOf(c)));
});

test('new documents delete the state; other model settings replace it', async () => {
  assert.ok(fs.existsSync(stateOf(a)));
  await attachText(t, a, 'winter.txt', filler(40, 11).join('\n\n'));
  assert.equal(fs.existsSync(stateOf(a)), false, 'deleted when the documents changed');
  const withTwo = await ask(t, a, 'What about winter?');
  assert.equal(lastPrompt(a).state, 'missing');
  assert.ok(withTwo.stats!.promptTokens! >= docTokens, 'the documents are read again');
  await savedState(a, withTwo.stats!.contextTokens!);

  await setModelDefaults(t, { contextSize: 8192, flashAttention: false });
  const reloaded = await ask(t, a, 'And the forest?');
  assert.equal(lastPrompt(a).state, 'invalid', 'a state saved with other load settings is not loaded');
  assert.ok(reloaded.stats!.promptTokens! >= docTokens);
  const meta = await savedState(a, reloaded.stats!.contextTokens!);
  assert.equal((JSON.parse(meta.key) as { flashAttention: boolean }).flashAttention, false, 'saved again under the new key');

  // Deleting the conversation deletes its state.
  await t.call('conversations.delete', { id: a });
  await until('the state of a deleted conversation to go', () => !fs.existsSync(stateOf(a)) && !fs.existsSync(metaOf(a)));
});
