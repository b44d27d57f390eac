// The local engine behind the Engine interface (app/local-engine.ts), over a scripted engine
// process: the sink gets the text, the abort signal stops the request, an aborted signal starts nothing.
import assert from 'node:assert/strict';
import test from 'node:test';
import type { EngineChannel } from '../../native/engine/main/channel.js';
import { LocalEngine } from '../../app/local-engine.js';
import type { GenerateParams } from '../../app/engine.js';

type Message = { type: string; requestId?: number };

/** An engine process that says ready at once (or never) and records what it was sent. */
function scriptedEngine(opts: { ready: boolean }) {
  const sent: Message[] = [];
  const waiting: Array<{ type: string; resolve(m: Message): void }> = [];
  let deliver: (m: unknown) => void = () => {};
  let launches = 0;
  const channel: EngineChannel = {
    send(message) {
      const m = message as Message;
      sent.push(m);
      if (m.type === 'init' && opts.ready) deliver({ type: 'ready', backend: 'cpu', backendReason: 'test', threads: 1, threadsReason: 'test' });
      for (const w of waiting.filter((w) => w.type === m.type)) w.resolve(m);
    },
    onMessage: (listener) => (deliver = listener),
    onExit: () => {},
    kill: () => {},
    pid: 4242,
  };
  const engine = new LocalEngine({ launcher: () => (launches++, channel), entryFile: 'engine-process.ts', backend: 'cpu', threads: 1 });
  return {
    engine,
    sent,
    get launches() {
      return launches;
    },
    reply: (m: unknown) => deliver(m),
    /** The first message of this type sent to the engine (now, or once it is sent). */
    sentOf: (type: string) =>
      new Promise<Message>((resolve) => {
        const already = sent.find((m) => m.type === type);
        if (already) resolve(already);
        else waiting.push({ type, resolve });
      }),
  };
}

const params: GenerateParams = { modelPath: '/m.gguf', contextSize: 512, systemPrompt: '', messages: [{ role: 'user', content: 'hi' }], sampling: {} };
const stats = { tokens: 1, promptTokens: 3, timeToFirstTokenMs: 5, tokensPerSecond: 10, contextTokens: 4, contextSize: 512 };

test('an aborted signal ends the request before any engine process starts', async () => {
  const e = scriptedEngine({ ready: true });
  const signal = AbortSignal.abort();
  const outcome = await e.engine.generate(params, { onDelta: () => assert.fail('no text') }, signal);
  assert.equal(outcome.kind, 'done');
  assert.equal(outcome.kind === 'done' && outcome.stopReason, 'abort');
  assert.equal(e.launches, 0);
});

test('aborting while the engine starts ends the request with nothing generated', async () => {
  const e = scriptedEngine({ ready: false });
  const stop = new AbortController();
  const pending = e.engine.generate(params, { onDelta: () => assert.fail('no text') }, stop.signal);
  await e.sentOf('init');
  stop.abort();
  const outcome = await pending;
  assert.deepEqual(outcome.kind === 'done' && [outcome.text, outcome.stopReason, outcome.stats.contextSize], ['', 'abort', 0]);
  assert.equal(e.sent.some((m) => m.type === 'generate'), false);
});

test('the sink gets the text, the signal aborts the request in the engine, and the outcome keeps the text', async () => {
  const e = scriptedEngine({ ready: true });
  const stop = new AbortController();
  const deltas: string[] = [];
  const fitted: number[] = [];
  const pending = e.engine.generate(params, { onDelta: (t) => deltas.push(t), onFitted: (r) => fitted.push(r.inputTokens) }, stop.signal);
  const generate = await e.sentOf('generate');
  assert.equal('onDelta' in generate, false, 'only data crosses to the engine process');
  const requestId = generate.requestId!;
  e.reply({ type: 'fitted', requestId, droppedTurns: 0, inputTokens: 3, contextSize: 512 });
  e.reply({ type: 'delta', requestId, text: 'Hel' });
  stop.abort();
  assert.deepEqual(e.sent.filter((m) => m.type === 'abort'), [{ type: 'abort', requestId }]);
  e.reply({ type: 'done', requestId, text: 'Hel', stopReason: 'abort', stats });
  const outcome = await pending;
  assert.deepEqual(deltas, ['Hel']);
  assert.deepEqual(fitted, [3]);
  assert.deepEqual(outcome, { kind: 'done', text: 'Hel', stopReason: 'abort', stats, debug: undefined });
  assert.equal(e.engine.pid, 4242);
  assert.equal(e.engine.status.state, 'ready');
});

test('token counts of many texts go to the engine in one request', async () => {
  const e = scriptedEngine({ ready: true });
  const counted = e.engine.countTokens('/m.gguf', ['a', 'b c']);
  const count = (await e.sentOf('count')) as Message & { texts: string[] };
  assert.deepEqual(count.texts, ['a', 'b c']);
  e.reply({ type: 'count-result', requestId: count.requestId, counts: [1, 2] });
  assert.deepEqual(await counted, [1, 2]);
});
