// Part 1 — decode and prefill through the whole app path (WebSocket client -> host -> core ->
// engine process -> tokens back to the client) against the bare node-llama-cpp loop, llama-bench
// and llama-server on the same model, context and threads. Runs are interleaved round by round and
// each ratio is the median of the per-round ratios, so load from other work hits both sides alike.
import type { LlamaCppTools } from '../../tools/llama-cpp/build.js';
import { nowMs } from '../lib/clock.js';
import { processCpuMs, threadCpu, threadCpuDelta } from '../lib/proc.js';
import { atLeast, type Figures } from '../lib/report.js';
import { median } from '../lib/stats.js';
import { chatmlPrompt, englishText } from '../lib/text.js';
import type { ChatTrace } from '../workers/ws-client.js';
import type { AppUnderTest } from './app.js';
import { QWEN2_SAMPLING } from '../../app/services/chat-settings.js';
import { engineProcessEnv } from '../../native/engine/main/process-env.js';
import { BareRunner } from './bare.js';
import { llamaBench, LlamaServer } from './llama-tools.js';

const PART = '1 speed';
export const SYSTEM_PROMPT = 'You are a helpful assistant.';
export const DECODE_PROMPT = 'Write a long story about a lighthouse keeper who finds a map.';
export const CONTEXT_SIZE = 4096; // what the chat service asks the engine for

export interface ModelSpec {
  label: string;
  file: string;
  /** Per-model sizes (bigger models get fewer tokens and rounds to fit the time budget). */
  decodeTokens?: number;
  prefillTokens?: number;
  rounds?: number;
}

export interface ThroughputOptions {
  decodeTokens: number;
  /** Prompt length for prefill, in tokens (about). */
  prefillTokens: number;
  rounds: number;
  tools: LlamaCppTools | null;
  cpuBackend: string | null;
}

interface Round {
  app: { decode: number; prefill: number; engineDecode: number; decodeQwenSampling: number; ttftMs: number; engineTtftMs: number; promptTokens: number };
  bare: { decode: number; prefill: number };
  /** The same loop with Node's default libuv pool (4 threads): node-llama-cpp used naively. */
  naive?: { decode: number };
  server?: { decode: number; prefill: number };
  bench?: { decode: number; prefill: number };
}

export interface AppDecodeCost {
  tokens: number;
  clientTps: number;
  engineTps: number;
  engineCpuMsPerToken: number;
  engineJsThreadCpuMsPerToken: number;
  engineThreads: Array<{ name: string; cpuMs: number; processor: number; involuntary: number }>;
  mainCpuMsPerToken: number;
  clientCpuMsPerToken: number;
  deltasPerToken: number;
}

/** Client-side decode speed of one answer: tokens after the first, over first delta -> answer finished. */
export function clientDecode(trace: ChatTrace): { tps: number; tokens: number } {
  const tokens = trace.message.stats?.tokens ?? trace.deltas.length;
  const first = trace.deltas[0]?.at;
  if (!first || tokens < 2) return { tps: NaN, tokens };
  return { tps: (tokens - 1) / ((trace.finishedAt - first) / 1000), tokens };
}

/** Client-side time to first token: request sent -> first text arrived (or the answer ended). */
export function clientTtft(trace: ChatTrace): number {
  return (trace.deltas[0]?.at ?? trace.finishedAt) - trace.sentAt;
}

