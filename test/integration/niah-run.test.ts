// The long-context test through a real core: the engine process on the tiny synthetic model, a real
// SQLite file. Random weights never find the needle, so these check the structure of a run, what is
// stored, the order's reuse of the KV cache (measured from the engine's own counts), cancel and
// resume, the estimate and the refusals; the trained needle models are checked elsewhere.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { AppEvent, NiahSpec } from '../../app/contract.js';
import { startChatCore, type ChatCore } from '../helpers/chat-core.js';

type Progress = Extract<AppEvent, { type: 'niah.progress' }>;
let c: ChatCore;
before(async () => {
  c = await startChatCore();
});
after(() => c.close());

/** The last progress event of the run's sitting (register before starting). */
function nextEnd(onProgress?: (e: Progress) => void): { end: Promise<Progress>; events: Progress[]; runId: { id: string | null } } {
  const events: Progress[] = [];
  const runId = { id: null as string | null };
  const end = new Promise<Progress>((resolve) => {
    const off = c.core.onEvent((e) => {
      if (e.type !== 'niah.progress') return;
      events.push(e);
      onProgress?.(e);
      if (e.status !== 'running') {
        off();
        resolve(e);
      }
    });
  });
  return { end, events, runId };
}

const spec = (extra: Partial<NiahSpec> = {}): NiahSpec => ({ modelPath: c.modelPath, lengths: [256, 512], depths: [0, 0.5, 1], samples: 2, maxTokens: 4, ...extra });

test('estimate: cells, questions, prompt tokens before and after reuse, seconds from a measured speed, the settings', async () => {
  const e = await c.call('niah.estimate', spec());
  assert.equal(e.cells, 6);
  assert.equal(e.trials, 12);
  assert.equal(e.generations, 12);
  assert.equal(e.promptTokens, 2 * 3 * (256 + 512));
  assert.ok(e.evaluatedTokens > 0 && e.evaluatedTokens < e.promptTokens, `reuse expected: ${e.evaluatedTokens} of ${e.promptTokens}`);
  assert.ok(e.prefillTokensPerSecond > 0 && e.decodeTokensPerSecond > 0 && e.seconds > 0);
  assert.ok(e.settings.contextSize >= 512 + 4);
  assert.equal(e.settings.yarn, null, 'within the native context: no YaRN');
  assert.equal(e.settings.kvType, 'f16');
  assert.ok(e.settings.largestLength > 30000 && e.settings.largestLength < 32768);
  const again = await c.call('niah.estimate', spec());
  assert.equal(again.speedFrom, 'previous');
});

test('refusals: empty grid, depth outside 0..1, samples 0 or over 100, too long, unknown model, unreadable haystack, a fact without its answer', async () => {
  const fail = (extra: Record<string, unknown>) => c.failure('niah.estimate', { ...spec(), ...extra });
  assert.match(await fail({ lengths: [] }), /^invalid_request: .*"lengths"/);
  assert.match(await fail({ depths: [] }), /^invalid_request: .*"depths"/);
  assert.match(await fail({ depths: [0, 1.5] }), /^invalid_request: .*"depths.1"/);
  assert.match(await fail({ depths: [-0.1] }), /^invalid_request: .*"depths.0"/);
  assert.match(await fail({ samples: 0 }), /^invalid_request: .*"samples"/);
  assert.match(await fail({ samples: 101 }), /^invalid_request: .*"samples"/);
  assert.match(await fail({ needles: 6 }), /^invalid_request: .*"needles"/);
  assert.match(await fail({ lengths: [40000] }), /^invalid_request: A length of 40,000 tokens is more than tiny-qwen2.gguf can be tested with here: at most 32,\d{3} /);
  assert.match(await fail({ modelPath: path.join(c.dataDir, 'none.gguf') }), /^not_found: The model none.gguf is not in the library/);
  assert.match(await fail({ haystackFile: path.join(c.dataDir, 'missing.txt') }), /^invalid_request: The haystack file .*missing.txt cannot be read/);
  const binary = path.join(c.dataDir, 'weights.bin');
  fs.writeFileSync(binary, Buffer.from([0, 1, 2, 3]));
  assert.match(await fail({ haystackFile: binary }), /^invalid_request: The haystack file weights.bin cannot be used/);
  assert.match(await fail({ facts: [{ text: 'The sky is green.', question: 'What colour is the sky?' }] }), /a fact needs an answer, or \{key\} in its text/);
});

