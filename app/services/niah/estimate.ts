// The time a long-context run will take, before it starts: the prompt tokens the order leaves to
// evaluate (grid.ts) at the prefill speed measured on this machine with this model and its settings
// (a short evaluation of corpus text, once per session and load, or the last run's own speed), plus
// the answers at the measured decode speed.
import type { NiahEstimate } from '../../contract.js';
import type { Engine, GenerateParams } from '../../engine.js';
import { CHAT_OVERHEAD_TOKENS, corpusHaystack } from './document.js';
import { expectedEvaluated, type ReuseModel } from './grid.js';
import { haystackText } from './haystack.js';
import type { Prepared } from './prepare.js';
import { renderFull } from './render.js';

/** Tokens of the measuring prompt (at most the grid's longest length). */
const PROBE_TOKENS = 1024;
const PROBE_ANSWER_TOKENS = 8;

export interface Speed {
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
}

export const loadKey = (p: Pick<Prepared, 'model' | 'settings'>) =>
  JSON.stringify([p.model.path, p.settings.contextSize, p.settings.kvType, p.settings.flashAttention]);

/** Greedy generation of a run's question, with the run's load. */
export function questionParams(p: Pick<Prepared, 'model' | 'settings'>, systemPrompt: string, question: string, maxTokens: number): GenerateParams {
  const { contextSize, kvType, flashAttention } = p.settings;
  return {
    modelPath: p.model.path, contextSize, kvType, flashAttention, systemPrompt,
    messages: [{ role: 'user', content: question }],
    sampling: { temperature: 0, topK: 1, repeatPenalty: 1, maxTokens, seed: 0 },
  };
}

/** Prefill and decode speed from one short evaluation (loads the model with the run's settings). */
export async function measureSpeed(engine: Pick<Engine, 'generate'>, p: Prepared, signal?: AbortSignal): Promise<Speed> {
  const tokens = Math.min(PROBE_TOKENS, Math.max(...p.plan.lengths));
  const corpus = await corpusHaystack(p.plan.lang, p.plan.seed);
  // A line of its own first, so nothing of an earlier prompt is reused and the whole text is evaluated.
  const text = `${Math.random().toString(36).slice(2)}\n\n${haystackText(corpus.paragraphs, tokens * (p.plan.lang === 'zh' ? 1.2 : 3.5), corpus.from)}`;
  const outcome = await engine.generate(questionParams(p, text, 'Summarise the text.', PROBE_ANSWER_TOKENS), { onDelta() {} }, signal);
  if (outcome.kind !== 'done') throw new Error(`Measuring the prefill speed failed: ${outcome.message}`);
  const s = outcome.stats;
  const prefill = s.promptTokens / Math.max(s.timeToFirstTokenMs / 1000, 1e-3);
  return { prefillTokensPerSecond: prefill, decodeTokensPerSecond: s.tokensPerSecond > 0 ? s.tokensPerSecond : prefill / 4 };
}

/** Tokens around the document and after it, for the reuse model: counted with the model's tokenizer. */
export async function reuseModel(engine: Pick<Engine, 'countTokens'>, p: Prepared): Promise<ReuseModel> {
  const questions = p.plan.facts.map((f) => f.question);
  const head = renderFull([], '').systemPrompt;
  const counts = await engine.countTokens(p.model.path, [head, ...questions]);
  const [headTokens = 0, ...questionTokens] = counts;
  // The head plus the first passage's label; the question in its turn and the assistant's opening.
  return { headTokens: headTokens + 10, questionTokens: Math.max(...questionTokens) + CHAT_OVERHEAD_TOKENS - 5 };
}

export function estimateOf(p: Prepared, reuse: ReuseModel, speed: Speed, speedFrom: NiahEstimate['speedFrom']): NiahEstimate {
  const expected = expectedEvaluated(p.order, reuse);
  const evaluatedTokens = expected.reduce((a, b) => a + b, 0);
  const promptTokens = p.order.reduce((sum, g) => sum + g.length, 0);
  const seconds = evaluatedTokens / speed.prefillTokensPerSecond + (p.order.length * p.settings.maxTokens) / speed.decodeTokensPerSecond;
  return {
    cells: p.plan.lengths.length * p.plan.depths.length,
    trials: p.order.length / p.plan.facts.length,
    generations: p.order.length,
    promptTokens,
    evaluatedTokens,
    prefillTokensPerSecond: speed.prefillTokensPerSecond,
    decodeTokensPerSecond: speed.decodeTokensPerSecond,
    speedFrom,
    seconds: Math.round(seconds * 10) / 10,
    settings: p.settings,
  };
}
