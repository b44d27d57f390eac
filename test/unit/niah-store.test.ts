// Long-context runs in SQLite: a run and its answers, the positions answered (for resume), runs left
// running marked interrupted at the next start, a delete taking its answers along.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openStore } from '../../app/store/index.js';
import { createNiahRuns, type NiahTrialRecord } from '../../app/store/niah.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'niah-store-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const trial = (seq: number, correct: boolean): NiahTrialRecord => ({
  seq, length: 256, depth: 0.5, sample: seq, fact: 0, factDepth: 0.5, expected: '12345', answer: correct ? 'It is 12345.' : 'no',
  correct, promptTokens: 250, evaluatedTokens: seq === 0 ? 250 : 120, answerTokens: 4, ttftMs: 3,
});

test('a run with its answers survives reopening; running runs become interrupted; delete removes its answers', () => {
  const file = path.join(dir, 'a.sqlite');
  let store = openStore(file);
  let runs = createNiahRuns(store.db);
  const run = runs.create({
    model: { path: '/m/tiny.gguf', name: 'tiny.gguf', architecture: 'qwen2', quantisation: 'Q8_0', nativeContext: 32768 },
    settings: { contextSize: 512, kvType: 'f16', flashAttention: true, yarn: null, maxTokens: 4, largestLength: 32000 },
    plan: { lengths: [256], depths: [0.5], samples: 3, lang: 'en', haystack: { kind: 'corpus', name: 'corpus-en.txt' }, facts: [{ text: 'The passkey is {key}.', question: 'What is the passkey?', answer: '{key}' }], seed: 1 },
    estimate: { seconds: 1, evaluatedTokens: 500 },
    total: 3,
  });
  assert.equal(run.status, 'running');
  runs.addTrial(run.id, trial(0, true));
  runs.addTrial(run.id, trial(2, false));
  runs.addElapsed(run.id, 1500);
  store.close();

  store = openStore(file);
  runs = createNiahRuns(store.db);
  assert.equal(runs.markRunningAsInterrupted(), 1);
  const again = runs.get(run.id)!;
  assert.equal(again.status, 'interrupted');
  assert.equal(again.elapsedMs, 1500);
  assert.deepEqual(again.plan.lengths, [256]);
  assert.deepEqual([...runs.answered(run.id)].sort(), [0, 2]);
  assert.deepEqual(runs.trials(run.id).map((t) => [t.seq, t.correct, t.answer]), [[0, true, 'It is 12345.'], [2, false, 'no']]);
  assert.deepEqual(runs.trials(run.id, { length: 256, depth: 0.5 }).length, 2);
  assert.deepEqual(runs.trials(run.id, { length: 512, depth: 0.5 }).length, 0);
  runs.setStatus(run.id, 'failed', 'The engine stopped.');
  assert.equal(runs.get(run.id)!.error, 'The engine stopped.');
  store.db.prepare("UPDATE niah_runs SET status = 'odd' WHERE id = ?").run(run.id);
  assert.equal(runs.get(run.id)!.status, 'interrupted', 'an unknown status reads as resumable');
  assert.equal(runs.list().length, 1);
  assert.equal(runs.delete(run.id), true);
  assert.equal(runs.get(run.id), null);
  assert.equal((store.db.prepare('SELECT COUNT(*) AS n FROM niah_trials').get() as { n: number }).n, 0);
  store.close();
});
