// The chat steps bound to one engine: prepare (resolve model and settings, refuse a load that
// cannot fit, plan documents, build the request), then generate into a sink of the caller's own.
// The app's conversations (ChatService) store around them (chat-persist.ts); another caller (an
// API route) may store nothing. Every caller shares one instance, so the load the engine holds
// is known to all of them and fitting is decided the same way for each.
import type { Conversation } from '../contract.js';
import type { GenerateOutcome, GenerateSink } from '../engine.js';
import { generate } from './chat-generate.js';
import {
  planRequest, prepare, resolveAnswer,
  type AnswerOptions, type LoadedModel, type PrepareDeps, type PrepareInput, type PreparedAnswer, type RequestInput, type ResolvedAnswer,
} from './chat-prepare.js';

export type ChatStepsDeps = Omit<PrepareDeps, 'loaded'>;

export class ChatSteps {
  private readonly loaded: LoadedModel = { key: null };
  private readonly deps: PrepareDeps;

  constructor(deps: ChatStepsDeps) {
    this.deps = { ...deps, loaded: this.loaded };
  }

  /** Both halves of preparing, for a caller that stores nothing in between. */
  prepare(input: PrepareInput): Promise<PreparedAnswer> {
    return prepare(this.deps, input);
  }

  /** The first half: model, load and settings; throws AppError when the model is unusable or cannot fit. */
  resolve(conversation: Pick<Conversation, 'settings'>, options: AnswerOptions): Promise<ResolvedAnswer> {
    return resolveAnswer(this.deps, conversation, options);
  }

  /** The second half: documents and the engine request. */
  plan(resolved: ResolvedAnswer, input: RequestInput): Promise<PreparedAnswer> {
    return planRequest(this.deps, resolved, input);
  }

  /** Runs a prepared answer on the engine; never throws (a failure is an outcome). */
  generate(prepared: PreparedAnswer, sink: GenerateSink, signal?: AbortSignal): Promise<GenerateOutcome> {
    return generate(this.deps, prepared, sink, signal);
  }

  /** A preparation failed after it was resolved: what the engine holds now is not known. */
  forgetLoad(): void {
    this.loaded.key = null;
  }
}
