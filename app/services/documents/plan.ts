// Planning (pure): does the whole of the conversation's documents fit in the context, would a
// larger context (one this model and machine allow) make it fit, or must retrieval choose passages?

export interface PlanInput {
  /** Token counts of the attached documents (their full text). */
  documents: ReadonlyArray<{ name: string; tokens: number }>;
  /** The conversation so far (system prompt and earlier messages), in tokens. */
  conversationTokens: number;
  questionTokens: number;
  /** Tokens kept free for the answer. */
  answerTokens: number;
  /** The context the model is loaded with now. */
  contextSize: number;
  /** The largest context this model and machine allow (from the fit planner). */
  maxContextSize: number;
  /** The instruction around the sources; default 100. */
  instructionTokens?: number;
  /** Headers of the numbered passages in full-document mode, all together; default 0. */
  passageHeaderTokens?: number;
}

export type PlanMode = 'full' | 'larger-context' | 'retrieval';

export interface DocumentPlan {
  mode: PlanMode;
  /** Everything full-document mode needs: documents, headers, instruction, conversation, question, answer. */
  neededTokens: number;
  documentTokens: number;
  contextSize: number;
  /** 'larger-context' only: the context to reload with (a sensible round size, at most the largest allowed). */
  suggestedContext: number | null;
  /** Tokens for passages at the current context ('full': the documents themselves; else what retrieval may fill). */
  passageBudget: number;
  explanation: string;
}

export const DEFAULT_INSTRUCTION_TOKENS = 100;

export function planDocuments(input: PlanInput): DocumentPlan {
  const numbers: Array<[string, unknown]> = [...Object.entries(input), ...input.documents.map((d) => [`tokens of "${d.name}"`, d.tokens] as [string, unknown])];
  for (const [key, value] of numbers) {
    if (key !== 'documents' && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      if (value === undefined) continue;
      throw new RangeError(`planDocuments: ${key} must be a number >= 0`);
    }
  }
  const documentTokens = input.documents.reduce((sum, d) => sum + d.tokens, 0);
  const fixed = input.conversationTokens + input.questionTokens + input.answerTokens + (input.instructionTokens ?? DEFAULT_INSTRUCTION_TOKENS);
  const neededTokens = documentTokens + (input.passageHeaderTokens ?? 0) + fixed;
  const contextSize = input.contextSize;
  const largest = Math.max(input.maxContextSize, contextSize);
  const passageBudget = Math.max(0, contextSize - fixed);
  const what = describeDocuments(input.documents, documentTokens);
  const base = { neededTokens, documentTokens, contextSize };

  if (neededTokens <= contextSize) {
    const verb = input.documents.length === 1 ? 'fits' : 'fit';
    return { ...base, mode: 'full', suggestedContext: null, passageBudget: documentTokens,
      explanation: `${what} ${verb} in the ${k(contextSize)} context: full-document mode.` };
  }
  const untilThen = passageBudget > 0 ? 'until then, retrieval mode' : 'until then, there is no room for passages';
  if (neededTokens <= largest) {
    const suggestedContext = roundContext(neededTokens, largest);
    return { ...base, mode: 'larger-context', suggestedContext, passageBudget,
      explanation: `${what} need${input.documents.length === 1 ? 's' : ''} a ${k(suggestedContext)} context; the current one is ${k(contextSize)}. ` +
        `Reloading the model with a ${k(suggestedContext)} context would allow full-document mode; ${untilThen}.` };
  }
  const room = passageBudget > 0
    ? `retrieval mode, the best passages within ${tokens(passageBudget)}`
    : `the conversation leaves no room for passages in the ${k(contextSize)} context; start a new conversation`;
  const largestText = largest > contextSize ? `the largest context here is ${k(largest)}` : `the context is ${k(contextSize)}`;
  return { ...base, mode: 'retrieval', suggestedContext: null, passageBudget,
    explanation: `${input.documents.length === 1 ? 'The document needs' : 'The documents need'} ${kTokens(neededTokens)} tokens; ${largestText}: ${room}.` };
}

/** The explanation once retrieval has chosen its passages: "…: retrieval mode, the 14 best passages." */
export function withPassageCount(plan: DocumentPlan, passages: number): DocumentPlan {
  if (plan.mode === 'full' || plan.passageBudget === 0) return plan;
  const chosen = passages === 1 ? 'the best passage' : `the ${passages} best passages`;
  return { ...plan, explanation: plan.explanation.replace(/the best passages within [\d,]+ tokens/, chosen) };
}

/** Up to 8K: the next multiple of 1,024; above: of 4,096. Never above the largest allowed. */
export function roundContext(tokens: number, largest: number): number {
  const step = tokens <= 8192 ? 1024 : 4096;
  return Math.min(largest, Math.ceil(tokens / step) * step);
}

function describeDocuments(docs: PlanInput['documents'], total: number): string {
  if (docs.length === 1) return `The whole document (${tokens(total)})`;
  return `The ${docs.length} documents (${tokens(total)} together)`;
}

const tokens = (n: number) => `${n.toLocaleString('en-US')} token${n === 1 ? '' : 's'}`;
/** 65536 -> "64K"; sizes that are not whole K keep their digits. */
const k = (n: number) => (n % 1024 === 0 ? `${n / 1024}K` : n.toLocaleString('en-US'));
const kTokens = (n: number) => `${Math.ceil(n / 1024)}K`;
