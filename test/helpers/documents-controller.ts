// The documents service on a store of the test's own, without an engine: no model is loaded or set as
// default (so nothing is counted unless a test asks), tokens are counted with the given function, and
// the context states are left alone.
import type { Engine } from '../../app/engine.js';
import type { Store } from '../../app/store/index.js';
import { DocumentsController, type DocumentsDeps } from '../../app/services/documents/controller.js';

export function documentsOn(
  store: Store,
  opts: Partial<Omit<DocumentsDeps, 'store' | 'engine'>> & { countTokens?: (text: string) => number } = {},
): DocumentsController {
  const { countTokens = (text) => Math.ceil(text.length / 4), ...deps } = opts;
  const engine: Pick<Engine, 'countTokens' | 'status'> = {
    status: { modelPath: null } as Engine['status'],
    countTokens: async (_modelPath, texts) => texts.map(countTokens),
  };
  return new DocumentsController({
    store,
    engine,
    models: { usable: async () => { throw new Error('no models here'); } },
    states: { invalidate: async () => {} },
    defaultModel: () => null,
    emit: () => {},
    ...deps,
  });
}
