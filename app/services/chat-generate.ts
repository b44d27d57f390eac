// Generating a prepared answer on the engine: its text and progress go to the caller's own sink
// (the app's conversations store and broadcast it; an API route would write it to its stream), and
// the outcome says how it ended. Never throws: a failure is an outcome with the text so far.
import { stoppedBeforeStart, type Engine, type GenerateOutcome, type GenerateSink } from '../engine.js';
import type { LoadedModel, PreparedAnswer } from './chat-prepare.js';

export interface GenerateDeps {
  engine: Pick<Engine, 'generate'>;
  /** Set to the answer's load when it finished (the engine holds it), else cleared. */
  loaded: LoadedModel;
}

export async function generate(deps: GenerateDeps, prepared: PreparedAnswer, sink: GenerateSink, signal?: AbortSignal): Promise<GenerateOutcome> {
  let outcome: GenerateOutcome;
  try {
    // Stopped while it was being prepared: the engine never has the request.
    outcome = signal?.aborted ? stoppedBeforeStart() : await deps.engine.generate(prepared.params, sink, signal);
  } catch (error) {
    outcome = failedOutcome(error);
  }
  deps.loaded.key = outcome.kind === 'done' ? prepared.loadKey : null;
  return outcome;
}

/** The outcome of an answer whose preparation or generation threw. */
export function failedOutcome(error: unknown): GenerateOutcome {
  return { kind: 'failed', text: '', message: (error as Error)?.message ?? String(error) };
}
