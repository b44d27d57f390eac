// Prompt building (pure): the sources as numbered passages ([1], [2], ...) with their document
// name and page/heading, the instruction to cite them as [n], and the question. In full-document
// mode the whole document is given the same way, as its consecutive passages.

import type { Citation } from '../../contract.js';

/** A passage given to the model: what its citation will say (less the number), its id and its text. */
export type PromptPassage = Omit<Citation, 'n' | 'passageId'> & { id: number; text: string };

/** Source [n] of an answer: the contract's type, which the renderer reads too. */
export type { Citation };

export interface BuiltPrompt {
  text: string;
  citations: Citation[];
}

export interface PromptInput {
  mode: 'full' | 'retrieval';
  /** In the order they are to be numbered. */
  passages: readonly PromptPassage[];
  question: string;
}

export function buildPrompt(input: PromptInput): BuiltPrompt {
  const sources = buildSources(input);
  return { text: `${sources.text}\n\nQuestion: ${input.question.trim()}`, citations: sources.citations };
}

/**
 * The instruction and the numbered passages without the question: in full-document mode this block
 * goes into the system turn, the same for every question, so that follow-ups reuse its evaluation.
 */
export function buildSources(input: Omit<PromptInput, 'question'>): BuiltPrompt {
  const names = new Set(input.passages.map((p) => p.documentName));
  const what =
    input.mode === 'full'
      ? `the full text of the attached document${names.size === 1 ? '' : 's'}, split into numbered passages`
      : 'the passages of the attached documents that best match the question';
  const instruction =
    `Answer the question using the sources below: ${what}. ` +
    'Cite every source you use by its number in square brackets, for example [1] or [2][5]. ' +
    'If the sources do not contain the answer, say so.';
  const citations: Citation[] = [];
  const blocks = input.passages.map((p, i) => {
    const n = i + 1;
    citations.push({
      n, passageId: p.id, documentId: p.documentId, documentName: p.documentName,
      page: p.page, heading: p.heading, start: p.start, end: p.end,
    });
    return `[${n}] ${sourceLabel(p)}\n${p.text.trim()}`;
  });
  return { text: `${instruction}\n\n${blocks.join('\n\n')}`, citations };
}

/** "report.pdf, page 3 — Methods › Sampling" */
export function sourceLabel(p: Pick<PromptPassage, 'documentName' | 'page' | 'heading'>): string {
  const page = p.page !== null ? `, page ${p.page}` : '';
  const heading = p.heading ? ` — ${p.heading}` : '';
  return `${p.documentName}${page}${heading}`;
}

const GROUP = /[[【［]\s*(\d{1,4}(?:\s*(?:[,，、;；]|[-–—~]|and)\s*\d{1,4})*)\s*[\]】］]/g;

/**
 * The source numbers an answer cites, in order of first use, without repeats: [3], [1, 2], [1][2],
 * [2-4] (a range), and the full-width forms 【1】 ［1］ that Chinese answers use. With `max`, numbers
 * outside 1..max (no such source) are left out.
 */
export function parseCitations(answer: string, max = Infinity): number[] {
  const seen = new Set<number>();
  for (const [, group] of answer.matchAll(GROUP)) {
    const parts = group!.split(/\s*(?:[,，、;；]|and)\s*/);
    for (const part of parts) {
      const range = /^(\d+)\s*[-–—~]\s*(\d+)$/.exec(part);
      const [from, to] = range ? [Number(range[1]), Number(range[2])] : [Number(part), Number(part)];
      if (!Number.isInteger(from) || !Number.isInteger(to) || to < from || to - from > 50) continue;
      for (let n = from; n <= to; n++) if (n >= 1 && n <= max) seen.add(n);
    }
  }
  return [...seen];
}
