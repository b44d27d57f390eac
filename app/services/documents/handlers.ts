// The documents.* requests of the contract, answered by the DocumentsController.
import path from 'node:path';
import type { documentRequests, Params, Results } from '../../contract.js';
import type { DocumentsController } from './controller.js';

type DocumentMethod = keyof typeof documentRequests;
type DocumentHandlers = { [M in DocumentMethod]: (params: Params<M>) => Promise<Results[M]> | Results[M] };

export function documentHandlers(documents: DocumentsController): DocumentHandlers {
  return {
    'documents.attach': (p) => documents.attach(p.conversationId, path.resolve(p.path), { modelPath: p.modelPath }),
    'documents.list': (p) => documents.list(p.conversationId, p.modelPath),
    'documents.remove': async (p) => ({ removed: await documents.remove(p.id) }),
    'documents.passage': (p) => documents.passage(p.id),
    'documents.cancel': (p) => ({ cancelled: documents.cancel(p.conversationId) }),
    'documents.sources': (p) => documents.sources(p.conversationId),
  };
}
