// What a long-context run needs before its first question: the model from the library, the settings
// it is loaded with (one context for the whole grid, large enough for its longest length and the
// answer), the largest length the fit planner allows here, the haystack and the facts. A resumed run
// is prepared again from what was stored, so it asks exactly the questions it would have.
import { AppError, type LibraryModel, type NiahPlan, type NiahSettings, type NiahSpec } from '../../contract.js';
import type { ModelLibrary } from '../library.js';
import { DEFAULT_FLASH_ATTENTION, DEFAULT_KV_TYPE, refusalFor, type FitPlanner } from '../planner.js';
import { corpusHaystack, fileHaystack, type Haystack } from './document.js';
import { customFacts, defaultFacts } from './facts.js';
import { orderGrid, uniqueSorted, type Generation } from './grid.js';

export const DEFAULT_MAX_TOKENS = 24;
export const DEFAULT_SEED = 1;
/** Room kept in the context beyond the answer's tokens (the end-of-turn token, rounding). */
const ANSWER_SLACK = 16;
const CONTEXT_STEP = 256;

export interface PrepareDeps {
  models: Pick<ModelLibrary, 'usable'>;
  planner: Pick<FitPlanner, 'plan' | 'shapeOf'>;
}

export interface Prepared {
  model: LibraryModel;
  settings: NiahSettings;
  plan: NiahPlan;
  haystack: Haystack;
  order: Generation[];
}

export async function prepareRun(deps: PrepareDeps, spec: NiahSpec): Promise<Prepared> {
  const model = await deps.models.usable(spec.modelPath);
  const lang = spec.lang ?? 'en';
  const seed = spec.seed ?? DEFAULT_SEED;
  const maxTokens = spec.maxTokens ?? DEFAULT_MAX_TOKENS;
  const facts = spec.facts ? customFacts(spec.facts) : defaultFacts(lang, spec.needles ?? 1);
  const lengths = uniqueSorted(spec.lengths);
  const settings = await settingsFor(deps, model, Math.max(...lengths), maxTokens);
  const haystack = spec.haystackFile ? await fileHaystack(spec.haystackFile, lang) : await corpusHaystack(lang, seed);
  const plan: NiahPlan = { lengths, depths: uniqueSorted(spec.depths), samples: spec.samples, lang, haystack: haystack.source, facts, seed };
  return { model, settings, plan, haystack, order: orderOf(plan) };
}

/** A stored run, prepared again to go on: the same model file, settings and haystack (a file must be unchanged). */
export async function reopenRun(deps: PrepareDeps, stored: { model: { path: string }; settings: NiahSettings; plan: NiahPlan }): Promise<Prepared> {
  const model = await deps.models.usable(stored.model.path);
  const { plan } = stored;
  let haystack: Haystack;
  if (plan.haystack.kind === 'file') {
    haystack = await fileHaystack(plan.haystack.path, plan.lang);
    if (haystack.source.kind === 'file' && haystack.source.sha256 !== plan.haystack.sha256) {
      throw new AppError('failed', `The haystack file ${plan.haystack.name} has changed since the run started; start a new run instead.`);
    }
  } else {
    haystack = await corpusHaystack(plan.lang, plan.seed);
  }
  return { model, settings: stored.settings, plan, haystack, order: orderOf(plan) };
}

export const orderOf = (plan: NiahPlan): Generation[] => orderGrid(plan.lengths, plan.depths, plan.samples, plan.facts.length);

/** The load for the grid, refused when its longest length is above what this model and machine allow. */
async function settingsFor(deps: PrepareDeps, model: LibraryModel, longest: number, maxTokens: number): Promise<NiahSettings> {
  const kvType = model.defaults.kvType ?? DEFAULT_KV_TYPE;
  const flashAttention = model.defaults.flashAttention ?? DEFAULT_FLASH_ATTENTION;
  const shape = await deps.planner.shapeOf(model.parts);
  const room = maxTokens + ANSWER_SLACK;
  const wanted = Math.ceil((longest + room) / CONTEXT_STEP) * CONTEXT_STEP;
  const first = await deps.planner.plan(shape, { contextSize: Math.min(wanted, 131072), kvType, flashAttention });
  const largestContext = Math.min(first.maxContext, first.extendedContext);
  const largestLength = largestContext - room;
  if (longest > largestLength) {
    const n = (x: number) => x.toLocaleString('en-US');
    throw new AppError(
      'invalid_request',
      largestLength > 0
        ? `A length of ${n(longest)} tokens is more than ${model.name} can be tested with here: at most ${n(largestLength)} ` +
          `(its largest context on this machine, ${n(largestContext)} tokens, less ${room} for the answer).`
        : `${model.name} does not fit in memory here with any context, so it cannot be tested.`,
    );
  }
  const contextSize = Math.min(wanted, largestContext);
  const plan = contextSize === first.contextSize ? first : await deps.planner.plan(shape, { contextSize, kvType, flashAttention });
  if (plan.verdict === 'does-not-fit') throw refusalFor(plan, model.name);
  return { contextSize, kvType, flashAttention, yarn: plan.yarn, maxTokens, largestLength };
}
