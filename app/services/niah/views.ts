// A stored run as the contract shows it: its counts and stats computed from the answers, its cells,
// its CSV.
import type { NiahRun, NiahRunDetail, NiahStats } from '../../contract.js';
import type { NiahRunRecord, NiahTrialRecord } from '../../store/niah.js';
import { cellsCsv, cellsOf } from './grid.js';

export function statsOf(run: NiahRunRecord, trials: readonly NiahTrialRecord[], extraElapsedMs = 0): NiahStats {
  let promptTokens = 0;
  let evaluatedTokens = 0;
  let prefillMs = 0;
  let answerTokens = 0;
  let longestPrompt = 0;
  const facts = run.plan.facts.map((f) => ({ text: f.text, correct: 0, total: 0 }));
  for (const t of trials) {
    promptTokens += t.promptTokens;
    evaluatedTokens += t.evaluatedTokens;
    prefillMs += t.ttftMs;
    answerTokens += t.answerTokens;
    longestPrompt = Math.max(longestPrompt, t.promptTokens);
    const fact = facts[t.fact];
    if (fact) {
      fact.total++;
      if (t.correct) fact.correct++;
    }
  }
  const reusedTokens = promptTokens - evaluatedTokens;
  return {
    promptTokens, evaluatedTokens, reusedTokens,
    reusedShare: promptTokens > 0 ? reusedTokens / promptTokens : 0,
    longestPrompt,
    generations: trials.length,
    prefillMs,
    prefillTokensPerSecond: prefillMs > 0 ? evaluatedTokens / (prefillMs / 1000) : 0,
    answerTokens,
    elapsedMs: run.elapsedMs + extraElapsedMs,
    estimatedSeconds: run.estimate.seconds,
    estimatedEvaluatedTokens: run.estimate.evaluatedTokens,
    facts,
  };
}

export function runView(run: NiahRunRecord, trials: readonly NiahTrialRecord[], extraElapsedMs = 0): NiahRun {
  return {
    id: run.id, status: run.status, error: run.error, model: run.model, settings: run.settings, plan: run.plan,
    done: trials.length, total: run.total, correct: trials.filter((t) => t.correct).length,
    stats: statsOf(run, trials, extraElapsedMs), createdAt: run.createdAt, updatedAt: run.updatedAt,
  };
}

/** The run with its cells (from every answer) and the answers asked for (all, or one cell's). */
export function runDetail(run: NiahRunRecord, all: readonly NiahTrialRecord[], shown: readonly NiahTrialRecord[], extraElapsedMs = 0): NiahRunDetail {
  const cells = cellsOf(run.plan.lengths, run.plan.depths, run.plan.facts.length, all);
  const trials = shown.map(({ answerTokens: _, ...t }) => t);
  return { ...runView(run, all, extraElapsedMs), cells, trials };
}

export function csvExport(run: NiahRunRecord, trials: readonly NiahTrialRecord[]): { fileName: string; csv: string } {
  const cells = cellsOf(run.plan.lengths, run.plan.depths, run.plan.facts.length, trials);
  const slug = run.model.name.replace(/\.gguf$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  const date = new Date(run.createdAt).toISOString().slice(0, 10);
  return { fileName: `niah-${slug}-${date}.csv`, csv: cellsCsv(cells) };
}
