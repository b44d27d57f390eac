// Display helpers for the model manager.
import type { FitVerdict } from '../../../../app/contract.js';

export { formatBytes } from '../../format.js';

/** 7615616512 -> "7.6B", 494032768 -> "494M". */
export function formatParams(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1).replace(/\.0$/, '')}B`;
  if (n >= 1e6) return `${Math.round(n / 1e6)}M`;
  return `${Math.round(n / 1e3)}K`;
}

/** Tokens of context: 32768 -> "32K", 24576 -> "24K", 1000 -> "1000". */
export function formatContext(n: number): string {
  return n >= 1024 && n % 1024 === 0 ? `${n / 1024}K` : n.toLocaleString('en-US');
}

export function formatSpeed(bytesPerSecond: number): string {
  if (!(bytesPerSecond > 0)) return '';
  if (bytesPerSecond >= 1024 ** 2) return `${(bytesPerSecond / 1024 ** 2).toFixed(1)} MB/s`;
  return `${Math.max(1, Math.round(bytesPerSecond / 1024))} KB/s`;
}

export function formatEta(seconds: number | null): string {
  if (seconds == null || !Number.isFinite(seconds)) return '';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min left`;
  const h = Math.floor(seconds / 3600);
  return `${h} h ${Math.round((seconds - h * 3600) / 60)} min left`;
}

export const VERDICT_LABEL: Record<FitVerdict, string> = {
  gpu: 'Fits on GPU',
  split: 'GPU + CPU',
  cpu: 'CPU only',
  'does-not-fit': 'Does not fit',
};

/** A plain hint for each published quantisation. */
export const QUANT_HINT: Record<string, string> = {
  fp16: 'original precision, largest',
  q8_0: 'near-original quality',
  q6_k: 'very high quality',
  q5_k_m: 'high quality',
  q5_0: 'high quality (older format)',
  q4_k_m: 'balanced size and quality',
  q4_0: 'smaller (older format)',
  q3_k_m: 'small, lower quality',
  q2_k: 'smallest, noticeably worse',
};

/** The uris of every part of a catalogue file (a split model downloads part by part). */
export function partUris(uri: string, fileName: string, parts: string[]): string[] {
  const prefix = uri.slice(0, uri.length - fileName.length);
  return parts.map((p) => prefix + p);
}
