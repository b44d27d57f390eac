// The engine in its own process on tiny synthetic Qwen2 models (dense and MoE): generate, abort,
// kill -9 mid-answer, and a fresh engine for the next request.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { deltaCounter, newSupervisor } from '../helpers/engine.js';

const base = { contextSize: 1024, systemPrompt: 'You are a helpful assistant.', messages: [{ role: 'user' as const, content: '你好! Say something.' }] };

for (const arch of ['qwen2', 'qwen2moe'] as const) {
  describe(`engine process, tiny ${arch}`, () => {
    let modelPath = '';
    const engine = newSupervisor();
    before(async () => {
      modelPath = await ensureSyntheticModel({ preset: 'tiny', arch, type: 'q8_0', seed: 1 });
    });
    after(() => engine.dispose());

    test('generates a streamed answer and reports backend, threads and speed', async () => {
      const counter = deltaCounter(1);
      const { outcome } = engine.generate({ ...base, modelPath, sampling: { maxTokens: 12, temperature: 0 }, onDelta: counter.onDelta });
      const result = await outcome;
      assert.equal(result.kind, 'done', JSON.stringify(result));
      if (result.kind !== 'done') return;
      assert.ok(result.stats.tokens > 0 && result.stats.tokens <= 12, `tokens ${result.stats.tokens}`);
      assert.equal(counter.text, result.text, 'the streamed deltas make up the whole answer');
      assert.ok(result.stats.promptTokens > 10, 'the ChatML prompt was evaluated');
      const status = engine.status;
      assert.equal(status.state, 'ready');
      assert.equal(status.backend, 'cpu');
      assert.equal(status.threads, 1);
      assert.match(status.backendReason ?? '', /CPU chosen/);
      assert.ok((status.tokensPerSecond ?? 0) > 0);
    });

    test('abort stops the answer and keeps the partial text', async () => {
      const counter = deltaCounter(3);
      const { requestId, outcome } = engine.generate({ ...base, modelPath, sampling: { maxTokens: 5000, temperature: 1, seed: 7 }, onDelta: counter.onDelta });
      await counter.reached;
      engine.abort(requestId);
      const result = await outcome;
      assert.equal(result.kind, 'done');
      if (result.kind !== 'done') return;
      assert.equal(result.stopReason, 'abort');
      assert.ok(result.stats.tokens >= 3 && result.stats.tokens < 5000);
      assert.ok(result.text.length > 0 && counter.text.startsWith(result.text.slice(0, 1)));
    });

    test('kill -9 mid-answer: partial text comes back as crashed, the next request starts a fresh engine', async () => {
      const counter = deltaCounter(3);
      const first = engine.generate({ ...base, modelPath, sampling: { maxTokens: 5000, temperature: 1, seed: 3 }, onDelta: counter.onDelta });
      await counter.reached;
      const pid = engine.pid;
      assert.ok(pid);
      process.kill(pid, 'SIGKILL');
      const crashed = await first.outcome;
      assert.equal(crashed.kind, 'crashed');
      assert.match(crashed.kind === 'crashed' ? crashed.message : '', /SIGKILL/);
      assert.ok(crashed.text.length > 0);
      assert.equal(crashed.text, counter.text, 'everything streamed before the kill is kept');
      assert.equal(engine.status.state, 'crashed');

      const next = await engine.generate({ ...base, modelPath, sampling: { maxTokens: 4 }, onDelta: () => {} }).outcome;
      assert.equal(next.kind, 'done');
      assert.notEqual(engine.pid, pid);
    });
  });
}

test('a model that fails to load is reported, and the engine keeps serving', async () => {
  const engine = newSupervisor();
  try {
    const result = await engine.generate({ ...base, modelPath: '/nonexistent/model.gguf', sampling: {}, onDelta: () => {} }).outcome;
    assert.equal(result.kind, 'failed');
    const modelPath = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 });
    const ok = await engine.generate({ ...base, modelPath, sampling: { maxTokens: 3 }, onDelta: () => {} }).outcome;
    assert.equal(ok.kind, 'done');
  } finally {
    await engine.dispose();
  }
});

