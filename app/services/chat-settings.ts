// What one answer is generated with: the system prompt and the sampling, each field taken from the
// first of request > conversation > the conversation's preset > the model's defaults > Qwen2's
// defaults that sets it; and the context it runs at (conversation > model > 4096).
import type { Conversation, ModelDefaults, Preset, Sampling } from '../contract.js';
import { QWEN2_DEFAULT_SYSTEM_PROMPT } from '../../native/engine/shared/defaults.js';

/** Qwen2-Instruct's published generation settings (generation_config.json). */
export const QWEN2_SAMPLING: Readonly<Sampling> = { temperature: 0.7, topP: 0.8, topK: 20, repeatPenalty: 1.05 };

/** The context an answer runs at when neither the conversation nor the model names one. */
export const DEFAULT_CONTEXT_SIZE = 4096;

/** The context a conversation's answers run at: its own setting, else the model's default, else 4096. */
export function resolveContextSize(conversation: Pick<Conversation, 'settings'> | null, model: ModelDefaults): number {
  return conversation?.settings.contextSize ?? model.contextSize ?? DEFAULT_CONTEXT_SIZE;
}

export interface AnswerSettings {
  systemPrompt: string;
  sampling: Sampling;
}

/** The first value each field has, in order of precedence (highest first). */
export function mergeSampling(layers: ReadonlyArray<Sampling | undefined>): Sampling {
  const out: Record<string, unknown> = {};
  for (const layer of [...layers].reverse()) {
    for (const [key, value] of Object.entries(layer ?? {})) if (value !== undefined) out[key] = value;
  }
  return out as Sampling;
}

export function resolveAnswerSettings(input: {
  request: { systemPrompt?: string; sampling?: Sampling };
  conversation: Pick<Conversation, 'settings'>;
  preset: Preset | null;
  model: ModelDefaults;
}): AnswerSettings {
  const prompts = [input.request.systemPrompt, input.conversation.settings.systemPrompt, input.preset?.systemPrompt, input.model.systemPrompt];
  const systemPrompt = prompts.map((p) => p?.trim()).find((p) => p) ?? QWEN2_DEFAULT_SYSTEM_PROMPT;
  const sampling = mergeSampling([input.request.sampling, input.conversation.settings.sampling, input.preset?.sampling, input.model.sampling, QWEN2_SAMPLING]);
  return { systemPrompt, sampling };
}
