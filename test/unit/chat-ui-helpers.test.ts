// The chat UI's pure helpers: how results and events change the window of messages on screen,
// search highlights built from ranges, and the math delimiters rewritten for remark-math.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BranchMessage, Conversation } from '../../app/contract.js';
import {
  applyBranched,
  applyDelta,
  applyFinished,
  applySent,
  contextUse,
  pendingUserMessage,
  sortConversations,
  spliceTail,
  splitByRanges,
} from '../../renderer/src/messages.js';
import { normalizeMath } from '../../renderer/src/components/chat/math-source.js';

function msg(id: string, parentId: string | null, role: 'user' | 'assistant' = 'user', extra: Partial<BranchMessage> = {}): BranchMessage {
  return {
    id, parentId, role, conversationId: 'c', content: id, status: 'done', error: null, model: null, stats: null, createdAt: 0,
    siblingIndex: 0, siblingCount: 1, siblingIds: [id], ...extra,
  };
}
const ids = (list: Array<{ id: string }>) => list.map((m) => m.id);

test('deltas append to their message, or start a placeholder; the end keeps the sibling information', () => {
  const list = [msg('q', null), msg('a', 'q', 'assistant', { content: '', status: 'streaming', siblingCount: 2, siblingIndex: 1, siblingIds: ['x', 'a'] })];
  const grown = applyDelta(applyDelta(list, 'c', 'a', 'Hel'), 'c', 'a', 'lo');
  assert.equal(grown[1]!.content, 'Hello');
  assert.equal(list[1]!.content, '', 'not mutated');
  assert.deepEqual(ids(applyDelta(list, 'c', 'new', 'x')), ['q', 'a', 'new']);
  const finished = applyFinished(grown, { ...msg('a', 'q', 'assistant'), content: 'Hello!', siblingIds: undefined } as never);
  assert.equal(finished[1]!.content, 'Hello!');
  assert.equal(finished[1]!.siblingCount, 2);
});

test('chat.send: the pending question is replaced; an answer that already streamed keeps its text', () => {
  const pending = pendingUserMessage('c', 'hi', 'a0');
  const early = applyDelta([msg('a0', null, 'assistant'), pending], 'c', 'a1', 'partial');
  const after = applySent(early, pending.id, msg('q1', 'a0'), msg('a1', 'q1', 'assistant', { content: '', status: 'streaming' }));
  assert.deepEqual(ids(after), ['a0', 'q1', 'a1']);
  assert.equal(after[2]!.content, 'partial');
});

test('regenerate and edit replace the end of the branch after the new messages’ parent', () => {
  const list = [msg('q1', null), msg('a1', 'q1', 'assistant'), msg('q2', 'a1'), msg('a2', 'q2', 'assistant')];
  // A new answer to q1: a1 and everything after it leave the screen.
  assert.deepEqual(ids(applyBranched(list, [msg('a1b', 'q1', 'assistant')])), ['q1', 'a1b']);
  // An edit of q2: a new question after a1, with its answer.
  assert.deepEqual(ids(applyBranched(list, [msg('q2b', 'a1'), msg('a2b', 'q2b', 'assistant')])), ['q1', 'a1', 'q2b', 'a2b']);
  // An edit of the first question.
  assert.deepEqual(ids(applyBranched(list, [msg('q1b', null), msg('a', 'q1b', 'assistant')])), ['q1b', 'a']);
});

test('after a branch switch or a delete, the window keeps what came before and takes the new end', () => {
  const list = [msg('m1', null), msg('m2', 'm1'), msg('m3', 'm2'), msg('old', 'm3')];
  const tail = [msg('m2', 'm1'), msg('m3', 'm2', 'user', { siblingCount: 2 }), msg('new', 'm3')];
  const spliced = spliceTail(list, 'm3', tail)!;
  assert.deepEqual(ids(spliced), ['m1', 'm2', 'm3', 'new']);
  assert.equal(spliced[2]!.siblingCount, 2, 'the fresh copy of the kept message');
  assert.equal(spliceTail(list, 'zzz', tail), null);
  assert.equal(spliceTail(list, null, tail), null);
});

test('conversations: pinned first, then newest first; the context meter reads the newest measurement', () => {
  const c = (id: string, updatedAt: number, pinned = false) => ({ id, updatedAt, pinned }) as Conversation;
  assert.deepEqual(ids(sortConversations([c('a', 1), c('b', 3), c('p', 0, true), c('d', 2)])), ['p', 'b', 'd', 'a']);
  const stats = (contextTokens: number | null) => ({ tokens: 1, tokensPerSecond: 1, timeToFirstTokenMs: 1, promptTokens: 1, contextTokens, contextSize: 512 });
  assert.deepEqual(contextUse([msg('a', null, 'assistant', { stats: stats(100) }), msg('b', 'a', 'assistant', { stats: stats(null) })]), { used: 100, size: 512 });
  assert.equal(contextUse([msg('q', null)]), null);
});

test('search highlights: spans from the ranges (UTF-16 indices), in Chinese and English', () => {
  assert.deepEqual(splitByRanges('什么是上下文窗口？上下文', [{ start: 3, end: 6 }, { start: 9, end: 12 }]), [
    { text: '什么是', match: false },
    { text: '上下文', match: true },
    { text: '窗口？', match: false },
    { text: '上下文', match: true },
  ]);
  assert.deepEqual(splitByRanges('Buy apples', [{ start: 4, end: 10 }, { start: 0, end: 3 }]), [
    { text: 'Buy', match: true },
    { text: ' ', match: false },
    { text: 'apples', match: true },
  ]);
  // Ranges past the end or overlapping are clamped, never thrown on.
  assert.deepEqual(splitByRanges('abc', [{ start: 1, end: 99 }, { start: 2, end: 3 }]), [
    { text: 'a', match: false },
    { text: 'bc', match: true },
  ]);
});

test('math: $$ on one line and LaTeX \\[ \\] become display blocks, \\( \\) inline; code is left alone', () => {
  assert.equal(normalizeMath('$$x^2$$'), '$$\nx^2\n$$');
  assert.equal(normalizeMath('\\[ a+b \\]'), '$$\na+b\n$$');
  assert.equal(normalizeMath('\\[\nmulti\n\\]'), '$$\nmulti\n$$');
  assert.equal(normalizeMath('see \\(a^2\\) and `\\(code\\)`'), 'see $a^2$ and `\\(code\\)`');
  assert.equal(normalizeMath('```\n$$keep$$\n\\(keep\\)\n```'), '```\n$$keep$$\n\\(keep\\)\n```');
  assert.equal(normalizeMath('inline $$x$$ in text'), 'inline $$x$$ in text');
  assert.equal(normalizeMath('no math here'), 'no math here');
});
