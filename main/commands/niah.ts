// `qwen2-desk niah MODEL --lengths … --depths … --samples N`: the long-context test (needle in a
// haystack) from the command line, through the same core, engine and SQLite runs as the app.
// Exit 0 when the run finished, 1 when it failed or was stopped, 2 on bad usage.
import fs from 'node:fs';
import path from 'node:path';
import type { AppEvent, LibraryModel, NiahCell, NiahEstimate, NiahRun, NiahRunDetail, NiahSpec } from '../../app/contract.js';
import { createCore, type Core } from '../../app/core.js';
import { BackendPreference } from '../../app/contract.js';
import { defaultDataDir } from '../../app/paths.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { FlagError, parseFlags } from '../flags.js';

export const NIAH_USAGE = `usage: qwen2-desk niah MODEL --lengths 1024,4096 [--depths 0,0.5,1] [--samples N] [--haystack FILE]
       [--lang en|zh] [--needles K] [--max-tokens N] [--seed S] [--data DIR] [--threads N] [--backend B] [--json]
  MODEL          a GGUF file (added to the library where it is) or a library model's name or id
  --lengths      prompt lengths in tokens, at most the largest context this machine allows for the model
  --depths       where the fact goes, 0 (start) to 1 (end); default 0,0.1,…,1
  --samples      documents per cell, 1 to 100 (default 1)
  --haystack     a document of your own instead of the built-in corpus (any type the app reads)
  --needles      facts per document, 1 to 5 (default 1: the passkey), each asked and counted on its own`;

const FLAGS = {
  lengths: 'string', depths: 'string', samples: 'number', haystack: 'string', lang: 'string', needles: 'number',
  'max-tokens': 'number', seed: 'number', data: 'string', threads: 'number', backend: 'string', json: 'boolean',
} as const;

const DEFAULT_DEPTHS = Array.from({ length: 11 }, (_, i) => i / 10);

/** A request the core refused: invalid_request is bad usage (exit 2), anything else a failure. */
class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Call = <T>(method: string, params: unknown) => Promise<T>;