test('a stop sent while the engine is still starting ends the request at once', async () => {
  const engine = newSupervisor();
  try {
    const modelPath = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 });
    const { requestId, outcome } = engine.generate({ ...base, modelPath, sampling: { maxTokens: 5000 }, onDelta: () => assert.fail('nothing may stream') });
    assert.equal(engine.status.state, 'starting');
    engine.abort(requestId);
    const result = await outcome;
    assert.equal(result.kind, 'done');
    assert.equal(result.kind === 'done' && result.stopReason, 'abort');
    const next = await engine.generate({ ...base, modelPath, sampling: { maxTokens: 3 }, onDelta: () => {} }).outcome;
    assert.equal(next.kind, 'done');
  } finally {
    await engine.dispose();
  }
});

test('the engine process runs with one libuv pool thread, so every decode and sampling step shares a thread', async (t) => {
  if (process.platform !== 'linux') return t.skip('reads /proc');
  const modelPath = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 });
  // Threads of an engine that has loaded a model and answered, with our setting and with Node's default pool.
  const threadsAfterAnswer = async (env: Record<string, string>) => {
    const engine = newSupervisor({ env });
    try {
      const result = await engine.generate({ ...base, modelPath, sampling: { maxTokens: 8, temperature: 0 }, onDelta: () => {} }).outcome;
      assert.equal(result.kind, 'done');
      const pid = engine.pid!;
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      return { environ, threads: fs.readdirSync(`/proc/${pid}/task`).length };
    } finally {
      await engine.dispose();
    }
  };
  const ours = await threadsAfterAnswer({});
  assert.ok(ours.environ.includes('UV_THREADPOOL_SIZE=1'), 'the supervisor starts the engine with one pool thread');
  const nodeDefault = await threadsAfterAnswer({ UV_THREADPOOL_SIZE: '4' });
  assert.equal(nodeDefault.threads - ours.threads, 3, `threads: ${ours.threads} with one pool thread, ${nodeDefault.threads} with four`);
});

test('a stop during a long prompt ends it within a batch, not after the whole prompt', async () => {
  const engine = newSupervisor();
  try {
    const modelPath = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 });
    let promptTokens = 0;
    let fitted!: () => void;
    const evaluating = new Promise<void>((r) => (fitted = r));
    const long = `apple${' apple'.repeat(28_000)}`; // ~28K tokens: seconds of prefill even for the tiny model
    const { requestId, outcome } = engine.generate({
      ...base, contextSize: 32768, modelPath, messages: [{ role: 'user', content: long }], sampling: { maxTokens: 8, temperature: 0 },
      onDelta: () => assert.fail('no answer text before the prompt is evaluated'),
      onFitted: (report) => {
        promptTokens = report.inputTokens;
        fitted();
      },
    });
    await evaluating;
    await new Promise((r) => setTimeout(r, 300));
    const stoppedAt = performance.now();
    engine.abort(requestId);
    const result = await outcome;
    const took = performance.now() - stoppedAt;
    assert.equal(result.kind, 'done');
    if (result.kind !== 'done') return;
    assert.equal(result.stopReason, 'abort');
    assert.equal(result.stats.tokens, 0);
    assert.ok(result.stats.promptTokens < promptTokens, `evaluated ${result.stats.promptTokens} of ${promptTokens} prompt tokens before the stop`);
    assert.ok(took < 3000, `the stop took ${took.toFixed(0)} ms`);
    // The part that was evaluated is reused: asking again evaluates only the rest.
    const again = await engine.generate({ ...base, contextSize: 32768, modelPath, messages: [{ role: 'user', content: long }], sampling: { maxTokens: 2, temperature: 0 }, onDelta: () => {} }).outcome;
    assert.equal(again.kind, 'done');
    if (again.kind === 'done') assert.ok(again.stats.promptTokens <= promptTokens - result.stats.promptTokens + 1, `second try evaluated ${again.stats.promptTokens}`);
  } finally {
    await engine.dispose();
  }
});
