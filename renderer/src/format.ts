// Small display helpers.
import { formatNumber } from './i18n/index.js';

export function baseName(path: string | null): string {
  if (!path) return '';
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

const BINARY_UNITS: Array<[number, string, number]> = [
  [1024 ** 4, 'TiB', 1],
  [1024 ** 3, 'GiB', 1],
  [1024 ** 2, 'MiB', 0],
  [1024, 'KiB', 0],
];

/**
 * Every size in the UI: binary units, labelled as such (KiB, MiB, GiB, TiB), as the fit planner's
 * explanations and the README write them; "4.4 GiB", "398 MiB". The one formatter for bytes.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  for (const [i, [size, unit, digits]] of BINARY_UNITS.entries()) {
    // The unit below would round up to 1,024 of itself (1023.6 MiB): 1.0 of this one instead.
    const below = BINARY_UNITS[i + 1];
    const roundsUp = below ? Math.round(bytes / below[0]) >= 1024 : Math.round(bytes) >= 1024;
    if (bytes >= size || roundsUp) {
      const value = bytes / size;
      const shown = value < 10 ? 1 : digits; // "2.5 MiB/s", not "3 MiB/s"
      return `${formatNumber(value, { minimumFractionDigits: shown, maximumFractionDigits: shown })} ${unit}`;
    }
  }
  return `${formatNumber(bytes)} B`;
}

/** A transfer or memory speed: formatBytes per second ("12.3 MiB/s"); '' when there is none. */
export function formatByteRate(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '';
}

export function formatRate(tokensPerSecond: number | null | undefined): string {
  if (tokensPerSecond == null || !Number.isFinite(tokensPerSecond)) return '';
  return `${tokensPerSecond >= 100 ? tokensPerSecond.toFixed(0) : tokensPerSecond.toFixed(1)} tok/s`;
}

/** 840 ms, 1.3 s, 12 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${ms < 10_000 ? (ms / 1000).toFixed(1) : Math.round(ms / 1000)} s`;
}

/** Tokens per second with sensible precision. */
export function formatSpeed(tokensPerSecond: number): string {
  return formatNumber(tokensPerSecond, { maximumFractionDigits: tokensPerSecond >= 100 ? 0 : 1 });
}

/** A count with the language's digit grouping (1,234). */
export function formatCount(n: number): string {
  return formatNumber(n);
}

/** The title main gives a conversation before its first question (app/store/conversations.ts). */
const DEFAULT_TITLE = 'New conversation';

/** A conversation without a title of its own shows a translated placeholder instead. */
export function isUntitled(title: string): boolean {
  return !title.trim() || title === DEFAULT_TITLE;
}
