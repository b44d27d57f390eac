import type { SystemResources } from '../../../../app/contract.js';
import { formatBytes } from './format.js';
import { useI18n } from '../../i18n/rich.js';

const BACKENDS = new Set(['cuda', 'vulkan', 'metal', 'cpu']);

/** This computer's memory, GPUs and backend, in plain words. */
export function MachineSummary({ resources }: { resources: SystemResources }) {
  const { t, tn } = useI18n();
  const r = resources;
  return (
    <ul className="machine" data-testid="machine-summary" aria-label={t('models.machine.label')}>
      <li data-testid="machine-ram">
        <span className="machine-label">{t('models.machine.memory')}</span> {formatBytes(r.totalRam)}{' '}
        <span className="muted">{t('models.machine.free', { size: formatBytes(r.freeRam) })}</span>
      </li>
      {r.gpus.length === 0 ? (
        <li data-testid="machine-gpu">
          <span className="machine-label">{t('models.machine.graphics')}</span> {t('models.machine.noGpu')}{' '}
          <span className="muted">{t('models.machine.noGpuNote')}</span>
        </li>
      ) : (
        r.gpus.map((g, i) => (
          <li key={i} data-testid="machine-gpu">
            <span className="machine-label">{t('models.machine.graphics')}</span> {g.name}: {formatBytes(g.totalVram)}{' '}
            <span className="muted">{t('models.machine.free', { size: formatBytes(g.freeVram) })}</span>
          </li>
        ))
      )}
      <li data-testid="machine-cpu">
        <span className="machine-label">{t('models.machine.cpu')}</span> {tn('models.machine.cores', r.cpuCores)}
      </li>
      {r.speed && (
        <li data-testid="machine-speed" data-cpu-bandwidth={Math.round(r.speed.cpuBandwidth)} data-method={r.speed.cpuMethod}>
          <span className="machine-label">{t('models.machine.speed')}</span> {t('models.machine.speedValue', { speed: formatBytes(r.speed.cpuBandwidth) })}{' '}
          <span className="muted">{t('models.machine.speedNote', { size: formatBytes(r.speed.cpuProbeBytes) })}</span>
          {r.speed.gpuBandwidth !== null && r.speed.gpuMethod && (
            <>
              {' · '}
              {t('models.machine.gpuSpeed', { speed: formatBytes(r.speed.gpuBandwidth) })} <span className="muted">{t(`models.machine.gpuSpeed.${r.speed.gpuMethod}`)}</span>
            </>
          )}
        </li>
      )}
      <li data-testid="machine-backend">
        <span className="machine-label">{t('models.machine.runsOn')}</span> {BACKENDS.has(r.backend) ? t(`models.machine.backend.${r.backend}`) : r.backend}
      </li>
    </ul>
  );
}