export async function runThroughput(
  figures: Figures,
  app: AppUnderTest,
  models: ModelSpec[],
  o: ThroughputOptions,
  notes: string[],
  log: (s: string) => void,
): Promise<Record<string, unknown>> {
  const details: Record<string, unknown> = {};
  for (const model of models) {
    const decodeTokens = model.decodeTokens ?? o.decodeTokens;
    const prefillTokens = model.prefillTokens ?? o.prefillTokens;
    const rounds = model.rounds ?? o.rounds;
    const modelPath = app.addModel(model.file);
    // Greedy without a repeat penalty, like the baselines (the bare loop, llama-bench, llama-server
    // /completion with temperature 0 and its default penalty 1.0): the same work per token on every side.
    const send = async (text: string, maxTokens: number, sampling: Record<string, number> = { temperature: 0, repeatPenalty: 1 }) => {
      const conversationId = await app.newConversation();
      return app.chat({ conversationId, text, modelPath, sampling: { maxTokens, ...sampling } });
    };
    log(`${model.label}: loading in the app`);
    await send('Hello', 2); // loads the model
    const status = await app.engineStatus();
    const threads = status.threads ?? 1;
    // The bare loop runs with the engine process's own settings (one libuv pool thread), so app / bare
    // isolates what the app adds; the naive loop (Node's defaults) shows what those settings win.
    const bare = await BareRunner.start(model.file, threads, CONTEXT_SIZE, engineProcessEnv());
    const naive = await BareRunner.start(model.file, threads, CONTEXT_SIZE, { UV_THREADPOOL_SIZE: '4' });
    let server: LlamaServer | null = null;
    if (o.tools && o.cpuBackend) server = await LlamaServer.start(o.tools, o.cpuBackend, { model: model.file, threads, contextSize: CONTEXT_SIZE });
    try {
      const decodePrompt = chatmlPrompt(SYSTEM_PROMPT, DECODE_PROMPT);
      // One user text per round with about prefillTokens tokens in the whole prompt, so nothing is reused.
      const texts: string[] = [];
      const counts: number[] = [];
      for (let r = 0; r < rounds + 1; r++) {
        texts.push(await fitText(bare, prefillTokens, 1000 + r));
        counts.push(await bare.count(chatmlPrompt(SYSTEM_PROMPT, texts[r]!)));
      }
      // The app's chat keeps the evaluated prefix that a new conversation shares with the last one
      // (the system turn): it evaluates only the rest. The contract does not report the count, so it
      // is the prompt's token count less that shared prefix.
      const sharedPrefix = await bare.count(`<|im_start|>system\n${SYSTEM_PROMPT}<|im_end|>\n<|im_start|>user\n`);
      // Warm every side once (page cache, first-call costs).
      await bare.decode(decodePrompt, 8);
      await naive.decode(decodePrompt, 8);
      await bare.prefill(chatmlPrompt(SYSTEM_PROMPT, texts[0]!));
      await server?.complete(chatmlPrompt(SYSTEM_PROMPT, texts[0]!), 4);
      await send(texts[0]!, 2);

      const results: Round[] = [];
      const bareCosts: Array<{ cpuMsPerToken: number; jsThreadCpuMsPerToken: number }> = [];
      const costs: AppDecodeCost[] = [];
      for (let r = 1; r <= rounds; r++) {
        const text = texts[r]!;
        const order = rotate(['app', 'bare', 'server', 'bench', 'naive'], r);
        const round: Partial<Round> = {};
        for (const side of order) {
          if (side === 'app') {
            const { trace, cost } = await appDecodeWithCost(app, () => send(DECODE_PROMPT, decodeTokens));
            costs.push(cost);
            const pre = await send(text, 1);
            const qwen = await send(DECODE_PROMPT, decodeTokens, { ...QWEN2_SAMPLING, seed: r });
            const ttft = clientTtft(pre);
            const promptTokens = counts[r]! - sharedPrefix;
            round.app = {
              decode: clientDecode(trace).tps,
              decodeQwenSampling: clientDecode(qwen).tps,
              engineDecode: trace.message.stats?.tokensPerSecond ?? NaN,
              prefill: promptTokens / (ttft / 1000),
              ttftMs: ttft,
              engineTtftMs: pre.message.stats?.timeToFirstTokenMs ?? NaN,
              promptTokens,
            };
          } else if (side === 'bare') {
            const d = await bare.decode(decodePrompt, decodeTokens);
            const p = await bare.prefill(chatmlPrompt(SYSTEM_PROMPT, text));
            round.bare = { decode: d.tokensPerSecond, prefill: p.tokensPerSecond };
            bareCosts.push({ cpuMsPerToken: d.wholeCpuMsPerToken, jsThreadCpuMsPerToken: d.jsThreadCpuMsPerToken });
          } else if (side === 'naive') {
            round.naive = { decode: (await naive.decode(decodePrompt, decodeTokens)).tokensPerSecond };
          } else if (side === 'server' && server) {
            const d = await server.complete(decodePrompt, decodeTokens);
            const p = await server.complete(chatmlPrompt(SYSTEM_PROMPT, text), 1);
            round.server = { decode: d.predicted_per_second, prefill: p.prompt_per_second };
          } else if (side === 'bench' && o.tools && o.cpuBackend) {
            round.bench = llamaBench(o.tools, o.cpuBackend, { model: model.file, threads, prompt: model.prefillTokens ?? o.prefillTokens, gen: model.decodeTokens ?? o.decodeTokens, reps: 1 });
          }
        }
        results.push(round as Round);
        const a = round.app!;
        log(
          `${model.label} round ${r}/${rounds}: decode app ${a.decode.toFixed(1)} (engine ${a.engineDecode.toFixed(1)}) bare ${round.bare!.decode.toFixed(1)} naive ${round.naive!.decode.toFixed(1)}` +
            (round.server ? ` server ${round.server.decode.toFixed(1)}` : '') + (round.bench ? ` bench ${round.bench.decode.toFixed(1)}` : '') +
            ` | prefill app ${a.prefill.toFixed(0)} bare ${round.bare!.prefill.toFixed(0)}` +
            (round.server ? ` server ${round.server.prefill.toFixed(0)}` : '') + (round.bench ? ` bench ${round.bench.prefill.toFixed(0)}` : '') + ' tok/s',
        );
      }
      report(figures, model.label, results, threads);
      const cost = summariseCosts(costs);
      const bareCost = { cpuMsPerToken: median(bareCosts.map((c) => c.cpuMsPerToken)), jsThreadCpuMsPerToken: median(bareCosts.map((c) => c.jsThreadCpuMsPerToken)) };
      details[model.label] = { threads, rounds: results, appDecodeCost: cost, bareDecodeCost: bareCost, costs };
      figures.add(
        PART,
        `${model.label}: CPU per answer token (its prompt included), engine process (app) vs bare process`,
        cost.engineCpuMsPerToken!,
        'ms',
        null,
        `bare ${bareCost.cpuMsPerToken.toFixed(1)} ms; JS thread: engine ${cost.engineJsThreadCpuMsPerToken!.toFixed(2)} ms vs bare ${bareCost.jsThreadCpuMsPerToken.toFixed(2)} ms; ` +
          `main (host+core) ${cost.mainCpuMsPerToken!.toFixed(2)} ms; client ${cost.clientCpuMsPerToken!.toFixed(2)} ms; ${cost.deltasPerToken!.toFixed(2)} deltas/token`,
      );
      const ttft = median(results.map((x) => x.app.ttftMs));
      const engineTtft = median(results.map((x) => x.app.engineTtftMs));
      figures.add(
        PART,
        `${model.label}: app prefill, time to first token at the client`,
        ttft,
        'ms',
        null,
        `the engine's own count (generateResponse start -> first token) ${engineTtft.toFixed(0)} ms: ${(ttft - engineTtft).toFixed(0)} ms go to main, IPC, fitting the history and the WebSocket`,
      );
      figures.add(PART, `${model.label}: app decode, engine's own count (first token -> end, inside the engine)`, median(results.map((x) => x.app.engineDecode)), 'tok/s', null, 'the gap to the client figure is IPC + main + WebSocket');
    } finally {
      await bare.close();
      await naive.close();
      await server?.close();
    }
  }
  if (!o.tools) notes.push('llama-bench / llama-server were not run (quick mode without a built llama.cpp, or --no-llama-cpp): their ratios are n/a.');
  return details;
}

