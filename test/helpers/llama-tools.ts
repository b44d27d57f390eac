// GGUF files made the way official Qwen2 GGUFs are made: a synthetic F16 model (real tokenizer and
// metadata, pseudo-random weights) run through llama.cpp's own llama-quantize (Q4_K_M, Q5_K_M,
// Q6_K, IQ4_XS, ...) and llama-gguf-split. The tools are built once from the llama.cpp source
// node-llama-cpp ships (tools/llama-cpp/build.ts; `npm run build:llama-tools` before the test runner
// in CI); files are cached under $QWEN2_DESK_CACHE/llama-made (else .cache/llama-made), keyed by
// the tools' commit, and appear only by renaming a finished temporary folder.
//
// The synthetic model is the tiny preset widened to 256 (hidden, expert widths): K and IQ4_XS
// blocks hold 256 values, and llama-quantize falls back to Q5_0/Q8_0 for rows not a multiple of
// 256, so the tiny preset's 64-wide rows would contain no K-quant tensor at all.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashSeed, uniformFill } from '../../native/gguf/prng.js';
import { resolvePreset, type Arch, type ModelShape } from '../../native/gguf/presets.js';
import { modelMetadata } from '../../native/gguf/synth.js';
import { planTensors } from '../../native/gguf/tensor-plan.js';
import { loadQwen2Tokenizer, tokenizerMetadata } from '../../native/gguf/tokenizer-data.js';
import { writeGguf } from '../../native/gguf/writer.js';
import { buildLlamaCpp, builtLlamaCpp, toolEnv, type LlamaCppTools } from '../../tools/llama-cpp/build.js';
import { cpuBackendFile } from '../../tools/llama-cpp/cpu-backend.js';

/** llama-quantize type names (as `llama-quantize --help` lists them). */
export type LlamaQuant = 'Q4_K_M' | 'Q5_K_M' | 'Q6_K' | 'Q8_0' | 'IQ4_XS' | 'IQ4_NL';

export interface LlamaMadeOptions {
  arch: Arch;
  quant: LlamaQuant;
  /** Split with llama-gguf-split --split-max-tensors N (omit: one file). */
  splitMaxTensors?: number;
}

const FORMAT = 1;

function cacheBase(): string {
  return process.env.QWEN2_DESK_CACHE || path.join(path.resolve(import.meta.dirname, '..', '..'), '.cache');
}

/** The synthetic source model's shape: the tiny preset with 256-wide rows. */
export function wideTinyShape(arch: Arch): ModelShape {
  const shape = resolvePreset('tiny', { arch });
  Object.assign(shape, { hidden: 256, heads: 4, kvHeads: 2, headDim: 64, ffn: 512 });
  if (arch === 'qwen2moe') Object.assign(shape, { experts: 4, expertsUsed: 2, expertFfn: 256, sharedExpertFfn: 512 });
  return shape;
}

/** Waits (polling, no fixed sleep count) while another process holds `lock`; takes it over when its holder died. */
async function withLock<T>(lock: string, work: () => Promise<T> | T): Promise<T> {
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(fs.readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      let alive = pid > 0;
      try {
        if (pid > 0) process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (!alive && pid > 0) fs.rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

let tools: Promise<{ tools: LlamaCppTools; env: NodeJS.ProcessEnv }> | null = null;

/** llama.cpp's tools (built on first use, ~5 minutes on 2 cores) and the environment to run them in. */
export function llamaTools(): Promise<{ tools: LlamaCppTools; env: NodeJS.ProcessEnv }> {
  tools ??= (async () => {
    const built = builtLlamaCpp() ?? (await withLock(path.join(cacheBase(), 'llama.cpp.lock'), () => buildLlamaCpp()));
    const backend = cpuBackendFile();
    if (!backend) throw new Error("cannot tell which CPU backend node-llama-cpp loads (no /proc/self/maps?): llama.cpp's tools need it");
    return { tools: built, env: toolEnv(backend) };
  })();
  return tools;
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv): void {
  const r = spawnSync(bin, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${path.basename(bin)} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${tail}`);
  }
}

async function writeSource(arch: Arch, out: string): Promise<void> {
  const shape = wideTinyShape(arch);
  const tokenizer = await loadQwen2Tokenizer(shape.vocab);
  const metadata = [...modelMetadata(shape, 'f16', shape.nativeContext), ...tokenizerMetadata(tokenizer)];
  const tensors = planTensors(shape, 'f16').map((t) => ({
    name: t.name,
    dims: t.dims,
    type: t.type,
    data: t.init.kind === 'ones' ? (chunk: Float32Array) => chunk.fill(1) : uniformFill(hashSeed(1, t.name), t.init.amplitude),
  }));
  await writeGguf(out, metadata, tensors);
}

/**
 * The parts of a model made by llama.cpp's tools (one path for an unsplit file), made once and
 * cached: F16 source -> llama-quantize -> (llama-gguf-split).
 */
export async function llamaMadeModel(o: LlamaMadeOptions): Promise<string[]> {
  const { tools: t, env } = await llamaTools();
  const key = `v${FORMAT}-${t.commit.slice(0, 10)}-${o.arch}-wide-${o.quant}${o.splitMaxTensors ? `-split${o.splitMaxTensors}` : ''}`;
  const dir = path.join(cacheBase(), 'llama-made', key);
  const list = () => fs.readdirSync(dir).filter((n) => n.endsWith('.gguf')).sort().map((n) => path.join(dir, n));
  if (fs.existsSync(path.join(dir, 'done'))) return list();
  return withLock(`${dir}.lock`, async () => {
    if (fs.existsSync(path.join(dir, 'done'))) return list();
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const temp = fs.mkdtempSync(`${dir}.tmp-`);
    try {
      const source = path.join(temp, 'source-f16.gguf');
      await writeSource(o.arch, source);
      const quantized = path.join(temp, `${o.arch}-${o.quant}.gguf`);
      run(t.quantizeBin, [source, quantized, o.quant, String(os.availableParallelism())], env);
      fs.rmSync(source);
      const out = path.join(temp, 'out');
      fs.mkdirSync(out);
      if (o.splitMaxTensors) {
        run(t.splitBin, ['--split', '--split-max-tensors', String(o.splitMaxTensors), quantized, path.join(out, `${o.arch}-${o.quant}`)], env);
        fs.rmSync(quantized);
      } else fs.renameSync(quantized, path.join(out, path.basename(quantized)));
      fs.writeFileSync(path.join(out, 'done'), new Date().toISOString());
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(out, dir);
      return list();
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  });
}
