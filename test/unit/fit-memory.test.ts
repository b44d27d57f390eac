// The engine remembers where recent conversations' prompts started, also across a switch to
// another conversation and back (native/engine/process/fit-memory.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FitMemory } from '../../native/engine/process/fit-memory.js';
import type { ChatTurn } from '../../native/engine/shared/protocol.js';

const convo = (name: string, n: number): ChatTurn[] =>
  Array.from({ length: n }, (_, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: `${name} turn ${i}` }));

test('a conversation keeps its start after another conversation ran in between', () => {
  const m = new FitMemory();
  const a = convo('a', 21);
  const b = convo('b', 5);
  m.remember('sys', a, 8);
  m.remember('sys', b, 0);
  assert.equal(m.keepFrom('sys', convo('a', 23)), 8, 'a, two turns later');
  assert.equal(m.keepFrom('sys', convo('b', 7)), 0);
  assert.equal(m.keepFrom('other system prompt', convo('a', 23)), undefined);
  assert.equal(m.keepFrom('sys', convo('c', 9)), undefined, 'an unknown conversation');
});

test('a later start of the same conversation replaces the earlier one; the oldest conversations are forgotten', () => {
  const m = new FitMemory(2);
  m.remember('sys', convo('a', 11), 0);
  m.remember('sys', convo('a', 21), 10);
  assert.equal(m.keepFrom('sys', convo('a', 23)), 10);
  m.remember('sys', convo('b', 3), 0);
  m.remember('sys', convo('c', 3), 0);
  assert.equal(m.keepFrom('sys', convo('a', 23)), undefined, 'only the two newest are kept');
  assert.equal(m.keepFrom('sys', convo('c', 5)), 0);
});
