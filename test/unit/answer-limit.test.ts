// The answer limit sent to the engine, the stored stop reasons, and the progress throttle's estimate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engineSampling, stopReasonOf } from '../../app/services/chat-answer.js';
import { DEFAULT_ANSWER_LIMIT, Sampling } from '../../app/contract.js';
import { ProgressThrottle, etaOf } from '../../native/engine/process/progress-throttle.js';

test('the default limit stops the answer without widening the room kept for it; 0 is no limit; a set limit is maxTokens', () => {
  assert.deepEqual(engineSampling({ temperature: 0.7 }), { sampling: { temperature: 0.7 }, answerLimit: DEFAULT_ANSWER_LIMIT });
  assert.equal(DEFAULT_ANSWER_LIMIT, 2048);
  assert.deepEqual(engineSampling({ temperature: 0.7, maxTokens: 0 }), { sampling: { temperature: 0.7 } });
  assert.deepEqual(engineSampling({ maxTokens: 8 }), { sampling: { maxTokens: 8 } });
  assert.equal(Sampling.safeParse({ maxTokens: 0 }).success, true);
  assert.equal(Sampling.safeParse({ maxTokens: -1 }).success, false);
  assert.equal(Sampling.safeParse({ maxTokens: 1.5 }).success, false);
});

test('engine stop reasons map to the stored ones; a stop by the user stores none', () => {
  assert.equal(stopReasonOf('maxTokens'), 'limit');
  assert.equal(stopReasonOf('contextFull'), 'context-full');
  assert.equal(stopReasonOf('eogToken'), 'end');
  assert.equal(stopReasonOf('stopGenerationTrigger'), 'end');
  assert.equal(stopReasonOf('abort'), null);
  assert.equal(stopReasonOf('something new'), null);
});

test('progress: the first and the last report always go out, the ones between at most every interval', () => {
  const sent: number[] = [];
  const throttle = new ProgressThrottle((done) => sent.push(done), 60_000);
  for (let done = 0; done <= 1000; done += 100) throttle.report(done, 1000);
  throttle.report(1000, 1000);
  assert.deepEqual(sent, [0, 1000], 'nothing between within the interval, and the end only once');
  assert.equal(etaOf(0, 100, 50), null);
  assert.equal(etaOf(25, 100, 1000), 3000);
  assert.equal(etaOf(100, 100, 1000), 0);
});
