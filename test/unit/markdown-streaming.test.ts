// A streaming answer is rendered block by block (only the last block is parsed again per frame);
// its HTML must be what the finished answer renders, apart from the caret. Rendered with
// react-dom/server; the renderer's CSS imports are stubbed for Node.
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { test } from 'node:test';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';

register('data:text/javascript,' + encodeURIComponent(
  "export async function load(url, context, next) { return url.endsWith('.css') ? { format: 'module', source: '', shortCircuit: true } : next(url, context); }",
));
Object.assign(globalThis, { navigator: globalThis.navigator ?? { language: 'en-US', languages: ['en-US'] } });
const { Markdown } = await import('../../renderer/src/components/chat/Markdown.js');

const html = (text: string, streaming: boolean) =>
  renderToString(createElement(Markdown, { text, streaming }))
    .replace(/<span class="caret"[^>]*><\/span>/, '')
    .replace(' streaming', '')
    .replace(/>\s+</g, '><');

const ANSWER = [
  '# Plan',
  'The **keeper** reads the `map` and a [chart](https://example.com).',
  '```ts\nconst x = (a: number) => a * 2;\n\nconsole.log(x(21));\n```',
  '- one\n- two\n\n- three, after a blank line',
  '1. first\n2. second',
  '| a | b |\n| - | - |\n| 1 | 2 |',
  '> a quote\n> on two lines',
  'Inline math $x^2$ and a formula:',
  '$$\nE = mc^2\n$$',
  'The end.',
].join('\n\n');

test('while streaming, the blocks render exactly as the finished answer does', () => {
  assert.equal(html(ANSWER, true), html(ANSWER, false));
});

test('at every length along the way, the streamed rendering equals a whole parse of the same text', () => {
  // Cut at every block boundary and in the middle of blocks, as frames arrive.
  for (let end = 1; end <= ANSWER.length; end += 37) {
    const text = ANSWER.slice(0, end);
    assert.equal(html(text, true), html(text, false), `after ${end} characters: ${JSON.stringify(text.slice(-40))}`);
  }
});
