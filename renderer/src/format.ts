// Small display helpers.
import { formatNumber } from './i18n/index.js';

export function baseName(path: string | null): string {
  if (!path) return '';
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${bytes} B`;
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
