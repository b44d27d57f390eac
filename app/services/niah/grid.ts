// The grid of a long-context run (pure): which questions are asked, in which order, what that order
// is expected to leave for the engine to evaluate, and the cells that come out of the answers.
//
// The order is what makes a large grid affordable: every depth of one length uses the same haystack,
// and the engine keeps the previous prompt's evaluation and evaluates only from the first token that
// differs, which is the first needle. So the documents of one length go from the deepest needle to the
// shallowest: each shares everything before its own needle with the one before it. The questions on
// one document (several facts) share the whole document and differ only in the question.
import type { NiahCell } from '../../contract.js';

export interface Generation {
  /** Position in the run's order (stored with the answer; a resumed run skips the ones it has). */
  seq: number;
  length: number;
  depth: number;
  sample: number;
  fact: number;
  /** Where each fact of this document sits (0..1), in fact order. */
  factDepths: number[];
}

/** Sorted without repeats. */
export const uniqueSorted = (values: readonly number[]): number[] => [...new Set(values)].sort((a, b) => a - b);

/**
 * Where the facts of a document whose cell depth is `depth` go: the first at that depth, the others
 * spread evenly after it, wrapping round to the start, so every cell tests the same spread of depths.
 */
export function factDepths(depth: number, count: number): number[] {
  return Array.from({ length: count }, (_, j) => {
    const d = depth + j / count;
    return Number((d > 1 ? d - 1 : d).toFixed(6));
  });
}

/** Every question of the grid in the order that reuses the most: lengths up, then depths down by their first needle. */
export function orderGrid(lengths: readonly number[], depths: readonly number[], samples: number, facts: number): Generation[] {
  const cells = uniqueSorted(depths).map((depth) => ({ depth, at: factDepths(depth, facts) }));
  cells.sort((a, b) => Math.min(...b.at) - Math.min(...a.at) || b.depth - a.depth);
  const out: Generation[] = [];
  for (const length of uniqueSorted(lengths)) {
    for (const cell of cells) {
      for (let sample = 0; sample < samples; sample++) {
        for (let fact = 0; fact < facts; fact++) out.push({ seq: out.length, length, depth: cell.depth, sample, fact, factDepths: cell.at });
      }
    }
  }
  return out;
}

export interface ReuseModel {
  /** Tokens before the document (system prompt, instruction, first passage header). */
  headTokens: number;
  /** Tokens after it (the question in its turn, the assistant's opening). */
  questionTokens: number;
}

/**
 * The tokens each question leaves to evaluate, by the order's reuse: a document's first question
 * evaluates from the first needle of it or of the one before (whichever comes first), a further
 * question on the same document only its own question.
 */
export function expectedEvaluated(order: readonly Generation[], model: ReuseModel): number[] {
  let prev: { g: Generation; needleAt: number } | null = null;
  return order.map((g) => {
    const doc = Math.max(0, g.length - model.headTokens - model.questionTokens);
    const needleAt = model.headTokens + doc * Math.min(...g.factDepths);
    let evaluated: number;
    if (!prev) evaluated = g.length;
    else if (g.fact > 0 && prev.g.length === g.length && prev.g.depth === g.depth && prev.g.sample === g.sample) evaluated = model.questionTokens;
    else evaluated = g.length - Math.min(needleAt, prev.needleAt);
    prev = { g, needleAt };
    return Math.max(1, Math.round(evaluated));
  });
}

export interface AnsweredQuestion {
  length: number;
  depth: number;
  fact: number;
  correct: boolean;
}

/** The cells of the grid (every length × depth, answered or not yet), each with its per-fact counts. */
export function cellsOf(lengths: readonly number[], depths: readonly number[], facts: number, answers: readonly AnsweredQuestion[]): NiahCell[] {
  const key = (length: number, depth: number) => `${length}|${depth}`;
  const cells = new Map<string, NiahCell>();
  for (const length of uniqueSorted(lengths)) {
    for (const depth of uniqueSorted(depths)) {
      cells.set(key(length, depth), { length, depth, correct: 0, total: 0, facts: Array.from({ length: facts }, () => ({ correct: 0, total: 0 })) });
    }
  }
  for (const a of answers) {
    const cell = cells.get(key(a.length, a.depth));
    if (!cell) continue;
    const perFact = cell.facts[a.fact];
    cell.total++;
    if (perFact) perFact.total++;
    if (a.correct) {
      cell.correct++;
      if (perFact) perFact.correct++;
    }
  }
  return [...cells.values()];
}

/** The cells as CSV: length,depth,correct,total, and fact<N>_correct,fact<N>_total with several facts. */
export function cellsCsv(cells: readonly NiahCell[]): string {
  const facts = cells[0]?.facts.length ?? 1;
  const extra = facts > 1 ? Array.from({ length: facts }, (_, j) => [`fact${j + 1}_correct`, `fact${j + 1}_total`]).flat() : [];
  const rows = [['length', 'depth', 'correct', 'total', ...extra].join(',')];
  for (const c of cells) {
    const perFact = facts > 1 ? c.facts.flatMap((f) => [f.correct, f.total]) : [];
    rows.push([c.length, c.depth, c.correct, c.total, ...perFact].join(','));
  }
  return `${rows.join('\n')}\n`;
}
