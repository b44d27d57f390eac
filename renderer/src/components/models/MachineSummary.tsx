import type { SystemResources } from '../../../../app/contract.js';
import { formatBytes } from './format.js';

const BACKEND: Record<string, string> = { cuda: 'CUDA (NVIDIA)', vulkan: 'Vulkan', metal: 'Metal (Apple)', cpu: 'the CPU' };

/** This computer's memory, GPUs and backend, in plain words. */
export function MachineSummary({ resources }: { resources: SystemResources }) {
  const r = resources;
  return (
    <ul className="machine" data-testid="machine-summary" aria-label="This computer">
      <li data-testid="machine-ram">
        <span className="machine-label">Memory</span> {formatBytes(r.totalRam)} <span className="muted">({formatBytes(r.freeRam)} free)</span>
      </li>
      {r.gpus.length === 0 ? (
        <li data-testid="machine-gpu">
          <span className="machine-label">Graphics</span> none usable <span className="muted">(models run on the CPU)</span>
        </li>
      ) : (
        r.gpus.map((g, i) => (
          <li key={i} data-testid="machine-gpu">
            <span className="machine-label">Graphics</span> {g.name}: {formatBytes(g.totalVram)} <span className="muted">({formatBytes(g.freeVram)} free)</span>
          </li>
        ))
      )}
      <li data-testid="machine-cpu">
        <span className="machine-label">CPU</span> {r.cpuCores} cores
      </li>
      <li data-testid="machine-backend">
        <span className="machine-label">Runs on</span> {BACKEND[r.backend] ?? r.backend}
      </li>
    </ul>
  );
}
