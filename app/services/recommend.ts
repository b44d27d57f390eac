// Which one catalogue file this computer should start with. Pure: the inputs are stable facts about
// the machine (total memory, not the momentary free memory; core count; a memory-bandwidth figure
// measured once, see machine-speed.ts) and the shapes of the files, so the answer is the same on
// every page load.
//
// Memory: each file is planned with native/engine/main/memory-plan.ts at a 32K context (else 8K) against
// a budget of the total memory less what the system and other programs keep (a quarter of the RAM,
// at least 2 GiB; 512 MiB of VRAM for the display).
//
// Speed: decoding one token reads every weight that takes part in it once, so it is memory-bound:
//   tokens/s ≈ effective bandwidth / bytes read per token,
// where the bytes per token are the weights' size for a dense model and, for the MoE model, the
// shared weights plus the routed experts' share (expertsUsed / experts) of the expert tensors. The
// token embedding is read one row per token (unless it doubles as the output matrix). On the CPU the
// cores can also be the limit: 2 FLOPs per active parameter per token at CPU_FLOPS_PER_CORE. Layers
// split between GPU and CPU add their times. Calibration (bench/results, 2-core Sapphire Rapids,
// llama-bench): 1.5B Q4_0 28 tokens/s, 1.5B Q8_0 15 tokens/s, about 25 GB/s read per token.
//
// The choice: among the sensible quantisations (Q8_0, Q6_K, Q5_K_M, Q4_K_M) that fit and reach
// MIN_TOKENS_PER_SECOND, files that run in one place before GPU+CPU splits, then the model with most
// parameters, then the larger context, then the best quality that still reaches GOOD_TOKENS_PER_SECOND
// (else the fastest of them). Only when none of those reaches the minimum is the fastest one that
// fits recommended ('slow'); only when none of them fits at all is a legacy or sub-4-bit file
// considered ('low-bits' below Q4).
import type { Recommendation } from '../contract.js';
import { planFit, type PlanBackend } from '../../native/engine/main/memory-plan.js';
import type { PlanSummary, PlanTensor } from '../../native/engine/main/memory-sizes.js';
import type { CpuWeightLayout } from '../../native/engine/shared/types.js';

export const MIN_TOKENS_PER_SECOND = 8;
export const GOOD_TOKENS_PER_SECOND = 15;
/** Quantised matrix-vector throughput of one CPU core (AVX2 / NEON dot products), FLOP/s. */
export const CPU_FLOPS_PER_CORE = 40e9;
/** A GPU spends a little time per token whatever the model (kernel launches, sampling). */
export const GPU_MAX_TOKENS_PER_SECOND = 250;
export const CONTEXTS = [32768, 8192] as const;
/** Best quality first. */
export const PREFERRED_QUANTS = ['q8_0', 'q6_k', 'q5_k_m', 'q4_k_m'] as const;
/** Considered only when no preferred file fits at all; below Q4 is flagged. */
export const FALLBACK_QUANTS = ['q4_0', 'q3_k_m', 'q2_k'] as const;
const BELOW_Q4 = new Set(['q3_k_m', 'q2_k']);

const GiB = 1024 ** 3;

/** Stable facts about this computer. */
export interface MachineFacts {
  backend: PlanBackend;
  totalRam: number;
  /** All GPUs together; 0 without a usable GPU. */
  totalVram: number;
  cpuCores: number;
  cpuWeightLayout?: CpuWeightLayout;
  /** Bytes/s that decode can read from RAM (measured). */
  cpuBandwidth: number;
  /** Bytes/s that decode can read from VRAM; null without a GPU. */
  gpuBandwidth: number | null;
}

export interface RecommendCandidate {
  entryId: string;
  parameters: number;
  activeParameters: number;
  fileName: string;
  quant: string;
  summary: PlanSummary;
  tensors: readonly PlanTensor[];
}

export interface Recommended extends Recommendation {
  entryId: string;
}

export const ramBudget = (totalRam: number): number => Math.max(0, totalRam - Math.max(2 * GiB, totalRam / 4));
export const vramBudget = (totalVram: number): number => Math.max(0, totalVram - 512 * 1024 ** 2);

/** Bytes of weights read to decode one token. */
export function bytesPerToken(summary: PlanSummary, tensors: readonly PlanTensor[]): number {
  const hasOutput = tensors.some((t) => t.name === 'output.weight');
  const share = summary.experts && summary.expertsUsed ? summary.expertsUsed / summary.experts : 1;
  let bytes = 0;
  for (const t of tensors) {
    if (t.name === 'token_embd.weight' && hasOutput) bytes += t.bytes / Math.max(1, t.dims[1] ?? 1);
    else if (/_exps\.weight$/.test(t.name)) bytes += t.bytes * share;
    else bytes += t.bytes;
  }
  return bytes;
}

interface Option {
  c: RecommendCandidate;
  placement: Recommendation['placement'];
  contextSize: number;
  tokensPerSecond: number;
}

