// Text output of `qwen2-desk models`: a table of models, the facts of one model, a progress line.
import type { Download, LibraryModel, ModelSummary } from '../../app/contract.js';
import { formatBytes } from '../../app/services/disk.js';

/** `s` in a column of width n (at least one space after it; too long: cut with an ellipsis). */
const pad = (s: string, n: number) => (s.length >= n ? `${s.slice(0, n - 2)}… ` : s.padEnd(n));

export function modelTable(models: LibraryModel[]): string {
  if (models.length === 0) return 'No models yet. Put .gguf files in the models folder, or use `qwen2-desk models pull` or `import`.\n';
  const head = `${pad('ID', 9)}${pad('NAME', 36)}${pad('SIZE', 11)}${pad('QUANT', 8)}${pad('ARCH', 10)}${pad('SOURCE', 12)}STATUS`;
  const rows = models.map((m) => {
    const status = m.problem ?? (m.loaded ? 'loaded' : 'ok');
    return `${pad(m.id.slice(0, 8), 9)}${pad(m.name, 36)}${pad(formatBytes(m.sizeBytes), 11)}${pad(m.summary?.quantisation ?? '-', 8)}${pad(m.architecture ?? '-', 10)}${pad(m.source, 12)}${status}`;
  });
  return `${[head, ...rows].join('\n')}\n`;
}

const millions = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} B` : `${(n / 1e6).toFixed(1)} M`);

export function summaryLines(s: ModelSummary): string[] {
  const lines = [
    ['architecture', s.architecture],
    ['name', s.name ?? '-'],
    ['quantisation', s.quantisation],
    ['parameters', s.experts ? `${millions(s.parameterCount)} (${millions(s.activeParameterCount)} active)` : millions(s.parameterCount)],
    ['context', String(s.contextLength)],
    ['layers', String(s.layers)],
    ['embedding', String(s.embedding)],
    ['heads', `${s.heads} (kv ${s.kvHeads}, dim ${s.headDim})`],
    ['ffn', s.ffn === null ? '-' : String(s.ffn)],
  ];
  if (s.experts) {
    lines.push(['experts', `${s.expertsUsed} of ${s.experts} per token`]);
    lines.push(['expert ffn', `${s.expertFfn ?? '-'} (shared expert ${s.sharedExpertFfn ?? '-'})`]);
  }
  if (s.ropeScaling) lines.push(['rope scaling', `${s.ropeScaling.type} x${s.ropeScaling.factor ?? '?'}`]);
  if (s.split) lines.push(['split', `${s.split.count} parts`]);
  lines.push(['chat template', s.chatTemplate ? 'yes' : 'no']);
  return lines.map(([k, v]) => `  ${pad(`${k}:`, 15)}${v}`);
}

export function modelText(m: LibraryModel): string {
  const lines = [
    `${m.name}  (${m.id})`,
    `  ${pad('path:', 15)}${m.path}`,
    ...(m.parts.length > 1 ? m.parts.slice(1).map((p) => `  ${pad('', 15)}${p}`) : []),
    `  ${pad('size:', 15)}${formatBytes(m.sizeBytes)}`,
    `  ${pad('source:', 15)}${m.source}${m.loaded ? ' (loaded)' : ''}`,
    `  ${pad('status:', 15)}${m.problem ?? 'ok'}`,
  ];
  if (m.labels.length) lines.push(`  ${pad('labels:', 15)}${m.labels.join(', ')}`);
  if (Object.keys(m.defaults).length) lines.push(`  ${pad('defaults:', 15)}${JSON.stringify(m.defaults)}`);
  if (m.summary) lines.push(...summaryLines(m.summary));
  return `${lines.join('\n')}\n`;
}

export function progressLine(d: Download): string {
  const got = formatBytes(d.receivedBytes);
  const of = d.totalBytes ? ` of ${formatBytes(d.totalBytes)} (${Math.floor((d.receivedBytes / d.totalBytes) * 100)}%)` : '';
  const speed = d.bytesPerSecond > 0 ? `  ${formatBytes(d.bytesPerSecond)}/s` : '';
  const eta = d.etaSeconds !== null ? `  ${d.etaSeconds} s left` : '';
  return `${d.fileName}: ${d.state} ${got}${of}${speed}${eta}`;
}
