// What the files of one model are and whether they can be used: split-model names
// (`name-00001-of-00003.gguf`), and a check of every part from its GGUF header (cached by size and
// modification time, so listing the library does not re-read unchanged files).
import fs from 'node:fs/promises';
import path from 'node:path';
import { GgufError, readGgufHeader, type GgufSummary } from '../../native/gguf/reader.js';
import { readGgufModel } from '../../native/gguf/split.js';
import type { ModelSummary } from '../contract.js';

const SPLIT = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;

export interface SplitName {
  /** 1-based. */
  index: number;
  count: number;
  /** The name without the `-0000k-of-0000N.gguf` ending. */
  base: string;
}

export function parseSplitName(fileName: string): SplitName | null {
  const m = SPLIT.exec(fileName);
  if (!m) return null;
  const index = Number(m[2]);
  const count = Number(m[3]);
  if (count < 2 || index < 1 || index > count) return null;
  return { index, count, base: m[1]! };
}

/** Every part path of the model whose file (any part) is `filePath`; one entry for an unsplit file. */
export function partsOf(filePath: string): string[] {
  const split = parseSplitName(path.basename(filePath));
  if (!split) return [filePath];
  const dir = path.dirname(filePath);
  const width = (n: number) => String(n).padStart(5, '0');
  return Array.from({ length: split.count }, (_, i) => path.join(dir, `${split.base}-${width(i + 1)}-of-${width(split.count)}.gguf`));
}

export interface ModelCheck {
  sizeBytes: number;
  architecture: 'qwen2' | 'qwen2moe' | null;
  problem: string | null;
  summary: ModelSummary | null;
}

export function toModelSummary(s: GgufSummary, sizeBytes: number): ModelSummary {
  return {
    architecture: s.architecture,
    name: s.name,
    contextLength: s.contextLength,
    layers: s.layers,
    embedding: s.embedding,
    heads: s.heads,
    kvHeads: s.kvHeads,
    headDim: s.headDim,
    ffn: s.ffn,
    experts: s.experts,
    expertsUsed: s.expertsUsed,
    expertFfn: s.expertFfn,
    sharedExpertFfn: s.sharedExpertFfn,
    ropeFreqBase: s.ropeFreqBase,
    ropeScaling: s.ropeScaling,
    quantisation: s.quantisation,
    parameterCount: s.parameterCount,
    activeParameterCount: s.activeParameterCount,
    chatTemplate: s.chatTemplate,
    sizeBytes,
    split: s.split,
  };
}

type PartResult = { ok: true; summary: GgufSummary | null } | { ok: false; reason: string };

/** Checks headers of the parts of one model. */
export class ModelChecker {
  private readonly cache = new Map<string, { stamp: string; result: PartResult }>();

  async check(parts: string[]): Promise<ModelCheck> {
    const stats = await Promise.all(parts.map((p) => fs.stat(p).catch(() => null)));
    const sizeBytes = stats.reduce((sum, s) => sum + (s?.isFile() ? s.size : 0), 0);
    const missing = parts.filter((_, i) => !stats[i]?.isFile());
    let summary: ModelSummary | null = null;
    let problem: string | null = null;
    if (missing.length === parts.length && parts.length === 1) {
      problem = 'the file is missing (moved or deleted?)';
    } else if (missing.length > 0) {
      const which = missing.map((p) => path.basename(p)).join(', ');
      problem = `${missing.length} of ${parts.length} parts of this split model are missing: ${which}`;
    }
    const first = stats[0]?.isFile() ? await this.part(parts[0]!, `${stats[0].size}:${stats[0].mtimeMs}`, 0, parts.length) : null;
    if (first && !first.ok) problem ??= first.reason;
    if (first?.ok && first.summary) summary = toModelSummary(first.summary, sizeBytes);
    if (summary && parts.length > 1 && summary.split?.count !== parts.length) {
      problem ??= `the header says ${summary.split?.count ?? 1} part(s) but the file names say ${parts.length}`;
    }
    if (!problem) {
      for (let i = 1; i < parts.length; i++) {
        const r = await this.part(parts[i]!, `${stats[i]!.size}:${stats[i]!.mtimeMs}`, i, parts.length);
        if (!r.ok) {
          problem = `part ${i + 1} (${path.basename(parts[i]!)}): ${r.reason}`;
          break;
        }
      }
    }
    // A split model's parameters and tensors are those of all its parts, not part 1's.
    if (!problem && parts.length > 1) {
      try {
        summary = toModelSummary((await readGgufModel(parts)).summary, sizeBytes);
      } catch (error) {
        problem = error instanceof GgufError ? error.reason : `cannot be read (${(error as Error).message})`;
      }
    }
    return { sizeBytes, architecture: summary?.architecture ?? null, problem, summary };
  }

  private async part(file: string, stamp: string, index: number, count: number): Promise<PartResult> {
    const cached = this.cache.get(file);
    if (cached && cached.stamp === stamp) return cached.result;
    const result = await checkPart(file, index, count);
    this.cache.set(file, { stamp, result });
    return result;
  }
}

/** The first part must be a usable Qwen2 GGUF; a later part must be the GGUF part it claims to be. */
async function checkPart(file: string, index: number, count: number): Promise<PartResult> {
  try {
    const header = await readGgufHeader(file);
    if (index > 0) return { ok: false, reason: 'holds a whole model header; expected a later part of a split model' };
    return { ok: true, summary: header.summary };
  } catch (error) {
    if (!(error instanceof GgufError)) return { ok: false, reason: `cannot be read (${(error as Error).message})` };
    if (index > 0 && error.reason === `part ${index + 1} of ${count} of a split model; open the first part`) return { ok: true, summary: null };
    return { ok: false, reason: error.reason };
  }
}

/** Header check for a file about to enter the library; returns the reason it cannot, or null. */
export async function headerProblem(file: string, index = 0, count = 1): Promise<string | null> {
  const r = await checkPart(file, index, count);
  return r.ok ? null : r.reason;
}
