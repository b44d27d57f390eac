// How fast this computer reads memory, for the recommendation's speed estimate (recommend.ts).
// RAM: measured once per machine by timing a copy of PROBE_BYTES in this process (best of a few
// tries; a copy reads and writes each byte, so the traffic is twice its size), and kept in the
// settings so later starts do not redo it. A different machine (another CPU, core count or RAM size,
// e.g. a data folder moved) is measured again. VRAM: the card's published memory speed where its
// name is known, else an assumed figure; both scaled by the share decode reaches in practice.
import os from 'node:os';
import type { MachineSpeed } from '../contract.js';
import type { EngineProbe } from '../engine-types.js';
import { MIN_TOKENS_PER_SECOND, type MachineFacts } from './recommend.js';

export const PROBE_BYTES = 128 * 1024 * 1024;
const TRIES = 4;
const SETTINGS_KEY = 'machine.memorySpeed';
/** Decode reaches about this share of a GPU's published bandwidth. */
const GPU_EFFICIENCY = 0.7;
/** An unknown discrete card: a modest one (GB/s). */
const ASSUMED_GPU_GBS = 200;

export interface SettingsLike {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** Published memory bandwidth in GB/s, by GPU name (most specific first). */
const GPU_TABLE: ReadonlyArray<[RegExp, number]> = [
  [/\bh200\b/, 4800], [/\bh100\b.*(sxm|hbm3)/, 3350], [/\bh100\b/, 2000], [/\bgh200\b/, 4000],
  [/\ba100\b.*80/, 2039], [/\ba100\b/, 1555], [/\bl40s?\b/, 864], [/\bl4\b/, 300], [/\ba10g?\b/, 600], [/\bt4\b/, 320], [/\bv100\b/, 900],
  [/rtx 6000 ada/, 960], [/\ba6000\b/, 768],
  [/rtx 5090/, 1792], [/rtx 5080/, 960], [/rtx 5070 ti/, 896], [/rtx 5070/, 672], [/rtx 5060/, 448],
  [/rtx 4090/, 1008], [/rtx 4080/, 717], [/rtx 4070 ti/, 504], [/rtx 4070/, 504], [/rtx 4060 ti/, 288], [/rtx 4060/, 272],
  [/rtx 3090/, 936], [/rtx 3080/, 760], [/rtx 3070/, 448], [/rtx 3060 ti/, 448], [/rtx 3060/, 360], [/rtx 3050/, 224],
  [/rtx 20[78]0/, 448], [/rtx 2060/, 336],
  [/rx 7900/, 960], [/rx 7800/, 624], [/rx 7700/, 432], [/rx 7600/, 288], [/rx 6[89]\d0/, 512], [/rx 6700/, 384],
  [/apple m[1-4] ultra/, 800], [/apple m4 max/, 546], [/apple m[1-3] max/, 400], [/apple m4 pro/, 273], [/apple m3 pro/, 150],
  [/apple m[12] pro/, 200], [/apple m4/, 120], [/apple m[23]/, 100], [/apple m1/, 68],
];

/** Bytes/s decode can read from the GPUs' memory, and how the figure was obtained. */
export function gpuBandwidthFor(names: readonly string[]): { bandwidth: number | null; method: MachineSpeed['gpuMethod'] } {
  if (names.length === 0) return { bandwidth: null, method: null };
  const known = names.map((n) => GPU_TABLE.find(([re]) => re.test(n.toLowerCase()))?.[1]);
  // Layers are spread over the cards and read one after another: the slowest card sets the pace.
  const gbs = known.every((k) => k !== undefined) ? Math.min(...(known as number[])) : ASSUMED_GPU_GBS;
  return { bandwidth: gbs * 1e9 * GPU_EFFICIENCY, method: known.every((k) => k !== undefined) ? 'gpu-model' : 'assumed' };
}

/** Copy traffic in bytes/s: the best of TRIES timed copies of `bytes` (pages touched beforehand). */
export function measureCopyBandwidth(bytes = PROBE_BYTES, tries = TRIES): number {
  const from = Buffer.alloc(bytes, 1);
  const to = Buffer.alloc(bytes, 2);
  let best = Infinity;
  for (let i = 0; i < tries; i++) {
    const start = process.hrtime.bigint();
    from.copy(to);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return (2 * bytes) / Math.max(best, 1e-6);
}

interface Stored {
  machine: string;
  cpuBandwidth: number;
  probeBytes: number;
  measuredAt: number;
}

/** This process's measurement, when the settings could not keep it. */
let lastMeasured: Stored | null = null;

const machineKey = () => `${os.cpus()[0]?.model ?? 'cpu'}|${os.availableParallelism()}|${Math.round(os.totalmem() / 2 ** 30)}GiB`;

/** The RAM figure: from the settings when this machine was measured before, else measured now and kept. */
export function cpuBandwidth(settings: SettingsLike, measure: () => number = measureCopyBandwidth): Stored {
  const machine = machineKey();
  const stored = settings.get(SETTINGS_KEY) as Partial<Stored> | undefined;
  if (stored && stored.machine === machine && typeof stored.cpuBandwidth === 'number' && stored.cpuBandwidth > 0 && typeof stored.measuredAt === 'number') {
    return { machine, cpuBandwidth: stored.cpuBandwidth, probeBytes: stored.probeBytes ?? PROBE_BYTES, measuredAt: stored.measuredAt };
  }
  if (lastMeasured?.machine === machine) return lastMeasured;
  const fresh: Stored = { machine, cpuBandwidth: measure(), probeBytes: PROBE_BYTES, measuredAt: Date.now() };
  try {
    settings.set(SETTINGS_KEY, fresh);
  } catch {
    // A read-only store (full disk): the figure stays in memory for this run.
    lastMeasured = fresh;
  }
  return fresh;
}

/** Everything the page shows about this computer's memory speed. */
export function machineSpeed(settings: SettingsLike, gpuNames: readonly string[], measure?: () => number): MachineSpeed {
  const cpu = cpuBandwidth(settings, measure);
  const gpu = gpuBandwidthFor(gpuNames);
  return {
    cpuBandwidth: cpu.cpuBandwidth, cpuMethod: 'copy-probe', cpuProbeBytes: cpu.probeBytes, cpuMeasuredAt: cpu.measuredAt,
    gpuBandwidth: gpu.bandwidth, gpuMethod: gpu.method, minTokensPerSecond: MIN_TOKENS_PER_SECOND,
  };
}

/** The stable facts the recommendation is made from (the probe's totals, never its free memory). */
export function machineFacts(probe: EngineProbe, speed: MachineSpeed, cpuCores = os.availableParallelism()): MachineFacts {
  const gpu = probe.backend !== 'cpu' && probe.gpus.length > 0;
  return {
    backend: probe.backend,
    totalRam: probe.totalRam,
    totalVram: gpu ? probe.gpus.reduce((sum, g) => sum + g.totalVram, 0) : 0,
    cpuCores,
    cpuWeightLayout: probe.cpuWeightLayout,
    cpuBandwidth: speed.cpuBandwidth,
    gpuBandwidth: gpu ? speed.gpuBandwidth : null,
  };
}
