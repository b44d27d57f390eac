// Part 5 — memory: the fit planner's estimate against the measured peak (VmHWM) of the engine
// process, at a 4K and a 32K context.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { EngineSupervisor } from '../../native/engine/main/supervisor.js';
import { readGgufHeader } from '../../native/gguf/reader.js';
import { memoryOf } from '../lib/proc.js';
import type { Figures } from '../lib/report.js';
import { SYSTEM_PROMPT, type ModelSpec } from './throughput.js';

const PART = '5 memory';
const here = path.dirname(fileURLToPath(import.meta.url));
const plannerFile = path.join(here, '..', '..', 'native', 'engine', 'main', 'memory-plan.ts');

export async function runMemory(figures: Figures, model: ModelSpec, contexts: number[], threads: number | undefined, log: (s: string) => void): Promise<Record<string, unknown>> {
  const details: Record<string, unknown> = {};
  let planFit: ((...args: unknown[]) => unknown) | null = null;
  let plannerProblem: string | null = null;
  if (fs.existsSync(plannerFile)) {
    try {
      const mod = (await import(pathToFileURL(plannerFile).href)) as { planFit?: (...args: unknown[]) => unknown };
      planFit = typeof mod.planFit === 'function' ? mod.planFit : null;
      if (!planFit) plannerProblem = 'native/engine/main/memory-plan.ts has no planFit export';
    } catch (error) {
      plannerProblem = `native/engine/main/memory-plan.ts did not load: ${(error as Error).message.split('\n')[0]}`;
    }
  } else plannerProblem = 'planner not available (native/engine/main/memory-plan.ts does not exist yet)';

  for (const contextSize of contexts) {
    log(`${model.label}: peak memory of the engine process at a ${contextSize}-token context`);
    const engine = new EngineSupervisor({ launcher: forkLauncher, entryFile: engineEntryFile(), backend: 'cpu', threads });
    let peak = NaN;
    try {
      const { outcome } = engine.generate({ modelPath: model.file, contextSize, systemPrompt: SYSTEM_PROMPT, messages: [{ role: 'user', content: 'Hello' }], sampling: { maxTokens: 4, temperature: 0 }, onDelta: () => {} });
      const r = await outcome;
      if (r.kind !== 'done') throw new Error(r.message);
      peak = memoryOf(engine.pid!).peakBytes;
    } finally {
      await engine.dispose();
    }
    let estimate: number | null = null;
    let why = plannerProblem;
    if (planFit) {
      try {
        // The planner's input as the app will build it: the GGUF header, the engine's defaults
        // (f16 KV cache; flash attention 'auto', which llama.cpp turns on for the CPU backend),
        // and how this CPU lays out weights (native/engine/process/probe.ts).
        const header = await readGgufHeader(model.file);
        const layout = await cpuWeightLayout();
        const plan = (await planFit({
          summary: header.summary,
          tensors: header.tensors,
          contextSize,
          kvType: 'f16',
          flashAttention: true,
          backend: 'cpu',
          freeRamBytes: os.freemem(),
          freeVramBytes: 0,
          totalRamBytes: os.totalmem(),
          cpuWeightLayout: layout,
        })) as { totalBytes?: number };
        if (typeof plan?.totalBytes === 'number') estimate = plan.totalBytes;
        else why = `planFit returned no totalBytes: ${JSON.stringify(plan).slice(0, 120)}`;
      } catch (error) {
        why = `planFit failed: ${(error as Error).message.split('\n')[0]}`;
      }
    }
    const mib = (b: number) => b / 2 ** 20;
    figures.add(PART, `${model.label}, ${contextSize / 1024}K context: measured peak of the engine process (VmHWM)`, mib(peak), 'MiB', null);
    if (estimate !== null) figures.add(PART, `${model.label}, ${contextSize / 1024}K context: planner estimate / measured peak`, estimate / peak, '×', { text: 'within 15 % (0.85–1.15)', ok: (v) => v >= 0.85 && v <= 1.15 }, `estimate ${mib(estimate).toFixed(0)} MiB`);
    else figures.missing(PART, `${model.label}, ${contextSize / 1024}K context: planner estimate vs measured`, why ?? 'planner not available');
    details[contextSize] = { peakBytes: peak, estimateBytes: estimate };
  }
  return details;
}

async function cpuWeightLayout(): Promise<string | undefined> {
  try {
    const probe = (await import('../../native/engine/process/probe.js')) as { detectCpuWeightLayout?: () => string };
    return probe.detectCpuWeightLayout?.();
  } catch {
    return undefined;
  }
}
