// The Qwen2 Desk benchmark. `node --import tsx bench/run.ts [--quick]`
//
// Every figure is a ratio against baselines run in the same run, or a latency with its goal, and
// is printed with PASS / MISS. Results: bench/results/<date>-<machine>.json and .md, and latest.md.
//   1 speed      decode / prefill through the whole app vs bare node-llama-cpp, llama-bench, llama-server
//   2 threads    every thread count 1..cores, and the engine's automatic choice
//   3 documents  time to first token on a long document, a follow-up, and after a restart
//   4 streaming  engine -> main -> client latency per token, bytes per token at message 10 and 1,000
//   5 memory     the fit planner's estimate vs the engine process's measured peak
//   6 history    search p95 over 100,000 messages, first screen of a 10,000-message conversation
//   7 renderer   decode while the answer streams onto the page in Chromium vs through the API client
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSyntheticModel } from '../native/gguf/cache.js';
import { chooseThreads } from '../native/engine/process/threads.js';
import { buildLlamaCpp, builtLlamaCpp, prebuiltDir, type LlamaCppTools } from '../tools/llama-cpp/build.js';
import { machineInfo } from './lib/machine.js';
import { Figures, writeResults, type RunRecord } from './lib/report.js';
import { AppUnderTest } from './parts/app.js';
import { BareRunner } from './parts/bare.js';
import { runDocuments } from './parts/documents.js';
import { runExtract } from './parts/extract.js';
import { runHistory } from './parts/history.js';
import { runMemory } from './parts/memory.js';
import { runStreaming } from './parts/streaming.js';
import { runRenderer } from './parts/renderer.js';
import { runThreads } from './parts/threads.js';
import { killLlamaServers } from './parts/llama-tools.js';
import { CONTEXT_SIZE, runThroughput, type ModelSpec } from './parts/throughput.js';

const here = path.dirname(fileURLToPath(import.meta.url));

const USAGE = `Usage: qwen2-desk bench [--quick] [--only 1,2,...] [--no-llama-cpp] [--rounds N] [--out DIR]

  --quick          tiny models and small sizes, well under a minute (CI); llama.cpp's tools only if already built
  --only LIST      run only these parts (1 speed, 2 threads, 3 documents, 4 streaming, 5 memory, 6 history,
                   7 renderer, 8 extract)
  --no-llama-cpp   skip llama-bench / llama-server (and their one-time build)
  --rounds N       interleaved rounds per comparison (default 3; quick mode runs 1)
  --out DIR        where results go (default bench/results)
  --models LIST    part 1 only for these models, e.g. "0.5b q8_0,1.5b q4_0"
  --threads N      run the app (and its baselines) with N threads instead of the engine's own choice
  --coalesce MS    experiment: merge the engine's delta messages further, one per MS ms at most (a preload
                   in the engine process, on top of the engine's own 50 ms batching; parts 1 and 4)
`;

interface Plan {
  quick: boolean;
  parts: Set<number>;
  llamaCpp: boolean;
  rounds: number;
  out: string;
  /** Only the part-1 models whose label contains one of these (case and spaces ignored). */
  models: string[] | null;
  threads: number | undefined;
  coalesceMs: number;
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9.]/g, '');

function parseArgs(args: string[]): Plan | string {
  const plan: Plan = { quick: false, parts: new Set([1, 2, 3, 4, 5, 6, 7, 8]), llamaCpp: true, rounds: 0, out: path.join(here, 'results'), models: null, threads: undefined, coalesceMs: 0 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') plan.quick = true;
    else if (a === '--no-llama-cpp') plan.llamaCpp = false;
    else if (a === '--only') plan.parts = new Set(value().split(',').map((x) => Number(x.trim())).filter((x) => x >= 1 && x <= 8));
    else if (a === '--rounds') plan.rounds = Math.max(1, Number(value()) || 1);
    else if (a === '--out') plan.out = path.resolve(value());
    else if (a === '--models') plan.models = value().split(',').map(squash).filter(Boolean);
    else if (a === '--threads') plan.threads = Math.max(1, Number(value()) || 1);
    else if (a === '--coalesce') plan.coalesceMs = Math.max(0, Number(value()) || 0);
    else if (a === '--help' || a === '-h') return USAGE;
    else throw new Error(`unknown option ${a}\n\n${USAGE}`);
  }
  if (!plan.rounds) plan.rounds = 3;
  return plan;
}