/** Tokens/s of a file placed this way (gpuShare: the fraction of its layers on the GPU). */
export function estimateTokensPerSecond(m: MachineFacts, bytes: number, activeParameters: number, gpuShare: number): number {
  const cpuSeconds = Math.max(bytes / Math.max(1, m.cpuBandwidth), (2 * activeParameters) / (CPU_FLOPS_PER_CORE * Math.max(1, m.cpuCores)));
  const gpuSeconds = m.gpuBandwidth ? Math.max(bytes / m.gpuBandwidth, 1 / GPU_MAX_TOKENS_PER_SECOND) : Infinity;
  const seconds = gpuShare >= 1 ? gpuSeconds : gpuShare <= 0 ? cpuSeconds : gpuShare * gpuSeconds + (1 - gpuShare) * cpuSeconds;
  return 1 / seconds;
}

function optionsFor(c: RecommendCandidate, m: MachineFacts): Option[] {
  const gpu = m.backend !== 'cpu' && m.totalVram > 0 && m.gpuBandwidth !== null;
  const bytes = bytesPerToken(c.summary, c.tensors);
  const out: Option[] = [];
  for (const contextSize of CONTEXTS) {
    const plan = planFit({
      summary: c.summary, tensors: c.tensors, contextSize, kvType: 'f16', flashAttention: true,
      backend: gpu ? m.backend : 'cpu', freeRamBytes: ramBudget(m.totalRam), freeVramBytes: gpu ? vramBudget(m.totalVram) : 0,
      totalRamBytes: m.totalRam, cpuWeightLayout: m.cpuWeightLayout ?? 'plain',
    });
    if (plan.verdict === 'does-not-fit') continue;
    const share = plan.verdict === 'gpu' ? 1 : plan.verdict === 'split' ? Math.min(1, plan.gpuLayers / (c.summary.layers + 1)) : 0;
    out.push({ c, placement: plan.verdict, contextSize, tokensPerSecond: estimateTokensPerSecond(m, bytes, c.activeParameters, share) });
  }
  return out;
}

const rank = (list: readonly string[], q: string) => list.indexOf(q);
/** Deterministic order for ties: file name. */
const byName = (a: Option, b: Option) => a.c.fileName.localeCompare(b.c.fileName);

function pickFrom(usable: Option[]): Option {
  const whole = usable.filter((o) => o.placement !== 'split');
  const pool = whole.length > 0 ? whole : usable;
  const params = Math.max(...pool.map((o) => o.c.parameters));
  const ofModel = pool.filter((o) => o.c.parameters === params);
  const context = Math.max(...ofModel.map((o) => o.contextSize));
  const files = ofModel.filter((o) => o.contextSize === context);
  const good = files.filter((o) => o.tokensPerSecond >= GOOD_TOKENS_PER_SECOND);
  if (good.length > 0) return [...good].sort((a, b) => rank(PREFERRED_QUANTS, a.c.quant) - rank(PREFERRED_QUANTS, b.c.quant) || byName(a, b))[0]!;
  return [...files].sort((a, b) => b.tokensPerSecond - a.tokensPerSecond || byName(a, b))[0]!;
}

/** The one file to recommend, or null when nothing fits this computer's memory. */
export function recommend(candidates: readonly RecommendCandidate[], machine: MachineFacts): Recommended | null {
  const all = candidates.flatMap((c) => optionsFor(c, machine));
  const preferred = all.filter((o) => rank(PREFERRED_QUANTS, o.c.quant) >= 0);
  const usable = preferred.filter((o) => o.tokensPerSecond >= MIN_TOKENS_PER_SECOND);
  let pick: Option | undefined;
  let compromise: Recommendation['compromise'] = 'none';
  if (usable.length > 0) pick = pickFrom(usable);
  else if (preferred.length > 0) {
    pick = [...preferred].sort((a, b) => b.tokensPerSecond - a.tokensPerSecond || b.contextSize - a.contextSize || byName(a, b))[0];
    compromise = 'slow';
  } else {
    const fallback = all.filter((o) => rank(FALLBACK_QUANTS, o.c.quant) >= 0);
    const fast = fallback.filter((o) => o.tokensPerSecond >= MIN_TOKENS_PER_SECOND);
    pick = fast.length > 0
      ? [...fast].sort((a, b) => rank(FALLBACK_QUANTS, a.c.quant) - rank(FALLBACK_QUANTS, b.c.quant) || b.c.parameters - a.c.parameters || b.contextSize - a.contextSize || byName(a, b))[0]
      : [...fallback].sort((a, b) => b.tokensPerSecond - a.tokensPerSecond || byName(a, b))[0];
    if (pick) compromise = BELOW_Q4.has(pick.c.quant) ? 'low-bits' : fast.length > 0 ? 'none' : 'slow';
  }
  if (!pick) return null;
  return {
    entryId: pick.c.entryId,
    fileName: pick.c.fileName,
    quant: pick.c.quant,
    placement: pick.placement,
    contextSize: pick.contextSize,
    tokensPerSecond: Math.round(pick.tokensPerSecond * 10) / 10,
    compromise,
  };
}
