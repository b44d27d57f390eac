// Words for a run: its settings in one line, its heatmap's texts, durations.
import type { NiahCell, NiahRun, NiahSettings } from '../../../../app/contract.js';
import { formatNumber } from '../../i18n/index.js';
import type { HeatmapTexts } from './Heatmap.js';
import { formatLength } from './spec.js';

type T = (key: string, vars?: Record<string, string | number>) => string;

/** "context 1,024 · KV cache f16 · flash attention off · no YaRN" */
export function settingsLine(t: T, s: NiahSettings): string {
  return [
    t('niah.settings.context', { n: formatNumber(s.contextSize) }),
    t('niah.settings.kv', { type: s.kvType }),
    s.flashAttention ? t('niah.settings.flashOn') : t('niah.settings.flashOff'),
    s.yarn
      ? t('niah.settings.yarn', { factor: Math.round(s.yarn.factor * 100) / 100, native: formatNumber(s.yarn.originalContext) })
      : t('niah.settings.noYarn'),
  ].join(' · ');
}

/** 45 s, 3 min 20 s, 1 h 5 min. */
export function formatSeconds(t: T, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('niah.time.seconds', { s });
  if (s < 3600) return t('niah.time.minutes', { min: Math.floor(s / 60), s: s % 60 });
  return t('niah.time.hours', { h: Math.floor(s / 3600), min: Math.round((s % 3600) / 60) });
}

export const percent = (share: number): string => formatNumber(share, { style: 'percent', maximumFractionDigits: 0 });

export function heatmapTexts(t: T, run: NiahRun): HeatmapTexts {
  const quant = run.model.quantisation ? ` (${run.model.quantisation})` : '';
  return {
    title: `${run.model.name}${quant}`,
    subtitle: settingsLine(t, run.settings),
    xAxis: t('niah.heatmap.x'),
    yAxis: t('niah.heatmap.y'),
    legend: t('niah.heatmap.legend'),
    cell: (c: NiahCell) =>
      c.total === 0
        ? t('niah.heatmap.cellEmpty', { length: formatLength(c.length), depth: Math.round(c.depth * 1000) / 10 })
        : t('niah.heatmap.cell', { length: formatLength(c.length), depth: Math.round(c.depth * 1000) / 10, correct: c.correct, total: c.total }),
  };
}

/** A file name for the run's exports: niah-<model>-<date>. */
export function exportName(run: NiahRun): string {
  const slug = run.model.name.replace(/\.gguf$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  return `niah-${slug}-${new Date(run.createdAt).toISOString().slice(0, 19).replace(/[T:]/g, '-')}`;
}
