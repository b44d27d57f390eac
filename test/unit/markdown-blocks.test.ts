// Splitting a streaming answer into finished Markdown blocks and the one being written
// (renderer/src/components/chat/markdown-blocks.ts): fences, math and lists stay whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitStreamingBlocks } from '../../renderer/src/components/chat/markdown-blocks.js';

test('paragraphs followed by a new block are finished; the last one is still being written', () => {
  const { done, tail } = splitStreamingBlocks('# Title\n\nFirst paragraph\nstill first.\n\nSecond para');
  assert.deepEqual(done, ['# Title', 'First paragraph\nstill first.']);
  assert.equal(tail, 'Second para');
});

test('a blank line inside a code fence or $$ math does not end a block', () => {
  const text = 'Code:\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\n$$\nx = 1\n\ny = 2\n$$\n\nAfter\nmore';
  const { done, tail } = splitStreamingBlocks(text);
  assert.deepEqual(done, ['Code:', '```ts\nconst a = 1;\n\nconst b = 2;\n```', '$$\nx = 1\n\ny = 2\n$$']);
  assert.equal(tail, 'After\nmore');
  // An open fence keeps everything after it in the tail.
  assert.deepEqual(splitStreamingBlocks('Intro\n\n```py\nprint(1)\n\nprint(2)\n\nx'), { done: ['Intro'], tail: '```py\nprint(1)\n\nprint(2)\n\nx' });
});

test('a loose list stays one block; indented continuations stay with their block', () => {
  const list = '- one\n\n- two\n\n  two, continued\n\n- three';
  assert.deepEqual(splitStreamingBlocks(`${list}\n\nAfter the list\nand on`), { done: [list], tail: 'After the list\nand on' });
  assert.deepEqual(splitStreamingBlocks('1. a\n\n2. b\n\n3. c'), { done: [], tail: '1. a\n\n2. b\n\n3. c' });
});

test('joined back together, the blocks are the text (nothing lost or reordered)', () => {
  const text = 'A\n\n```\nx\n\ny\n```\n\n- l1\n\n- l2\n\nB\n\nC\nD';
  const { done, tail } = splitStreamingBlocks(text);
  assert.equal([...done, tail].join('\n\n'), text);
});
