// Fitting a conversation into the context (native/engine/process/context-fit.ts) with a word-counting
// tokenizer: which turns go, what always stays, the answer's room, and the error when nothing fits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatHistoryItem } from 'node-llama-cpp';
import { ContextOverflowError, fitToContext, startCandidates, type FitCounter } from '../../native/engine/process/context-fit.js';
import type { ChatTurn } from '../../native/engine/shared/protocol.js';

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
/** One token per word, 5 around each turn, 3 for the open answer (like ChatML). */
const counter = (underestimate = 0): FitCounter => ({
  countPrompt: (history: ChatHistoryItem[]) =>
    history.reduce((n, item) => {
      if (item.type === 'system') return n + 5 + words(String(item.text));
      if (item.type === 'user') return n + 5 + words(item.text);
      const text = item.response.join(' ');
      return n + (text ? 5 + words(text) : 3);
    }, 0),
  countText: (text) => Math.max(0, words(text) - underestimate),
});
const text = (n: number, w = 'x') => Array.from({ length: n }, () => w).join(' ');
const u = (n: number): ChatTurn => ({ role: 'user', content: text(n, 'q') });
const a = (n: number): ChatTurn => ({ role: 'assistant', content: text(n, 'a') });
const system = 'one two three'; // 8 tokens with its frame

test('everything fits: nothing is dropped and the answer gets its maxTokens', () => {
  const fit = fitToContext({ systemPrompt: system, turns: [u(10), a(10), u(10)], contextSize: 512, maxTokens: 50, counter: counter() });
  assert.equal(fit.droppedTurns, 0);
  assert.equal(fit.promptTokens, 8 + 15 + 15 + 15 + 3);
  assert.equal(fit.maxAnswerTokens, 50);
  assert.equal(fit.history.length, 5); // system, 3 turns, the open answer
});

test('the oldest question goes with all its answers; the system prompt and the newest question stay', () => {
  const turns = [u(100), a(50), a(20), u(100), a(50), u(100)];
  assert.deepEqual(startCandidates(turns), [0, 3, 5]);
  const fit = fitToContext({ systemPrompt: system, turns, contextSize: 400, maxTokens: 20, counter: counter() });
  assert.equal(fit.droppedTurns, 3);
  assert.equal(fit.history[0]!.type, 'system');
  assert.equal(fit.promptTokens, 8 + 105 + 55 + 105 + 3);
  assert.ok(fit.promptTokens + 20 <= 400);
  // Without maxTokens the reserve is capped at half the context, and the answer may use all that is left.
  const open = fitToContext({ systemPrompt: system, turns, contextSize: 400, counter: counter() });
  assert.equal(open.droppedTurns, 5);
  assert.equal(open.maxAnswerTokens, 400 - (8 + 105 + 3) - 1);
});

test('answers before the first question (after a deletion) go first, as a unit of their own', () => {
  assert.deepEqual(startCandidates([a(5), u(5), a(5), u(5)]), [0, 1, 3]);
  const fit = fitToContext({ systemPrompt: system, turns: [a(300), u(50), a(10), u(50)], contextSize: 400, maxTokens: 10, counter: counter() });
  assert.equal(fit.droppedTurns, 1);
});

test('when the estimate is too low, the exact count drops one more question', () => {
  const turns = [u(100), a(10), u(100), a(10), u(100)];
  const exact = fitToContext({ systemPrompt: system, turns, contextSize: 300, maxTokens: 10, counter: counter() });
  const low = fitToContext({ systemPrompt: system, turns, contextSize: 300, maxTokens: 10, counter: counter(40) });
  assert.equal(exact.droppedTurns, 2);
  assert.equal(low.droppedTurns, 2, 'the exact count corrects the estimate');
  assert.ok(low.promptTokens + 10 <= 300);
});

test('a newest question that leaves less than the reserve is answered in what is left; one that does not fit is refused', () => {
  const tight = fitToContext({ systemPrompt: system, turns: [u(10), a(10), u(480)], contextSize: 512, maxTokens: 100, counter: counter() });
  assert.equal(tight.droppedTurns, 2);
  assert.equal(tight.maxAnswerTokens, 512 - (8 + 485 + 3) - 1);
  assert.throws(
    () => fitToContext({ systemPrompt: system, turns: [u(600)], contextSize: 512, maxTokens: 10, counter: counter() }),
    (e: unknown) => e instanceof ContextOverflowError && /takes 616 tokens and the context holds 512/.test(e.message),
  );
});

test('a continuing conversation keeps its start while it fits, then drops to half the room, not one question per message', () => {
  const contextSize = 400;
  const maxTokens = 20; // budget 380
  const turns: ChatTurn[] = [];
  const starts: number[] = [];
  let keepFrom: number | undefined;
  for (let m = 0; m < 40; m++) {
    turns.push(u(20));
    const fit = fitToContext({ systemPrompt: system, turns, contextSize, maxTokens, counter: counter(), keepFrom });
    assert.ok(fit.promptTokens + maxTokens <= contextSize);
    starts.push(fit.droppedTurns);
    keepFrom = fit.droppedTurns;
    turns.push(a(20));
  }
  const changes = starts.filter((s, i) => i > 0 && s !== starts[i - 1]!).length;
  // Each pair of turns is 50 tokens: about 7 pairs fit the 380-token budget; refilling to half
  // leaves room for ~3 more messages at the same start. One drop per message would be 33 changes.
  assert.ok(changes <= 12, `the start changed ${changes} times: ${starts.join(',')}`);
  assert.ok(starts.at(-1)! > 0);
  // Between changes the start stays put, so the evaluated prefix is reused.
  const runs = starts.reduce<number[]>((r, s, i) => (i > 0 && s === starts[i - 1] ? (r[r.length - 1]!++, r) : [...r, 1]), []);
  assert.ok(runs.slice(1, -1).every((n) => n >= 3), `messages per start: ${runs.join(',')}`);
});

test('without the previous start (a fresh engine) the earliest start that fits is taken', () => {
  const turns = [u(100), a(50), u(100), a(50), u(100)];
  const fresh = fitToContext({ systemPrompt: system, turns, contextSize: 400, maxTokens: 20, counter: counter() });
  const kept = fitToContext({ systemPrompt: system, turns, contextSize: 400, maxTokens: 20, counter: counter(), keepFrom: 0 });
  assert.equal(fresh.droppedTurns, 2);
  assert.equal(kept.droppedTurns, 4, 'a conversation that overflows again refills to half the room');
});