/** The libggml-cpu-<variant>.so node-llama-cpp loads on this CPU (llama.cpp's tools are pointed at it). */
async function cpuBackendOf(model: string): Promise<string | null> {
  const bare = await BareRunner.start(model, 1, 512);
  try {
    return bare.info.cpuBackend;
  } finally {
    await bare.close();
  }
}

export async function runBench(args: string[]): Promise<number> {
  let plan: Plan;
  try {
    const parsed = parseArgs(args);
    if (typeof parsed === 'string') {
      process.stdout.write(parsed);
      return 0;
    }
    plan = parsed;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  // Interrupted: llama-server would outlive us (the node children end with their IPC channel).
  const onSignal = () => {
    killLlamaServers();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const machine = machineInfo();
  const figures = new Figures();
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  const log = (s: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`);
  const q = plan.quick;
  console.log(`Qwen2 Desk benchmark (${q ? 'quick' : 'full'}) on ${machine.cpuModel}, ${machine.cores} cores; load average ${machine.loadAverage.toFixed(2)}`);
  if (plan.coalesceMs > 0) notes.push(`EXPERIMENT: the engine's deltas were merged (one message per ${plan.coalesceMs} ms at most) by a preload in the engine process: these are not the app's figures as it ships.`);
  if (machine.loadAverage > 0.5) notes.push(`Load average was ${machine.loadAverage.toFixed(2)} at the start: other work shared the CPU, so absolute figures are noisy (ratios are paired per round).`);

  // ---- models ----
  log('models: generating synthetic Qwen2 models (cached in .cache/models)');
  const spec = async (label: string, preset: 'tiny' | 'qwen2-0.5b' | 'qwen2-1.5b', type: 'q8_0' | 'q4_0'): Promise<ModelSpec> => ({
    label,
    file: await ensureSyntheticModel({ preset, arch: 'qwen2', type, seed: 1 }),
  });
  const speedModels: ModelSpec[] = q
    ? [await spec('tiny Q8_0', 'tiny', 'q8_0'), await spec('tiny Q4_0', 'tiny', 'q4_0')]
    : [
        await spec('0.5B Q8_0', 'qwen2-0.5b', 'q8_0'),
        await spec('0.5B Q4_0', 'qwen2-0.5b', 'q4_0'),
        // 1.5B: 3x the work per token; fewer tokens and rounds keep the full run near 20 minutes on 2 cores.
        { ...(await spec('1.5B Q8_0', 'qwen2-1.5b', 'q8_0')), decodeTokens: 48, prefillTokens: 256, rounds: Math.min(plan.rounds, 2) },
        { ...(await spec('1.5B Q4_0', 'qwen2-1.5b', 'q4_0')), decodeTokens: 48, prefillTokens: 256, rounds: Math.min(plan.rounds, 2) },
      ];
  const small = speedModels[q ? 0 : 1]!;
  const selected = plan.models ? speedModels.filter((m) => plan.models!.some((x) => squash(m.label).includes(x))) : speedModels; // 0.5B Q4_0 in a full run: the quickest real-shaped model

  // ---- llama.cpp's tools ----
  let tools: LlamaCppTools | null = null;
  let cpuBackend: string | null = null;
  if (plan.parts.has(1) && plan.llamaCpp) {
    tools = builtLlamaCpp();
    if (!tools && q) notes.push('Quick mode: llama.cpp tools are not built, so llama-bench / llama-server were skipped (a full run builds them once).');
    if (!tools && !q) {
      try {
        tools = buildLlamaCpp(log);
        details.llamaCppBuildSeconds = tools.buildSeconds;
      } catch (error) {
        notes.push(`llama.cpp tools could not be built: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}`);
      }
    }
    if (tools) {
      cpuBackend = await cpuBackendOf(speedModels[0]!.file);
      if (!cpuBackend) {
        notes.push(`Could not tell which CPU backend node-llama-cpp loads; llama.cpp tools skipped (look in ${prebuiltDir}).`);
        tools = null;
      } else notes.push(`llama.cpp tools built from node-llama-cpp's bundle (${tools.commit.slice(0, 10)}) with GGML_BACKEND_DL, running node-llama-cpp's own ${path.basename(cpuBackend)} (the one its process maps).`);
    }
  }

  let appThreads: number | null = null;
  const autoThreads = chooseThreads({ gpu: false }).threads;
  try {
    if (plan.parts.has(1)) {
      console.log('\n1 speed: the app path vs bare node-llama-cpp, llama-bench and llama-server');
      const app = await AppUnderTest.start({ threads: plan.threads, coalesceMs: plan.coalesceMs }); // default: the engine's automatic choice
      try {
        details.speed = await runThroughput(
          figures,
          app,
          selected,
          { decodeTokens: q ? 16 : 96, prefillTokens: q ? 64 : 512, rounds: q ? 1 : plan.rounds, tools, cpuBackend },
          notes,
          log,
        );
        appThreads = (await app.engineStatus()).threads;
      } finally {
        await app.close();
      }
    }
    if (plan.parts.has(2)) {
      console.log('\n2 threads: every thread count, and the automatic choice');
      details.threads = await runThreads(figures, small, { decodeTokens: q ? 16 : 64, prefillTokens: q ? 64 : 256, rounds: q ? 1 : plan.rounds, withApp: !q }, log);
      if (appThreads !== null) figures.add('2 threads', 'threads the app chose by itself (engine.status, part 1)', appThreads, '', null, appThreads === autoThreads ? 'same as chooseThreads' : `chooseThreads says ${autoThreads}`);
    }
    if (plan.parts.has(3)) {
      console.log('\n3 documents: time to first token on a long document');
      // An ~8K-token document at a 12288-token context: what the app's planner suggests for it
      // (document + passage headers + the 1,024-token answer reserve ≈ 9.5K, rounded up to 4K steps).
      details.documents = await runDocuments(figures, small, { documentTokens: q ? 1500 : 8000, contextSize: q ? 4096 : 12288, threads: plan.threads }, notes, log);
    }
    if (plan.parts.has(4)) {
      console.log('\n4 streaming: token latency and bytes per token');
      details.streaming = await runStreaming(figures, small, { tokens: q ? 16 : 64, longConversation: 1000, coalesceMs: plan.coalesceMs }, notes, log);
    }
    if (plan.parts.has(5)) {
      console.log('\n5 memory: planner estimate vs measured peak');
      details.memory = await runMemory(figures, small, [4096, 32768], undefined, log);
    }
    if (plan.parts.has(6)) {
      console.log('\n6 history: search and first screen');
      details.history = await runHistory(figures, { totalMessages: q ? 5000 : 100_000, longConversation: q ? 1000 : 10_000, searchRepeats: q ? 2 : 5 }, notes);
    }
    if (plan.parts.has(7)) {
      console.log('\n7 renderer: decode while the answer streams onto the page in Chromium');
      details.renderer = await runRenderer(figures, small, { tokens: q ? 32 : 300, rounds: q ? 1 : plan.rounds, threads: plan.threads }, log);
    }
    if (plan.parts.has(8)) {
      console.log('\n8 extract: documents read, split and indexed, by format and size');
      details.extract = await runExtract(figures, { smallMb: q ? 1 : 5 }, log);
    }
  } catch (error) {
    notes.push(`The run stopped early: ${(error as Error).stack ?? error}`);
    console.error(error);
  }

  const finished = Date.now();
  const run: RunRecord = {
    startedAt,
    finishedAt: new Date(finished).toISOString(),
    seconds: (finished - started) / 1000,
    mode: q ? 'quick' : 'full',
    machine,
    settings: { parts: [...plan.parts], rounds: plan.rounds, coalesceMs: plan.coalesceMs, threadsOption: plan.threads ?? null, contextSize: CONTEXT_SIZE, autoThreads, appThreads, llamaCpp: tools ? tools.commit : null, cpuBackend: cpuBackend ? path.basename(cpuBackend) : null, loadAverageAtEnd: os.loadavg()[0] },
    figures: figures.list,
    details,
    notes,
  };
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  const written = writeResults(plan.out, run);
  const misses = figures.list.filter((f) => f.verdict === 'MISS').length;
  console.log(`\nDone in ${run.seconds.toFixed(0)} s: ${figures.list.filter((f) => f.verdict === 'PASS').length} PASS, ${misses} MISS. Results: ${path.relative(process.cwd(), written.md)} (+ .json, ${path.basename(written.latest)})`);
  // A benchmark reports; it fails only when it could not run.
  return notes.some((n) => n.startsWith('The run stopped early')) ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const code = await runBench(process.argv.slice(2));
  process.exit(code);
}
