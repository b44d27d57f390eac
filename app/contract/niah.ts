// The long-context test ("needle in a haystack", the Qwen2 report's Figure 1) for a library model:
// a grid of prompt lengths × needle depths, N samples per cell, with one to five facts (needles)
// per document; runs are kept with the model's settings and every answer.
import { z } from 'zod';
import type { KvCacheType } from './models.js';
import { Id, ModelPath, NoParams } from './common.js';
import { method, returns } from './method.js';

export const NIAH_MAX_SAMPLES = 100;
export const NIAH_MAX_NEEDLES = 5;
/** Shortest length of the grid: the prompt's instruction and question alone take ~80 tokens. */
export const NIAH_MIN_LENGTH = 128;

export const NiahLanguage = z.enum(['en', 'zh']);
export type NiahLanguage = z.infer<typeof NiahLanguage>;

/**
 * One fact put into the document and asked about. `{key}` in text, question or answer is replaced by
 * a random 5-digit key per sample; without an answer the answer is the key (so the text needs `{key}`).
 */
export const NiahFact = z
  .object({
    text: z.string().trim().min(1).max(2000),
    question: z.string().trim().min(1).max(2000),
    answer: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((f) => f.answer !== undefined || f.text.includes('{key}'), { message: 'a fact needs an answer, or {key} in its text' });
export type NiahFact = z.infer<typeof NiahFact>;

/** What to test: the grid, the haystack and the facts. */
export const NiahSpec = z
  .object({
    modelPath: ModelPath,
    /** Prompt lengths in tokens (the whole rendered prompt is at most this long). */
    lengths: z.array(z.number().int().min(NIAH_MIN_LENGTH).max(131072)).min(1).max(32),
    /** Where the (first) fact goes: 0 = the document's start, 1 = its end. */
    depths: z.array(z.number().min(0).max(1)).min(1).max(101),
    samples: z.number().int().min(1).max(NIAH_MAX_SAMPLES),
    /** The built-in corpus's language, and of the default facts (default en). */
    lang: NiahLanguage.optional(),
    /** A document to use as the haystack instead of the built-in corpus (any type the app reads). */
    haystackFile: z.string().min(1).max(4096).optional(),
    /** How many default passkey facts (1–5; default 1); ignored when `facts` is given. */
    needles: z.number().int().min(1).max(NIAH_MAX_NEEDLES).optional(),
    /** Facts of one's own (1–5), instead of the passkey. */
    facts: z.array(NiahFact).min(1).max(NIAH_MAX_NEEDLES).optional(),
    /** Answer tokens per question (greedy); default 24. */
    maxTokens: z.number().int().min(1).max(256).optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  })
  .strict();
export type NiahSpec = z.infer<typeof NiahSpec>;

/** The run's settings as the engine loads the model for it. */
export interface NiahSettings {
  contextSize: number;
  kvType: KvCacheType;
  flashAttention: boolean;
  /** YaRN as applied at this context (null: plain RoPE, the context is within the native one). */
  yarn: { factor: number; originalContext: number } | null;
  maxTokens: number;
  /** The largest prompt length this model and machine allow. */
  largestLength: number;
}

/** The spec as the run uses it: defaults filled in, lengths and depths sorted without repeats. */
export interface NiahPlan {
  lengths: number[];
  depths: number[];
  samples: number;
  lang: NiahLanguage;
  haystack: { kind: 'corpus'; name: string } | { kind: 'file'; path: string; name: string; sha256: string };
  /** The facts with `{key}` still in them; with the default passkey, those of `lang`. */
  facts: Array<{ text: string; question: string; answer: string }>;
  seed: number;
}

export interface NiahEstimate {
  cells: number;
  /** Documents built (cells × samples). */
  trials: number;
  /** Questions asked (trials × facts). */
  generations: number;
  /** Every prompt's tokens added up, as if nothing were reused. */
  promptTokens: number;
  /** What is left to evaluate when each document reuses the prefix the previous one shares with it. */
  evaluatedTokens: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  /** 'measured': a short evaluation just now; 'previous': this model's last measurement in this session. */
  speedFrom: 'measured' | 'previous';
  seconds: number;
  settings: NiahSettings;
}

export interface NiahCell {
  length: number;
  depth: number;
  /** Facts answered correctly, of `total` questions (samples × facts). */
  correct: number;
  total: number;
  /** Per fact (in the order of the plan's facts): correct of total. */
  facts: Array<{ correct: number; total: number }>;
}

export interface NiahStats {
  /** Every prompt's tokens (what a run without any reuse would evaluate). */
  promptTokens: number;
  /** Tokens the engine actually evaluated (its own count per generation). */
  evaluatedTokens: number;
  /** promptTokens − evaluatedTokens, and its share of promptTokens. */
  reusedTokens: number;
  reusedShare: number;
  /** The longest prompt of each length, from the engine (never above the length). */
  longestPrompt: number;
  generations: number;
  /** Sum of the times to first token, and evaluated tokens per second over them. */
  prefillMs: number;
  prefillTokensPerSecond: number;
  answerTokens: number;
  /** Wall time of the run so far (all its sittings). */
  elapsedMs: number;
  /** The estimate made when it started. */
  estimatedSeconds: number;
  estimatedEvaluatedTokens: number;
  /** Recall per fact over the whole run. */
  facts: Array<{ text: string; correct: number; total: number }>;
}

export type NiahStatus = 'running' | 'done' | 'cancelled' | 'failed' | 'interrupted';

export interface NiahRun {
  id: string;
  status: NiahStatus;
  error: string | null;
  model: { path: string; name: string; architecture: string | null; quantisation: string | null; nativeContext: number | null };
  settings: NiahSettings;
  plan: NiahPlan;
  done: number;
  total: number;
  correct: number;
  stats: NiahStats;
  createdAt: number;
  updatedAt: number;
}

/** One question of one document. */
export interface NiahTrial {
  seq: number;
  length: number;
  depth: number;
  sample: number;
  /** Index into the plan's facts, and where that fact sat. */
  fact: number;
  factDepth: number;
  expected: string;
  answer: string;
  correct: boolean;
  promptTokens: number;
  evaluatedTokens: number;
  ttftMs: number;
}

export interface NiahRunDetail extends NiahRun {
  cells: NiahCell[];
  trials: NiahTrial[];
}

export const niahRequests = {
  /** The grid's size and time before it starts (loads the model and measures the prefill speed once). */
  'niah.estimate': method(NiahSpec, returns<NiahEstimate>()),
  /** Starts a run in the background; 'niah.progress' events follow, the last with its final status. */
  'niah.start': method(NiahSpec, returns<NiahRun>()),
  'niah.cancel': method(z.object({ id: Id }).strict(), returns<NiahRun>()),
  /** Goes on with a cancelled, failed or interrupted run, skipping the questions already answered. */
  'niah.resume': method(z.object({ id: Id }).strict(), returns<NiahRun>()),
  'niah.list': method(NoParams, returns<NiahRun[]>()),
  /** A run with its cells and answers (only one cell's answers with length and depth). */
  'niah.get': method(z.object({ id: Id, length: z.number().int().optional(), depth: z.number().optional() }).strict(), returns<NiahRunDetail>()),
  'niah.delete': method(z.object({ id: Id }).strict(), returns<{ deleted: true }>()),
  /** The cells as CSV: length, depth, correct, total (and per fact with several facts). */
  'niah.exportCsv': method(z.object({ id: Id }).strict(), returns<{ fileName: string; csv: string }>()),
} as const;

export type NiahEvent =
  /** A run's progress (throttled); the last one of a sitting has status done, cancelled or failed. */
  { type: 'niah.progress'; runId: string; status: NiahStatus; done: number; total: number; correct: number; etaMs: number | null; error: string | null };
