// The bare baseline: node-llama-cpp in one process with no app around it. getLlama with the same
// thread count, one context of the same size, and a sequence.evaluate loop with greedy sampling.
// Started by bench/parts/bare.ts with fork(); commands arrive over the IPC channel.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { getLlama, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token } from 'node-llama-cpp';
import { chooseThreads } from '../../native/engine/process/threads.js';
import { nowMs } from '../lib/clock.js';
import { threadCpu, threadCpuDelta } from '../lib/proc.js';

export type BareCommand =
  | { cmd: 'init'; modelPath: string; threads: number; contextSize: number }
  | { cmd: 'count'; text: string }
  | { cmd: 'decode'; prompt: string; tokens: number }
  | { cmd: 'prefill'; prompt: string }
  | { cmd: 'exit' };

export interface DecodeResult {
  tokens: number;
  promptTokens: number;
  tokensPerSecond: number;
  /** Per generated token: CPU time of the whole process and of its busiest threads. */
  cpuMsPerToken: number;
  /** CPU of the whole call (prompt included) per generated token: comparable with the app's per-answer figure. */
  wholeCpuMsPerToken: number;
  jsThreadCpuMsPerToken: number;
  eventLoopUtilization: number;
  threads: Array<{ name: string; cpuMs: number; processor: number; involuntary: number }>;
}

export interface PrefillResult {
  promptTokens: number;
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
}

let llama: Llama | null = null;
let model: LlamaModel | null = null;
let context: LlamaContext | null = null;
let sequence: LlamaContextSequence | null = null;

const send = (m: unknown) => process.send!(m);

process.on('message', (m: BareCommand) => {
  void handle(m).then(
    (result) => send({ ok: true, result }),
    (error: Error) => send({ ok: false, error: error.stack ?? String(error) }),
  );
});

async function handle(m: BareCommand): Promise<unknown> {
  switch (m.cmd) {
    case 'init': {
      llama = await getLlama({ build: 'never', gpu: false, maxThreads: m.threads, skipDownload: true, progressLogs: false, logLevel: 'error' as never });
      model = await llama.loadModel({ modelPath: m.modelPath });
      context = await model.createContext({ contextSize: m.contextSize, threads: m.threads, sequences: 1 });
      sequence = context.getSequence();
      const maps = fs.existsSync('/proc/self/maps') ? fs.readFileSync('/proc/self/maps', 'utf8') : '';
      const cpuBackend = /\S*libggml-cpu-[\w-]+\.so/.exec(maps)?.[0] ?? null;
      return {
        pid: process.pid,
        threads: context.currentThreads,
        cpuMathCores: llama.cpuMathCores,
        auto: chooseThreads({ gpu: false, cpuMathCores: llama.cpuMathCores || undefined }),
        cpuBackend,
        contextSize: context.contextSize,
        batchSize: context.batchSize,
      };
    }
    case 'count':
      return model!.tokenize(m.text, true).length;
    case 'decode':
      return decode(m.prompt, m.tokens);
    case 'prefill':
      return prefill(m.prompt);
    case 'exit':
      await context?.dispose();
      await model?.dispose();
      await llama?.dispose();
      setImmediate(() => process.exit(0));
      return null;
  }
}

async function decode(prompt: string, n: number): Promise<DecodeResult> {
  const seq = sequence!;
  await seq.clearHistory();
  const tokens = model!.tokenize(prompt, true) as Token[];
  const threadsBefore = threadCpu(process.pid);
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  let count = 0;
  let first = 0;
  let last = 0;
  let firstCpu = cpuBefore;
  let firstThreads = threadsBefore;
  let firstElu = eluBefore;
  for await (const _token of seq.evaluate(tokens, { temperature: 0 })) {
    count++;
    last = nowMs();
    if (count === 1) {
      // Decode is measured from the first token on, like llama.cpp's tg and the app's decode.
      first = last;
      firstCpu = process.cpuUsage();
      firstThreads = threadCpu(process.pid);
      firstElu = performance.eventLoopUtilization();
    }
    if (count >= n) break;
  }
  const cpu = process.cpuUsage(firstCpu);
  const whole = process.cpuUsage(cpuBefore);
  const elu = performance.eventLoopUtilization(firstElu);
  const perThread = threadCpuDelta(firstThreads, threadCpu(process.pid));
  const decoded = count - 1;
  const main = perThread.find((t) => t.tid === process.pid);
  return {
    tokens: count,
    promptTokens: tokens.length,
    tokensPerSecond: decoded > 0 ? decoded / ((last - first) / 1000) : 0,
    cpuMsPerToken: (cpu.user + cpu.system) / 1000 / Math.max(1, decoded),
    wholeCpuMsPerToken: (whole.user + whole.system) / 1000 / Math.max(1, count),
    jsThreadCpuMsPerToken: (main?.cpuMs ?? NaN) / Math.max(1, decoded),
    eventLoopUtilization: elu.utilization,
    threads: perThread.filter((t) => t.cpuMs > 0).map((t) => ({ name: t.name, cpuMs: t.cpuMs, processor: t.processor, involuntary: t.involuntary })),
  };
}

async function prefill(prompt: string): Promise<PrefillResult> {
  const seq = sequence!;
  await seq.clearHistory();
  const tokens = model!.tokenize(prompt, true) as Token[];
  const started = nowMs();
  let ttft = 0;
  for await (const _token of seq.evaluate(tokens, { temperature: 0 })) {
    ttft = nowMs() - started;
    break;
  }
  return { promptTokens: tokens.length, timeToFirstTokenMs: ttft, tokensPerSecond: tokens.length / (ttft / 1000) };
}
