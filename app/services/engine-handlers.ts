// The requests that load and unload the model ahead of any answer, and Continue on an answer:
// core.ts merges these handlers with its own.
import type { EngineStatus, Method, Params, Results } from '../contract.js';
import type { Engine } from '../engine.js';
import { DEFAULT_CONTEXT_SIZE, type ChatService } from './chat.js';
import type { ModelLibrary } from './library.js';
import { DEFAULT_FLASH_ATTENTION, DEFAULT_KV_TYPE, refusalFor, type FitPlanner } from './planner.js';

type Methods = 'engine.load' | 'engine.unload' | 'chat.continue';
type HandlerMap = { [M in Methods]: (params: Params<M>) => Promise<Results[M]> | Results[M] };

export interface EngineHandlerDeps {
  engine: Engine;
  models: ModelLibrary;
  planner: FitPlanner;
  chat: ChatService;
}

export function engineHandlers({ engine, models, planner, chat }: EngineHandlerDeps): HandlerMap {
  const status = (): EngineStatus => ({ ...engine.status });
  return {
    'engine.load': async (p) => {
      const model = await models.usable(p.modelPath);
      // The settings an answer with this model would load it with, so that the answer finds it loaded.
      const load = {
        contextSize: p.contextSize ?? model.defaults.contextSize ?? DEFAULT_CONTEXT_SIZE,
        kvType: model.defaults.kvType ?? DEFAULT_KV_TYPE,
        flashAttention: model.defaults.flashAttention ?? DEFAULT_FLASH_ATTENTION,
      };
      // Refused before loading: a context that cannot fit never reaches llama.cpp.
      const plan = await planner.plan(await planner.shapeOf(model.parts), load);
      if (plan.verdict === 'does-not-fit') throw refusalFor(plan, model.name);
      await engine.load({ modelPath: model.path, ...load });
      return status();
    },
    'engine.unload': async () => {
      await engine.unload();
      return status();
    },
    'chat.continue': (p) => chat.continue(p.messageId, p),
  };
}
