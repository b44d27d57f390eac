// The documents of a conversation in an answer's prompt. Planning (planDocuments) weighs the
// documents, the conversation, the question and the answer's room against the context the model
// runs at and the largest one this model and machine allow (the fit planner, capped by the model's
// extended context):
// - full-document mode: the whole text of every document, as numbered passages, goes into the
//   system turn after the system prompt. That block is the same for every question, so a follow-up
//   reuses its evaluation (in memory, or from the state saved on disk) and evaluates only its own
//   new tokens; context fitting keeps the system turn and drops old turns, never the documents.
// - otherwise retrieval: the passages that best match the question (BM25) fill the budget, in the
//   newest question's turn (which context fitting always keeps).
import type { AnswerSources, KvCacheType, LibraryModel } from '../contract.js';
import { DEFAULT_ANSWER_RESERVE } from '../../native/engine/shared/defaults.js';
import type { ChatTurn, Engine, StateRequest } from '../engine.js';
import type { DocumentsController } from './documents/controller.js';
import { planDocuments, withPassageCount } from './documents/plan.js';
import { buildPrompt, buildSources, sourceLabel } from './documents/prompt.js';
import type { StateFiles } from './documents/state-files.js';
import type { FitPlanner } from './planner.js';

/** The earlier conversation counts in planning up to this share of the context; context fitting drops older turns. */
export const HISTORY_SHARE = 0.25;
/** <|im_start|>role\n … <|im_end|>\n around a turn. */
const TURN_OVERHEAD = 5;

export interface DocumentPromptDeps {
  documents: DocumentsController;
  states: StateFiles;
  engine: Pick<Engine, 'countTokens'>;
  planner: Pick<FitPlanner, 'plan' | 'shapeOf'>;
}

export interface DocumentPromptInput {
  conversationId: string;
  model: Pick<LibraryModel, 'path' | 'parts'>;
  load: { contextSize: number; kvType: KvCacheType; flashAttention: boolean };
  systemPrompt: string;
  /** The branch as turns; the last one is the question. */
  turns: readonly ChatTurn[];
  maxTokens?: number;
}

/** The documents' plan and the passages an answer is given; stored with the answer it belongs to, if any. */
export type PlannedSources = Omit<AnswerSources, 'messageId'>;

export interface DocumentPrompt {
  systemPrompt: string;
  turns: ChatTurn[];
  sources: PlannedSources;
  /** Full-document mode: where the engine keeps this conversation's context state. */
  state: StateRequest | null;
}

/** The prompt with the conversation's documents, or null when it has none. */
export async function documentPrompt(deps: DocumentPromptDeps, input: DocumentPromptInput): Promise<DocumentPrompt | null> {
  const { documents, engine } = deps;
  const question = input.turns.at(-1);
  if (!question || question.role !== 'user') return null;
  const docs = await documents.ensureCounted(input.conversationId, input.model.path);
  if (docs.length === 0) return null;

  const history = input.turns.slice(0, -1);
  const passages = docs.flatMap((d) => documents.passagesOf(d.id));
  const headers = passages.map((p, i) => `[${i + 1}] ${sourceLabel(p)}`).join('\n');
  const texts = [input.systemPrompt, question.content, headers, ...history.map((t) => t.content)];
  const [systemTokens = 0, questionTokens = 0, headerTokens = 0, ...turnTokens] = await engine.countTokens(input.model.path, texts);
  const { contextSize } = input.load;
  const historyTokens = turnTokens.reduce((sum, n) => sum + n + TURN_OVERHEAD, 0);
  const largestContext = await largestContextFor(deps.planner, input.model, input.load);
  let plan = planDocuments({
    documents: docs.map((d) => ({ name: d.name, tokens: d.tokenCount ?? 0 })),
    conversationTokens: systemTokens + TURN_OVERHEAD + Math.min(historyTokens, Math.floor(contextSize * HISTORY_SHARE)),
    questionTokens: questionTokens + TURN_OVERHEAD,
    answerTokens: Math.min(input.maxTokens ?? DEFAULT_ANSWER_RESERVE, Math.floor(contextSize / 2)),
    contextSize,
    maxContextSize: largestContext,
    passageHeaderTokens: headerTokens,
  });

  let prompt: Omit<DocumentPrompt, 'sources' | 'state'>;
  let built: ReturnType<typeof buildSources>;
  if (plan.mode === 'full') {
    built = buildSources({ mode: 'full', passages });
    prompt = { systemPrompt: `${input.systemPrompt}\n\n${built.text}`, turns: [...input.turns] };
  } else {
    const retrieval = await documents.retrieve({
      conversationId: input.conversationId,
      question: question.content,
      budgetTokens: plan.passageBudget,
      modelPath: input.model.path,
    });
    built = buildPrompt({ mode: 'retrieval', passages: retrieval.passages, question: question.content });
    plan = withPassageCount(plan, retrieval.passages.length);
    prompt = { systemPrompt: input.systemPrompt, turns: [...history, { role: 'user', content: built.text }] };
  }

  const sources: PlannedSources = {
    conversationId: input.conversationId,
    mode: plan.mode === 'full' ? 'full' : 'retrieval',
    plan: plan.mode,
    explanation: plan.explanation,
    neededTokens: plan.neededTokens,
    documentTokens: plan.documentTokens,
    contextSize,
    largestContext,
    suggestedContext: plan.suggestedContext,
    modelPath: input.model.path,
    passageCount: built.citations.length,
    citations: built.citations,
    createdAt: Date.now(),
  };
  // Only the full-document block is the same from one question to the next: worth keeping on disk.
  const state =
    plan.mode === 'full'
      ? {
          file: deps.states.fileFor(input.conversationId),
          key: await deps.states.keyFor({ modelPath: input.model.path, ...input.load, documents: docs }),
        }
      : null;
  return { ...prompt, sources, state };
}

/** Plans are kept this long: free memory changes slowly, and reading a split model's headers for every answer is waste. */
const PLAN_TTL_MS = 60_000;
const largest = new Map<string, { at: number; value: Promise<number> }>();

/** The largest context this model and machine allow, capped by the model's extended context (never below the current one). */
function largestContextFor(planner: DocumentPromptDeps['planner'], model: DocumentPromptInput['model'], load: DocumentPromptInput['load']): Promise<number> {
  const key = JSON.stringify([model.parts, load]);
  const cached = largest.get(key);
  if (cached && Date.now() - cached.at < PLAN_TTL_MS) return cached.value;
  const value = (async () => {
    const fit = await planner.plan(await planner.shapeOf(model.parts), load);
    return Math.max(load.contextSize, Math.min(fit.maxContext, fit.extendedContext));
  })();
  value.catch(() => largest.delete(key));
  largest.set(key, { at: Date.now(), value });
  return value;
}
