// Entry of the engine process. Runs under child_process.fork (Node) or Electron's utilityProcess;
// a native crash here ends only this process, and the supervisor in main notices.
import { DeltaBatcher } from './delta-batcher.js';
import { LlamaEngine } from './engine.js';
import { ProgressThrottle } from './progress-throttle.js';
import type { FromEngine, ToEngine } from '../shared/protocol.js';

type Port = { send(message: FromEngine): void; onMessage(listener: (message: ToEngine) => void): void };

function connect(): Port {
  const parentPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', l: (ev: { data: unknown }) => void): void } }).parentPort;
  if (parentPort) {
    return { send: (m) => parentPort.postMessage(m), onMessage: (l) => parentPort.on('message', (ev) => l(ev.data as ToEngine)) };
  }
  if (!process.send) throw new Error('engine-process must be started by the engine supervisor');
  return { send: (m) => process.send!(m), onMessage: (l) => process.on('message', (m) => l(m as ToEngine)) };
}

const port = connect();
let engine: LlamaEngine | null = null;
const running = new Map<number, AbortController>();
// One model and one context: requests run one after another.
let queue: Promise<void> = Promise.resolve();

port.onMessage((message) => {
  if (message.type === 'init') void init(message.backend, message.threads);
  else if (message.type === 'abort') running.get(message.requestId)?.abort();
  else if (message.type === 'probe') void probe(message.requestId);
  else if (message.type === 'count') void count(message);
  else if (message.type === 'generate') {
    const controller = new AbortController();
    running.set(message.requestId, controller);
    queue = queue.then(() => generate(message, controller.signal)).finally(() => running.delete(message.requestId));
  } else if (message.type === 'load' || message.type === 'unload') {
    // In the same queue as answers: a load never swaps the model under an answer being written.
    const controller = new AbortController();
    running.set(message.requestId, controller);
    queue = queue.then(() => (message.type === 'load' ? load(message, controller.signal) : unload(message.requestId))).finally(() => running.delete(message.requestId));
  }
});

/** Load progress, throttled; 1 always reaches the other side once loaded. */
function loadProgress(requestId: number, modelPath: string) {
  const throttle = new ProgressThrottle((done) => port.send({ type: 'load-progress', requestId, modelPath, progress: done / 1000 }));
  return (progress: number) => throttle.report(Math.round(Math.min(1, Math.max(0, progress)) * 1000), 1000);
}

async function load(req: Extract<ToEngine, { type: 'load' }>, signal: AbortSignal) {
  const { requestId, modelPath } = req;
  try {
    if (!engine) throw new Error('The engine has not started.');
    const progress = loadProgress(requestId, modelPath);
    const { contextSize } = await engine.load({
      ...req,
      signal,
      onLoadProgress: progress,
      onLoaded: (size, yarn) => {
        progress(1);
        port.send({ type: 'loaded', requestId, modelPath, contextSize: size, yarn });
      },
    });
    port.send({ type: 'load-done', requestId, modelPath, contextSize });
  } catch (error) {
    port.send({ type: 'load-failed', requestId, message: messageOf(error) });
  }
}

async function unload(requestId: number) {
  try {
    await engine?.unload();
  } finally {
    port.send({ type: 'unloaded', requestId });
  }
}

async function init(backend: Extract<ToEngine, { type: 'init' }>['backend'], threads?: number) {
  try {
    engine = await LlamaEngine.start({ backend, threads, logger: logToStderr });
    port.send({ type: 'ready', backend: engine.backend, backendReason: engine.backendReason, threads: engine.threads, threadsReason: engine.threadsReason });
  } catch (error) {
    port.send({ type: 'init-failed', message: messageOf(error) });
  }
}

async function generate(req: Extract<ToEngine, { type: 'generate' }>, signal: AbortSignal) {
  const { requestId } = req;
  let text = '';
  const deltas = new DeltaBatcher((delta) => port.send({ type: 'delta', requestId, text: delta }));
  try {
    if (!engine) throw new Error('The engine has not started.');
    const progress = loadProgress(requestId, req.modelPath);
    const prompt = new ProgressThrottle((done, total, etaMs) => port.send({ type: 'prompt-progress', requestId, done, total, etaMs }));
    const result = await engine.generate({
      ...req,
      signal,
      onLoadProgress: progress,
      onLoaded: (contextSize, yarn) => {
        progress(1);
        port.send({ type: 'loaded', requestId, modelPath: req.modelPath, contextSize, yarn });
      },
      onPromptProgress: (done, total) => prompt.report(done, total),
      onFitted: (report) => port.send({ type: 'fitted', requestId, ...report }),
      onDelta: (delta) => {
        text += delta;
        deltas.push(delta);
      },
    });
    deltas.flush();
    port.send({ type: 'done', requestId, text: result.text, stopReason: result.stopReason, stats: result.stats, debug: result.debug });
  } catch (error) {
    deltas.flush();
    port.send({ type: 'failed', requestId, message: messageOf(error), text });
    return;
  }
  // After 'done' (the answer is not held back), before the next request: the context state to disk.
  try {
    const saved = await engine!.persistState();
    if (saved) port.send({ type: 'state-saved', requestId, ...saved });
  } catch (error) {
    if (req.state) port.send({ type: 'state-failed', requestId, file: req.state.file, message: messageOf(error) });
  }
}

/** Answered at once, also while a generation runs (tokenizing does not touch the context). */
async function count(req: Extract<ToEngine, { type: 'count' }>) {
  try {
    if (!engine) throw new Error('The engine has not started.');
    port.send({ type: 'count-result', requestId: req.requestId, counts: await engine.count(req.modelPath, req.texts) });
  } catch (error) {
    port.send({ type: 'count-failed', requestId: req.requestId, message: messageOf(error) });
  }
}

/** Answered at once, also while a generation runs: it only reads the machine's state. */
async function probe(requestId: number) {
  try {
    if (!engine) throw new Error('The engine has not started.');
    port.send({ type: 'probe-result', requestId, probe: await engine.probe() });
  } catch (error) {
    port.send({ type: 'probe-failed', requestId, message: messageOf(error) });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** llama.cpp's own log goes to stderr, where the supervisor (and tests) can read it. */
function logToStderr(level: string, message: string) {
  if (process.env.QWEN2_DESK_ENGINE_LOG === '1' || level === 'error' || level === 'fatal') {
    process.stderr.write(`[llama ${level}] ${message}${message.endsWith('\n') ? '' : '\n'}`);
  }
}