test('a run: stored with its settings and every answer; prompts within their length; deep to shallow; the saving measured', async () => {
  const { end, events } = nextEnd();
  const started = await c.call('niah.start', spec());
  assert.equal(started.status, 'running');
  assert.equal(started.total, 12);
  const last = await end;
  assert.equal(last.status, 'done');
  assert.equal(last.done, 12);
  assert.ok(events.every((e, i) => i === 0 || e.done >= events[i - 1]!.done), 'done only grows');
  assert.ok(events.filter((e) => e.status === 'running' && e.done > 0).every((e) => typeof e.etaMs === 'number'));

  const run = await c.call('niah.get', { id: started.id });
  assert.equal(run.status, 'done');
  assert.equal(run.model.path, c.modelPath);
  assert.deepEqual({ kv: run.settings.kvType, flash: run.settings.flashAttention, yarn: run.settings.yarn }, { kv: 'f16', flash: true, yarn: null });
  assert.equal(run.trials.length, 12);
  assert.deepEqual(run.trials.map((t) => t.seq), [...Array(12).keys()]);
  assert.deepEqual(run.trials.map((t) => [t.length, t.depth]), [256, 512].flatMap((l) => [1, 1, 0.5, 0.5, 0, 0].map((d) => [l, d])));
  for (const t of run.trials) {
    assert.ok(t.promptTokens <= t.length && t.promptTokens > t.length * 0.9, `prompt of ${t.promptTokens} tokens for length ${t.length}`);
    assert.match(t.expected, /^[1-9]\d{4}$/);
    assert.equal(typeof t.answer, 'string');
    assert.equal(t.correct, t.answer.includes(t.expected));
  }
  const [first, second] = run.trials;
  assert.ok(first!.evaluatedTokens > first!.promptTokens * 0.9, 'the first prompt is evaluated whole');
  assert.ok(second!.evaluatedTokens < second!.promptTokens * 0.2, 'the same haystack, needle at the end: only the needle and question again');
  const s = run.stats;
  assert.equal(s.promptTokens, run.trials.reduce((n, t) => n + t.promptTokens, 0));
  assert.equal(s.evaluatedTokens, run.trials.reduce((n, t) => n + t.evaluatedTokens, 0));
  assert.ok(s.reusedTokens > 0 && s.reusedShare > 0.3, `reused ${s.reusedTokens} of ${s.promptTokens}`);
  assert.ok(s.longestPrompt <= 512 && s.elapsedMs > 0 && s.prefillTokensPerSecond > 0);
  assert.equal(s.estimatedEvaluatedTokens > 0, true);
  assert.deepEqual(run.cells.map((x) => [x.length, x.depth, x.total]), [256, 512].flatMap((l) => [0, 0.5, 1].map((d) => [l, d, 2])));

  const cell = await c.call('niah.get', { id: started.id, length: 512, depth: 0.5 });
  assert.deepEqual(cell.trials.map((t) => [t.length, t.depth]), [[512, 0.5], [512, 0.5]]);
  assert.ok((await c.call('niah.list', {})).some((r) => r.id === started.id && r.status === 'done' && r.done === 12));
  const csv = await c.call('niah.exportCsv', { id: started.id });
  assert.match(csv.fileName, /^niah-tiny-qwen2-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = csv.csv.trim().split('\n');
  assert.equal(lines[0], 'length,depth,correct,total');
  assert.deepEqual(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(',')), ['256,0', '256,0.5', '256,1', '512,0', '512,0.5', '512,1']);
  assert.ok(lines.slice(1).every((l) => l.endsWith(',2')));

  assert.deepEqual(await c.call('niah.delete', { id: started.id }), { deleted: true });
  assert.match(await c.failure('niah.get', { id: started.id }), /^not_found: /);
});

test('several facts in a document of one\'s own: each asked on its own, recall per fact, the document reused between them', async () => {
  const file = path.join(c.dataDir, 'essay.md');
  const paragraph = (i: number) => `Paragraph ${i} talks about rivers, bridges and the towns along them. Each town keeps its own records. The records are old.`;
  fs.writeFileSync(file, `# An essay\n\n${Array.from({ length: 40 }, (_, i) => paragraph(i)).join('\n\n')}\n`);
  const { end } = nextEnd();
  const started = await c.call('niah.start', spec({ lengths: [384], depths: [0, 1], samples: 1, needles: 3, haystackFile: file }));
  assert.equal((await end).status, 'done');
  const run = await c.call('niah.get', { id: started.id });
  assert.deepEqual(run.plan.haystack.kind === 'file' && run.plan.haystack.name, 'essay.md');
  assert.equal(run.trials.length, 2 * 3);
  assert.deepEqual(run.trials.map((t) => t.fact), [0, 1, 2, 0, 1, 2]);
  assert.deepEqual(run.trials.slice(0, 3).map((t) => t.factDepth), [1, 0.333333, 0.666667]);
  assert.ok(run.trials.filter((t) => t.fact > 0).every((t) => t.evaluatedTokens < 30), 'a further question evaluates only itself');
  assert.equal(run.stats.facts.length, 3);
  assert.ok(run.stats.facts.every((f) => f.total === 2));
  assert.ok(run.cells.every((x) => x.total === 3 && x.facts.length === 3));
  const csv = await c.call('niah.exportCsv', { id: started.id });
  assert.match(csv.csv, /^length,depth,correct,total,fact1_correct,fact1_total,fact2_correct,fact2_total,fact3_correct,fact3_total\n384,0,/);
});

test('cancel stops after the question being answered; another start is refused meanwhile; resume asks only the rest', async () => {
  let cancelled = false;
  const first = nextEnd((e) => {
    if (!cancelled && e.status === 'running' && e.done >= 1) {
      cancelled = true;
      void c.call('niah.cancel', { id: e.runId });
    }
  });
  const started = await c.call('niah.start', spec({ lengths: [256], samples: 2 }));
  assert.match(await c.failure('niah.start', spec()), /^busy: /);
  assert.equal((await first.end).status, 'cancelled');
  const halfway = await c.call('niah.get', { id: started.id });
  assert.equal(halfway.status, 'cancelled');
  assert.ok(halfway.done >= 1 && halfway.done < halfway.total, `${halfway.done} of ${halfway.total}`);

  const second = nextEnd();
  assert.equal((await c.call('niah.resume', { id: started.id })).status, 'running');
  assert.equal((await second.end).status, 'done');
  assert.ok(second.events[0]!.done === halfway.done, 'resumed from where it stopped');
  const run = await c.call('niah.get', { id: started.id });
  assert.equal(run.trials.length, 6);
  assert.deepEqual(run.trials.map((t) => t.seq), [...Array(6).keys()]);
  assert.deepEqual(run.trials.slice(0, halfway.done), halfway.trials, 'answers from before the cancel are kept as they were');
  assert.match(await c.failure('niah.resume', { id: started.id }), /^invalid_request: This run has finished/);
});
