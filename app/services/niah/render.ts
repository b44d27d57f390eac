// A document question rendered the way a conversation with one attached document renders it: the
// file read and split into passages by the document pipeline, the passages numbered in the system
// turn after the system prompt (full-document mode) or in the question's turn (retrieval mode).
// The needle models are trained on exactly this, so what they learn is what the app sends.
import { QWEN2_DEFAULT_SYSTEM_PROMPT } from '../../../native/engine/shared/defaults.js';
import { extractDocument } from '../documents/extract/index.js';
import { splitPassages } from '../documents/passages.js';
import { buildPrompt, buildSources, type PromptPassage } from '../documents/prompt.js';

export interface RenderedQuestion {
  systemPrompt: string;
  /** The one user turn. */
  user: string;
  /** The passages the document was split into, in order (retrieval mode picks among them). */
  passageCount: number;
}

/** The passages of a text file as the document pipeline stores them. */
export async function documentPassages(name: string, text: string): Promise<PromptPassage[]> {
  const extracted = await extractDocument({ name, bytes: new TextEncoder().encode(text), onProgress: () => {} });
  return splitPassages(extracted.text, extracted.sections).map((p, i) => ({
    id: i + 1, documentId: 'niah', documentName: name, page: p.page, heading: p.heading,
    start: p.start, end: p.end, text: extracted.text.slice(p.start, p.end),
  }));
}

/** Full-document mode: every passage in the system turn, the question as the user's message. */
export function renderFull(passages: readonly PromptPassage[], question: string, systemPrompt = QWEN2_DEFAULT_SYSTEM_PROMPT): RenderedQuestion {
  const sources = buildSources({ mode: 'full', passages });
  return { systemPrompt: `${systemPrompt}\n\n${sources.text}`, user: question, passageCount: passages.length };
}

/** Retrieval mode: the chosen passages (in the order given) and the question in the user's message. */
export function renderRetrieval(passages: readonly PromptPassage[], question: string, systemPrompt = QWEN2_DEFAULT_SYSTEM_PROMPT): RenderedQuestion {
  const built = buildPrompt({ mode: 'retrieval', passages, question });
  return { systemPrompt, user: built.text, passageCount: passages.length };
}
