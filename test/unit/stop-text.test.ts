// The stop text (Qwen2's <|im_end|> written as plain text) is found across chunk boundaries and no
// part of it is ever shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StopTextFilter } from '../../native/engine/process/stop-text.js';

const run = (chunks: string[]) => {
  const f = new StopTextFilter('<|im_end|>');
  let shown = '';
  for (const c of chunks) {
    const out = f.push(c);
    shown += out.text;
    if (out.stopped) return { shown, stopped: true };
  }
  return { shown: shown + f.flush(), stopped: false };
};

test('a stop text split over several chunks stops the answer and shows nothing of it', () => {
  assert.deepEqual(run(['Hello', ' world<', '|im', '_end', '|>ignored']), { shown: 'Hello world', stopped: true });
  assert.deepEqual(run(['Done.<|im_end|>']), { shown: 'Done.', stopped: true });
});

test('a tail that only looks like the start of the stop text is shown once it is clearly not', () => {
  const f = new StopTextFilter('<|im_end|>');
  assert.deepEqual(f.push('a < b'), { text: 'a < b', stopped: false });
  assert.deepEqual(f.push(' and x <|'), { text: ' and x ', stopped: false });
  assert.deepEqual(f.push('im_start'), { text: '<|im_start', stopped: false });
  assert.deepEqual(run(['1 <', '|']), { shown: '1 <|', stopped: false });
});

test('text without the stop text passes through unchanged', () => {
  const chunks = ['你好', '，世界', '! <b>', ' 12345'];
  assert.deepEqual(run(chunks), { shown: chunks.join(''), stopped: false });
});
