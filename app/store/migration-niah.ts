// Schema step for the long-context test's runs: one row per run (the model and its settings as
// loaded, the plan, its status), one row per question asked (the answer and the engine's counts).
// Listed in migrations.ts; like every step there, never edit it once shipped.
import type { Database } from 'better-sqlite3';

export const niahMigration = {
  description: 'long-context test runs and their answers',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE niah_runs (
        id          TEXT PRIMARY KEY,
        model_path  TEXT NOT NULL,
        model       TEXT NOT NULL, -- JSON: name, architecture, quantisation, native context
        settings    TEXT NOT NULL, -- JSON: context, KV type, flash attention, YaRN, answer tokens
        plan        TEXT NOT NULL, -- JSON: lengths, depths, samples, haystack, facts, seed
        estimate    TEXT NOT NULL, -- JSON: estimated seconds and evaluated tokens at the start
        status      TEXT NOT NULL,
        error       TEXT,
        total       INTEGER NOT NULL,
        elapsed_ms  REAL NOT NULL DEFAULT 0,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE TABLE niah_trials (
        run_id           TEXT NOT NULL REFERENCES niah_runs(id) ON DELETE CASCADE,
        seq              INTEGER NOT NULL,
        length           INTEGER NOT NULL,
        depth            REAL NOT NULL,
        sample           INTEGER NOT NULL,
        fact             INTEGER NOT NULL,
        fact_depth       REAL NOT NULL,
        expected         TEXT NOT NULL,
        answer           TEXT NOT NULL,
        correct          INTEGER NOT NULL,
        prompt_tokens    INTEGER NOT NULL,
        evaluated_tokens INTEGER NOT NULL,
        answer_tokens    INTEGER NOT NULL,
        ttft_ms          REAL NOT NULL,
        created_at       INTEGER NOT NULL,
        PRIMARY KEY (run_id, seq)
      );
    `);
  },
};