function report(figures: Figures, label: string, rounds: Round[], threads: number): void {
  const med = (f: (r: Round) => number | undefined) => median(rounds.map(f).filter((x): x is number => x !== undefined));
  const ratio = (f: (r: Round) => number | undefined) => med(f);
  for (const kind of ['decode', 'prefill'] as const) {
    const app = med((r) => r.app[kind]);
    const bare = med((r) => r.bare[kind]);
    const note = `${threads} thread(s), ${rounds.length} interleaved rounds, median`;
    figures.add(PART, `${label}: ${kind} through the app (client view)`, app, 'tok/s', null, note);
    figures.add(PART, `${label}: ${kind}, bare node-llama-cpp loop`, bare, 'tok/s', null, 'one libuv pool thread, as in the engine process');
    figures.add(PART, `${label}: ${kind} app / bare`, ratio((r) => r.app[kind] / r.bare[kind]), '×', atLeast(0.97), 'median of per-round ratios');
    if (kind === 'decode') {
      const q = QWEN2_SAMPLING;
      figures.add(PART, `${label}: decode through the app with Qwen2's recommended sampling`, med((r) => r.app.decodeQwenSampling), 'tok/s', null,
        `temperature ${q.temperature}, top-p ${q.topP}, top-k ${q.topK}, repeat penalty ${q.repeatPenalty} (the app's default; llama.cpp applies the penalty over the whole vocabulary per token): ` +
        `${ratio((r) => r.app.decodeQwenSampling / r.app.decode).toFixed(3)} × greedy`);
    }
    if (kind === 'decode' && rounds.some((r) => r.naive)) {
      figures.add(PART, `${label}: decode, bare loop with Node's default libuv pool (4 threads)`, med((r) => r.naive?.decode), 'tok/s', null, 'node-llama-cpp used naively');
      figures.add(PART, `${label}: decode app / naive bare loop`, ratio((r) => (r.naive ? r.app.decode / r.naive.decode : undefined)), '×', null, 'what the engine\'s one-thread pool wins');
    }
    if (rounds.some((r) => r.server)) {
      figures.add(PART, `${label}: ${kind}, llama-server /completion`, med((r) => r.server?.[kind]), 'tok/s', null);
      figures.add(PART, `${label}: ${kind} app / llama-server`, ratio((r) => (r.server ? r.app[kind] / r.server[kind] : undefined)), '×', atLeast(1));
    } else figures.missing(PART, `${label}: ${kind} app / llama-server`, 'llama.cpp tools not built (quick mode)', atLeast(1));
    if (rounds.some((r) => r.bench)) {
      figures.add(PART, `${label}: ${kind}, llama-bench (${kind === 'decode' ? 'tg' : 'pp'})`, med((r) => r.bench?.[kind]), 'tok/s', null);
      figures.add(PART, `${label}: ${kind} app / llama-bench`, ratio((r) => (r.bench ? r.app[kind] / r.bench[kind] : undefined)), '×', atLeast(0.95));
    } else figures.missing(PART, `${label}: ${kind} app / llama-bench`, 'llama.cpp tools not built (quick mode)', atLeast(0.95));
    void app;
    void bare;
  }
}

