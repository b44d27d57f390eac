// The niah.* requests of the contract, answered by the NiahRunner.
import type { niahRequests, Params, Results } from '../../contract.js';
import type { NiahRunner } from './runner.js';

type NiahMethod = keyof typeof niahRequests;
type NiahHandlers = { [M in NiahMethod]: (params: Params<M>) => Promise<Results[M]> | Results[M] };

export function niahHandlers(runner: NiahRunner): NiahHandlers {
  return {
    'niah.estimate': (p) => runner.estimate(p),
    'niah.start': (p) => runner.start(p),
    'niah.cancel': (p) => runner.cancel(p.id),
    'niah.resume': (p) => runner.resume(p.id),
    'niah.list': () => runner.list(),
    'niah.get': (p) => runner.get(p.id, p.length !== undefined && p.depth !== undefined ? { length: p.length, depth: p.depth } : undefined),
    'niah.delete': (p) => runner.delete(p.id),
    'niah.exportCsv': (p) => runner.exportCsv(p.id),
  };
}
