// The engine: its status and events, and loading a model ahead of an answer. The status is the
// local engine's own snapshot (native/engine/main/supervisor-types.ts), passed on as it is; the backends
// one may ask for are the engine protocol's list.
import { z } from 'zod';
import { BACKEND_PREFERENCES } from '../../native/engine/shared/protocol.js';
import type { EngineSnapshot } from '../../native/engine/main/supervisor-types.js';
import { ModelPath, NoParams } from './common.js';
import { method, returns } from './method.js';

export const BackendPreference = z.enum(BACKEND_PREFERENCES);
export type BackendPreference = z.infer<typeof BackendPreference>;

/**
 * Where the engine is: its state, the backend it got ('cuda' | 'vulkan' | 'metal' | 'cpu', once its
 * process has started) and why (what was tried and what failed), threads, the loaded model and
 * context, the last decode speed, the last error. `restartWith` is set while the engine is stopped
 * after the backend or threads changed (settings.update), until it starts again: the next answer
 * starts it with these (threads null = automatic). Not an error.
 */
export type EngineStatus = EngineSnapshot;
export type EngineState = EngineStatus['state'];

export const engineRequests = {
  'engine.status': method(NoParams, returns<EngineStatus>()),
  /** Loads a model now (with its default context unless contextSize is given); engine.loading events report the progress. */
  'engine.load': method(
    z.object({ modelPath: ModelPath, contextSize: z.number().int().min(512).max(131072).optional() }).strict(),
    returns<EngineStatus>(),
  ),
  /** Frees the loaded model (after the answer being written, if any). */
  'engine.unload': method(NoParams, returns<EngineStatus>()),
} as const;

export type EngineEvent =
  | { type: 'engine.status'; status: EngineStatus }
  /** A model is loading (for an answer or engine.load): progress 0..1, throttled, ending with 1. */
  | { type: 'engine.loading'; modelPath: string; progress: number };
