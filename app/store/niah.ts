// Rows of the long-context test: runs (model, settings, plan, status, time spent) and the answer to
// every question asked. Aggregates (cells, counts, stats) are computed from the answers when read.
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { NiahPlan, NiahRun, NiahSettings, NiahStatus, NiahTrial } from '../contract.js';

const STATUSES: readonly NiahStatus[] = ['running', 'done', 'cancelled', 'failed', 'interrupted'];

export interface NiahRunRecord {
  id: string;
  model: NiahRun['model'];
  settings: NiahSettings;
  plan: NiahPlan;
  estimate: { seconds: number; evaluatedTokens: number };
  status: NiahStatus;
  error: string | null;
  total: number;
  elapsedMs: number;
  createdAt: number;
  updatedAt: number;
}

export type NewNiahRun = Pick<NiahRunRecord, 'model' | 'settings' | 'plan' | 'estimate' | 'total'>;

interface RunRow {
  id: string;
  model: string;
  settings: string;
  plan: string;
  estimate: string;
  status: string;
  error: string | null;
  total: number;
  elapsed_ms: number;
  created_at: number;
  updated_at: number;
}

interface TrialRow {
  seq: number;
  length: number;
  depth: number;
  sample: number;
  fact: number;
  fact_depth: number;
  expected: string;
  answer: string;
  correct: number;
  prompt_tokens: number;
  evaluated_tokens: number;
  answer_tokens: number;
  ttft_ms: number;
}

export type NiahTrialRecord = NiahTrial & { answerTokens: number };

const toRun = (r: RunRow): NiahRunRecord => ({
  id: r.id,
  model: JSON.parse(r.model) as NiahRun['model'],
  settings: JSON.parse(r.settings) as NiahSettings,
  plan: JSON.parse(r.plan) as NiahPlan,
  estimate: JSON.parse(r.estimate) as NiahRunRecord['estimate'],
  // An unknown status (a hand-edited row) reads as interrupted: it can be resumed or deleted.
  status: (STATUSES as string[]).includes(r.status) ? (r.status as NiahStatus) : 'interrupted',
  error: r.error,
  total: r.total,
  elapsedMs: r.elapsed_ms,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toTrial = (r: TrialRow): NiahTrialRecord => ({
  seq: r.seq, length: r.length, depth: r.depth, sample: r.sample, fact: r.fact, factDepth: r.fact_depth,
  expected: r.expected, answer: r.answer, correct: r.correct === 1,
  promptTokens: r.prompt_tokens, evaluatedTokens: r.evaluated_tokens, answerTokens: r.answer_tokens, ttftMs: r.ttft_ms,
});

export function createNiahRuns(db: Database) {
  const insertRun = db.prepare(
    `INSERT INTO niah_runs (id, model_path, model, settings, plan, estimate, status, error, total, elapsed_ms, created_at, updated_at)
     VALUES (@id, @modelPath, @model, @settings, @plan, @estimate, 'running', NULL, @total, 0, @now, @now)`,
  );
  const getRun = db.prepare('SELECT * FROM niah_runs WHERE id = ?');
  const listRuns = db.prepare('SELECT * FROM niah_runs ORDER BY created_at DESC, id');
  const setStatus = db.prepare('UPDATE niah_runs SET status = ?, error = ?, updated_at = ? WHERE id = ?');
  const addElapsed = db.prepare('UPDATE niah_runs SET elapsed_ms = elapsed_ms + ?, updated_at = ? WHERE id = ?');
  const setEstimate = db.prepare('UPDATE niah_runs SET estimate = ? WHERE id = ?');
  const interrupt = db.prepare("UPDATE niah_runs SET status = 'interrupted', updated_at = ? WHERE status = 'running'");
  const deleteRun = db.prepare('DELETE FROM niah_runs WHERE id = ?');
  const insertTrial = db.prepare(
    `INSERT OR REPLACE INTO niah_trials (run_id, seq, length, depth, sample, fact, fact_depth, expected, answer, correct,
       prompt_tokens, evaluated_tokens, answer_tokens, ttft_ms, created_at)
     VALUES (@runId, @seq, @length, @depth, @sample, @fact, @factDepth, @expected, @answer, @correct,
       @promptTokens, @evaluatedTokens, @answerTokens, @ttftMs, @now)`,
  );
  const trialsOf = db.prepare('SELECT * FROM niah_trials WHERE run_id = ? ORDER BY seq');
  const cellTrials = db.prepare('SELECT * FROM niah_trials WHERE run_id = ? AND length = ? AND depth = ? ORDER BY seq');
  const seqsOf = db.prepare('SELECT seq FROM niah_trials WHERE run_id = ?');

  return {
    create(run: NewNiahRun): NiahRunRecord {
      const id = randomUUID();
      insertRun.run({
        id, modelPath: run.model.path, model: JSON.stringify(run.model), settings: JSON.stringify(run.settings),
        plan: JSON.stringify(run.plan), estimate: JSON.stringify(run.estimate), total: run.total, now: Date.now(),
      });
      return this.get(id)!;
    },
    get(id: string): NiahRunRecord | null {
      const row = getRun.get(id) as RunRow | undefined;
      return row ? toRun(row) : null;
    },
    list(): NiahRunRecord[] {
      return (listRuns.all() as RunRow[]).map(toRun);
    },
    setStatus(id: string, status: NiahStatus, error: string | null = null): void {
      setStatus.run(status, error, Date.now(), id);
    },
    setEstimate(id: string, estimate: NiahRunRecord['estimate']): void {
      setEstimate.run(JSON.stringify(estimate), id);
    },
    addElapsed(id: string, ms: number): void {
      addElapsed.run(ms, Date.now(), id);
    },
    /** Runs that were going when the app stopped: they can be resumed. */
    markRunningAsInterrupted(): number {
      return interrupt.run(Date.now()).changes;
    },
    delete(id: string): boolean {
      return deleteRun.run(id).changes > 0;
    },
    addTrial(runId: string, t: NiahTrialRecord): void {
      insertTrial.run({ runId, ...t, correct: t.correct ? 1 : 0, now: Date.now() });
    },
    trials(runId: string, cell?: { length: number; depth: number }): NiahTrialRecord[] {
      const rows = cell ? cellTrials.all(runId, cell.length, cell.depth) : trialsOf.all(runId);
      return (rows as TrialRow[]).map(toTrial);
    },
    /** The positions already answered, for resuming. */
    answered(runId: string): Set<number> {
      return new Set((seqsOf.all(runId) as { seq: number }[]).map((r) => r.seq));
    },
  };
}

export type NiahRuns = ReturnType<typeof createNiahRuns>;