export async function runNiahCommand(args: string[]): Promise<number> {
  const isPositional = (a: string, i: number) => !a.startsWith('--') && !(i > 0 && isValueFlag(args[i - 1]!));
  const positional = args.filter(isPositional);
  const flagArgs = args.filter((a, i) => !isPositional(a, i));
  const flags = parseFlags(flagArgs, FLAGS);
  if (positional.length !== 1) throw new FlagError(`qwen2-desk niah needs one MODEL.\n\n${NIAH_USAGE}`);
  if (!flags.lengths) throw new FlagError(`qwen2-desk niah needs --lengths.\n\n${NIAH_USAGE}`);
  if (flags.lang !== undefined && flags.lang !== 'en' && flags.lang !== 'zh') throw new FlagError('--lang must be en or zh.');
  const backend = flags.backend === undefined ? undefined : BackendPreference.safeParse(flags.backend);
  if (backend && !backend.success) throw new FlagError(`--backend must be one of ${BackendPreference.options.join(', ')}.`);
  const json = flags.json === true;
  const spec = {
    lengths: numbers('lengths', flags.lengths),
    depths: flags.depths ? numbers('depths', flags.depths) : DEFAULT_DEPTHS,
    samples: flags.samples ?? 1,
    ...(flags.lang ? { lang: flags.lang as 'en' | 'zh' } : {}),
    ...(flags.haystack ? { haystackFile: path.resolve(flags.haystack) } : {}),
    ...(flags.needles !== undefined ? { needles: flags.needles } : {}),
    ...(flags['max-tokens'] !== undefined ? { maxTokens: flags['max-tokens'] } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
  };

  const dataDir = flags.data ? path.resolve(flags.data) : defaultDataDir();
  const core = await createCore({
    dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(),
    ...(backend?.success ? { backend: backend.data } : {}), ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
  });
  const call: Call = async <T>(method: string, params: unknown) => {
    const response = await core.handle(method, params);
    if (!response.ok) throw new CallError(response.error.code, response.error.message);
    return response.result as T;
  };
  try {
    const modelPath = await findModel(call, positional[0]!);
    return await run(core, call, { modelPath, ...spec }, json);
  } catch (error) {
    if (error instanceof CallError) {
      process.stderr.write(`qwen2-desk niah: ${error.message}\n`);
      return error.code === 'invalid_request' ? 2 : 1;
    }
    throw error;
  } finally {
    await core.close();
  }
}

async function run(core: Core, call: Call, spec: NiahSpec, json: boolean): Promise<number> {
  const estimate = await call<NiahEstimate>('niah.estimate', spec);
  process.stderr.write(`${estimateLine(estimate)}\n`);
  let runId: string | null = null;
  // Every progress event is kept until the run's id is known (one may come before start() returns).
  const seen: Array<Extract<AppEvent, { type: 'niah.progress' }>> = [];
  let settle: ((e: Extract<AppEvent, { type: 'niah.progress' }>) => void) | null = null;
  const finished = new Promise<Extract<AppEvent, { type: 'niah.progress' }>>((resolve) => (settle = resolve));
  const show = (e: Extract<AppEvent, { type: 'niah.progress' }>) => {
    if (e.runId !== runId) return;
    if (!json && process.stderr.isTTY) process.stderr.write(`\r${e.done}/${e.total} answered, ${e.correct} correct${e.etaMs ? `, ${Math.ceil(e.etaMs / 1000)} s left` : ''}   `);
    if (e.status !== 'running') settle?.(e);
  };
  core.onEvent((e) => {
    if (e.type !== 'niah.progress') return;
    if (runId === null) seen.push(e);
    else show(e);
  });
  const stop = () => void (runId && call('niah.cancel', { id: runId }).catch(() => {}));
  process.once('SIGINT', stop);
  try {
    runId = (await call<NiahRun>('niah.start', spec)).id;
    seen.splice(0).forEach(show);
    const end = await finished;
    if (!json && process.stderr.isTTY) process.stderr.write('\n');
    const detail = await call<NiahRunDetail>('niah.get', { id: runId });
    process.stdout.write(json ? `${JSON.stringify(jsonOf(detail), null, 2)}\n` : table(detail));
    if (end.status !== 'done') process.stderr.write(`qwen2-desk niah: the run ${end.status === 'failed' ? `failed: ${end.error}` : 'was stopped'} (run ${runId}).\n`);
    return end.status === 'done' ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
  }
}

/** A file (added to the library where it is), else a library model by name, id or id prefix. */
async function findModel(call: Call, key: string): Promise<string> {
  if (fs.existsSync(key) && fs.statSync(key).isFile()) {
    return (await call<LibraryModel>('models.add', { path: path.resolve(key), mode: 'reference' })).path;
  }
  const models = await call<LibraryModel[]>('models.list', {});
  const found = models.filter((m) => m.id === key || m.name === key || m.name === `${key}.gguf` || (key.length >= 6 && m.id.startsWith(key)));
  if (found.length === 1) return found[0]!.path;
  if (found.length > 1) throw new CallError('failed', `"${key}" matches ${found.length} models; use a file path or the id.`);
  throw new CallError('not_found', `No model "${key}" in the library (see \`qwen2-desk models list\`), and no such file.`);
}

function isValueFlag(arg: string): boolean {
  const name = arg.startsWith('--') ? arg.slice(2) : '';
  return !name.includes('=') && name in FLAGS && FLAGS[name as keyof typeof FLAGS] !== 'boolean';
}

function numbers(flag: string, list: string): number[] {
  return list.split(',').map((s) => {
    const n = Number(s.trim());
    if (s.trim() === '' || !Number.isFinite(n)) throw new FlagError(`--${flag} takes numbers separated by commas, not "${list}".`);
    return n;
  });
}

function jsonOf(d: NiahRunDetail) {
  const several = d.plan.facts.length > 1;
  const cells = d.cells.map((c: NiahCell) => ({ length: c.length, depth: c.depth, correct: c.correct, total: c.total, ...(several ? { facts: c.facts } : {}) }));
  return { model: d.model, runId: d.id, status: d.status, settings: d.settings, plan: d.plan, cells, stats: d.stats };
}

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function estimateLine(e: NiahEstimate): string {
  return `${e.cells} cells, ${n(e.generations)} questions, about ${n(e.evaluatedTokens)} of ${n(e.promptTokens)} prompt tokens to evaluate ` +
    `at ${n(Math.round(e.prefillTokensPerSecond))} tokens/s: about ${Math.ceil(e.seconds)} s (context ${n(e.settings.contextSize)}).`;
}

function table(d: NiahRunDetail): string {
  const s = d.stats;
  const yarn = d.settings.yarn ? `YaRN x${d.settings.yarn.factor}` : 'YaRN off';
  const head = `${d.model.name}: ${d.correct} of ${d.done} answers correct (${pct(d.done ? d.correct / d.done : 0)}); context ${n(d.settings.contextSize)}, KV ${d.settings.kvType}, flash attention ${d.settings.flashAttention ? 'on' : 'off'}, ${yarn}`;
  const width = 9;
  const rows = [`${'length'.padEnd(width)}${d.plan.depths.map((x) => `${Math.round(x * 100)}%`.padStart(width)).join('')}`];
  for (const length of d.plan.lengths) {
    const cells = d.plan.depths.map((depth) => d.cells.find((c) => c.length === length && c.depth === depth));
    rows.push(`${String(length).padEnd(width)}${cells.map((c) => `${c?.correct ?? 0}/${c?.total ?? 0}`.padStart(width)).join('')}`);
  }
  const facts = d.plan.facts.length > 1 ? s.facts.map((f, i) => `  fact ${i + 1}: ${f.correct}/${f.total}  ${f.text}`) : [];
  const foot = `prompt tokens ${n(s.promptTokens)}, evaluated ${n(s.evaluatedTokens)} (${pct(s.reusedShare)} reused from the KV cache); ` +
    `${(s.elapsedMs / 1000).toFixed(1)} s (estimated ${s.estimatedSeconds} s)`;
  return `${[head, ...rows, ...facts, foot].join('\n')}\n`;
}
