// Preparing an answer: the one place that decides what an answer runs with and whether it fits,
// for the app's conversations and for any other caller (an API route). In two halves, because the
// app stores the question and the empty answer between them:
// - resolveAnswer: the model (it must be usable), its load (context, KV type, flash attention), the
//   refusal of a load that cannot fit in memory, the system prompt and the sampling;
// - planRequest: the conversation's documents (their whole text or the passages retrieved) and the
//   engine request with its answer limit; context fitting (which turns are left out) happens in the
//   engine against that request.
// prepare does both in one call.
import type { Conversation, KvCacheType, LibraryModel, Sampling } from '../contract.js';
import type { ChatTurn, Engine, GenerateParams } from '../engine.js';
import { engineSampling } from './chat-answer.js';
import { documentPrompt, type PlannedSources } from './chat-documents.js';
import { resolveAnswerSettings, resolveContextSize, type AnswerSettings } from './chat-settings.js';
import type { DocumentsController } from './documents/controller.js';
import type { StateFiles } from './documents/state-files.js';
import type { ModelLibrary } from './library.js';
import { DEFAULT_FLASH_ATTENTION, DEFAULT_KV_TYPE, refusalFor, type FitPlanner } from './planner.js';
import type { Presets } from './presets.js';

/** What a caller asks an answer to run with (the rest comes from the conversation, its preset and the model). */
export interface AnswerOptions {
  modelPath: string;
  systemPrompt?: string;
  sampling?: Sampling;
}

/** The model and load settings the engine holds after the last finished answer, if it still holds them. */
export interface LoadedModel {
  key: string | null;
}

export interface PrepareDeps {
  engine: Engine;
  models: Pick<ModelLibrary, 'usable'>;
  planner: FitPlanner;
  presets: Pick<Presets, 'get'>;
  /** With documents: planning, the prompt, and where context states are kept. */
  documents?: { controller: DocumentsController; states: StateFiles } | undefined;
  /** A load the engine already holds is not checked against memory again. */
  loaded: LoadedModel;
}

export interface AnswerLoad {
  contextSize: number;
  kvType: KvCacheType;
  flashAttention: boolean;
}

/** The first half: what the answer runs with. */
export interface ResolvedAnswer {
  model: LibraryModel;
  load: AnswerLoad;
  /** The model and load as one value (LoadedModel.key). */
  loadKey: string;
  settings: AnswerSettings;
}

export interface RequestInput {
  /** Whose documents and saved context state go with the request; null: none (no stored conversation). */
  conversationId: string | null;
  /** The branch as turns: the last is the question, or with continueAnswer the unfinished answer after it. */
  turns: readonly ChatTurn[];
  continueAnswer?: boolean;
  /** Send the rendered prompt back with the outcome (tests and diagnostics). */
  capturePrompt?: boolean;
}

/** Everything generate needs: the engine request, and what the documents gave the answer. */
export interface PreparedAnswer extends ResolvedAnswer {
  params: GenerateParams;
  /** Only with documents: their plan and the passages given (the app stores them with the answer). */
  sources: PlannedSources | null;
}

export interface PrepareInput extends RequestInput {
  /** The settings the answer takes its defaults from (a stored conversation's, or any others). */
  conversation: Pick<Conversation, 'settings'>;
  options: AnswerOptions;
}

/** Resolves model, load and settings; throws AppError when the model is unusable or its context cannot fit. */
export async function resolveAnswer(deps: PrepareDeps, conversation: Pick<Conversation, 'settings'>, options: AnswerOptions): Promise<ResolvedAnswer> {
  const { engine, models, planner, presets } = deps;
  const model = await models.usable(options.modelPath);
  // The model's own defaults apply unless the conversation says otherwise.
  const load: AnswerLoad = {
    contextSize: resolveContextSize(conversation, model.defaults),
    kvType: model.defaults.kvType ?? DEFAULT_KV_TYPE,
    flashAttention: model.defaults.flashAttention ?? DEFAULT_FLASH_ATTENTION,
  };
  const loadKey = JSON.stringify([model.path, load]);
  if (loadKey !== deps.loaded.key || engine.status.modelPath !== model.path) {
    // Refused before loading: a context that cannot fit never reaches llama.cpp.
    const plan = await planner.plan(await planner.shapeOf(model.parts), load);
    if (plan.verdict === 'does-not-fit') throw refusalFor(plan, model.name);
  }
  const presetId = conversation.settings.presetId;
  const settings = resolveAnswerSettings({
    request: options, conversation, preset: presetId ? presets.get(presetId) : null, model: model.defaults,
  });
  return { model, load, loadKey, settings };
}

/** The engine request for a resolved answer, with the conversation's documents when it has any. */
export async function planRequest(deps: PrepareDeps, resolved: ResolvedAnswer, input: RequestInput): Promise<PreparedAnswer> {
  const { documents, engine, planner } = deps;
  const { turns } = input;
  // Continuing: the turns up to the question plan the documents; the unfinished answer follows them.
  const question = input.continueAnswer ? turns.slice(0, -1) : turns;
  const { sampling, answerLimit } = engineSampling(resolved.settings.sampling);
  const conversationId = input.conversationId;
  // Without documents nothing is awaited here: the engine can have the request at once.
  const docs = conversationId !== null && documents?.controller.has(conversationId)
    ? await documentPrompt(
        { documents: documents.controller, states: documents.states, engine, planner },
        {
          conversationId, model: resolved.model, load: resolved.load, systemPrompt: resolved.settings.systemPrompt,
          turns: question, ...(sampling.maxTokens !== undefined ? { maxTokens: sampling.maxTokens } : {}),
        },
      )
    : null;
  const params: GenerateParams = {
    modelPath: resolved.model.path,
    ...resolved.load,
    systemPrompt: docs?.systemPrompt ?? resolved.settings.systemPrompt,
    messages: docs ? [...docs.turns, ...turns.slice(question.length)] : [...turns],
    sampling,
    ...(answerLimit !== undefined ? { answerLimit } : {}),
    ...(input.continueAnswer ? { continueAnswer: true } : {}),
    ...(docs?.state ? { state: docs.state } : {}),
    capturePrompt: input.capturePrompt ?? false,
  };
  return { ...resolved, params, sources: docs?.sources ?? null };
}

/** Both halves: for a caller that stores nothing in between. */
export async function prepare(deps: PrepareDeps, input: PrepareInput): Promise<PreparedAnswer> {
  return planRequest(deps, await resolveAnswer(deps, input.conversation, input.options), input);
}
