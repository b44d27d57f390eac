// Display helpers for the model manager.
import type { FitVerdict } from '../../../../app/contract.js';
import { formatNumber, t } from '../../i18n/index.js';

import { formatByteRate } from '../../format.js';

export { formatBytes } from '../../format.js';

/** 7615616512 -> "7.6B", 494032768 -> "494M". */
export function formatParams(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1).replace(/\.0$/, '')}B`;
  if (n >= 1e6) return `${Math.round(n / 1e6)}M`;
  return `${Math.round(n / 1e3)}K`;
}

/** Tokens of context: 32768 -> "32K", 24576 -> "24K", 1000 -> "1000". */
export function formatContext(n: number): string {
  return n >= 1024 && n % 1024 === 0 ? `${n / 1024}K` : formatNumber(n);
}

/** A download's speed, in the same units as every size (formatBytes). */
export function formatSpeed(bytesPerSecond: number): string {
  return formatByteRate(bytesPerSecond);
}

export function formatEta(seconds: number | null): string {
  if (seconds == null || !Number.isFinite(seconds)) return '';
  if (seconds < 60) return t('models.eta.seconds', { s: Math.max(1, Math.round(seconds)) });
  if (seconds < 3600) return t('models.eta.minutes', { min: Math.round(seconds / 60) });
  const h = Math.floor(seconds / 3600);
  return t('models.eta.hours', { h, min: Math.round((seconds - h * 3600) / 60) });
}

export function verdictLabel(verdict: FitVerdict): string {
  return t(`models.verdict.${verdict}`);
}

const QUANTS_WITH_HINT = new Set(['fp16', 'q8_0', 'q6_k', 'q5_k_m', 'q5_0', 'q4_k_m', 'q4_0', 'q3_k_m', 'q2_k']);

/** A plain hint for each published quantisation ('' for others). */
export function quantHint(quant: string): string {
  return QUANTS_WITH_HINT.has(quant) ? t(`models.quant.${quant}`) : '';
}

/** The uris of every part of a catalogue file (a split model downloads part by part). */
export function partUris(uri: string, fileName: string, parts: string[]): string[] {
  const prefix = uri.slice(0, uri.length - fileName.length);
  return parts.map((p) => prefix + p);
}