/** One app answer, with the CPU time each process spent on it (/proc, Linux). */
async function appDecodeWithCost(app: AppUnderTest, run: () => Promise<ChatTrace>): Promise<{ trace: ChatTrace; cost: AppDecodeCost }> {
  const enginePid = app.enginePid!;
  const engineBefore = threadCpu(enginePid);
  const engineTotalBefore = processCpuMs(enginePid); // includes threads that ended (ggml's per-graph workers)
  const mainBefore = processCpuMs(process.pid);
  const clientBefore = processCpuMs(app.clientPid);
  const trace = await run();
  const engineDelta = threadCpuDelta(engineBefore, threadCpu(enginePid));
  const mainMs = processCpuMs(process.pid) - mainBefore;
  const clientMs = processCpuMs(app.clientPid) - clientBefore;
  const { tps, tokens } = clientDecode(trace);
  const n = Math.max(1, tokens);
  const engineTotal = processCpuMs(enginePid) - engineTotalBefore;
  const js = engineDelta.find((t) => t.tid === enginePid);
  return {
    trace,
    cost: {
      tokens,
      clientTps: tps,
      engineTps: trace.message.stats?.tokensPerSecond ?? NaN,
      engineCpuMsPerToken: engineTotal / n,
      engineJsThreadCpuMsPerToken: (js?.cpuMs ?? NaN) / n,
      engineThreads: engineDelta.filter((t) => t.cpuMs > 0).map((t) => ({ name: t.name, cpuMs: t.cpuMs, processor: t.processor, involuntary: t.involuntary })),
      mainCpuMsPerToken: mainMs / n,
      clientCpuMsPerToken: clientMs / n,
      deltasPerToken: trace.deltas.length / n,
    },
  };
}

function summariseCosts(costs: AppDecodeCost[]): Record<string, number> {
  const m = (f: (c: AppDecodeCost) => number) => median(costs.map(f));
  return {
    engineCpuMsPerToken: m((c) => c.engineCpuMsPerToken),
    engineJsThreadCpuMsPerToken: m((c) => c.engineJsThreadCpuMsPerToken),
    mainCpuMsPerToken: m((c) => c.mainCpuMsPerToken),
    clientCpuMsPerToken: m((c) => c.clientCpuMsPerToken),
    deltasPerToken: m((c) => c.deltasPerToken),
  };
}

function rotate<T>(list: T[], by: number): T[] {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/** English text whose ChatML prompt has about `tokens` tokens (measured with the model's tokenizer). */
export async function fitText(bare: BareRunner, tokens: number, seed: number): Promise<string> {
  let words = Math.max(8, Math.round(tokens * 0.75));
  for (let i = 0; i < 6; i++) {
    const text = englishText(words, seed);
    const n = await bare.count(chatmlPrompt(SYSTEM_PROMPT, text));
    if (Math.abs(n - tokens) <= Math.max(4, tokens * 0.02)) return text;
    words = Math.max(4, Math.round(words * (tokens / n)));
  }
  return englishText(words, seed);
}

export { nowMs };
