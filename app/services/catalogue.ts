// The catalogue of the Qwen2 Instruct family: one entry per model, one file per quantisation, with
// the fit plan for this machine and a recommendation. Sizes are built-in estimates
// (catalogue-data.ts) until the repositories' listings are read from Hugging Face
// (`GET {base}/api/models/{repo}/tree/main`); a listing that answered replaces that model's file
// list and sizes with the exact ones and is kept in memory. A listing that fails (no network, an
// HTTP error, an answer that is not a listing) keeps the estimates and is tried again later.
import type { CatalogueEntry, CatalogueFile, FitPlan } from '../contract.js';
import type { PlanSummary } from '../../native/engine/main/memory-sizes.js';
import { resolvePreset } from '../../native/gguf/presets.js';
import {
  CATALOGUE_MODELS, QUANTS, estimateFileBytes, estimateTensors, parameterCounts, partNames,
  type CatalogueModelData, type EstimatedTensor, type Quant,
} from './catalogue-data.js';
import { DEFAULT_HF_BASE } from './downloads/uri.js';
import { recommend, type MachineFacts, type RecommendCandidate } from './recommend.js';

/** A catalogue entry without its files, as the planner gets it (with the shape's preset and file slug). */
export type CatalogueModel = Omit<CatalogueEntry, 'files' | 'recommendedFile' | 'recommendation'> & Pick<CatalogueModelData, 'preset' | 'slug'>;

/** Plans one file at a context on this machine; null when it cannot be planned. */
export type PlanFn = (entry: CatalogueModel, file: CatalogueFile, contextSize: number) => FitPlan | null | Promise<FitPlan | null>;

export interface CatalogueOptions {
  /** Default: $QWEN2_DESK_HF_BASE, else https://huggingface.co. */
  hfBase?: string;
  fetchImpl?: typeof fetch;
  /** How long one listing may take (default 5 s). */
  timeoutMs?: number;
  /** A failed listing is tried again after this long (default 10 min). */
  retryMs?: number;
}

export interface Catalogue {
  /**
   * Every model with its files, each planned at `contextSize` (default 8192) when `plan` is given,
   * and, when `machine` is given, the one file recommended for it (recommend.ts).
   */
  list(opts?: { plan?: PlanFn; contextSize?: number; machine?: MachineFacts }): Promise<CatalogueEntry[]>;
  /** Reads the listings now (list() does it when they are missing or due). */
  refresh(): Promise<void>;
  /** What native/engine/main/memory-plan.ts planFit needs for a catalogue file (tensors scaled to its size). */
  planInputs(entryId: string, file: Pick<CatalogueFile, 'quant' | 'sizeBytes'>): { summary: PlanSummary; tensors: EstimatedTensor[] };
}

export const CATALOGUE_CONTEXT = 8192;

interface ListedFile {
  quant: string;
  parts: string[];
  sizeBytes: number;
}

const modelOf = (m: CatalogueModelData): CatalogueModel => {
  const shape = resolvePreset(m.preset);
  const counts = parameterCounts(m.preset);
  return {
    id: m.id, name: m.name, architecture: shape.arch, parameters: counts.parameters, activeParameters: counts.activeParameters,
    nativeContext: shape.nativeContext, extendedContext: shape.extendedContext, repo: m.repo, description: m.description,
    preset: m.preset, slug: m.slug,
  };
};

const estimatedFiles = (m: CatalogueModelData): ListedFile[] =>
  QUANTS.map((quant) => {
    const sizeBytes = estimateFileBytes(m.preset, quant);
    return { quant, parts: partNames(m.slug, quant, sizeBytes), sizeBytes };
  });

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The model's GGUF files in a repository listing (complete split sets only), or null if none. */
export function parseListing(m: Pick<CatalogueModelData, 'slug'>, body: unknown): ListedFile[] | null {
  if (!Array.isArray(body)) return null;
  const pattern = new RegExp(`^qwen2-${escape(m.slug)}-instruct-([a-z0-9_]+)(?:-(\\d{5})-of-(\\d{5}))?\\.gguf$`, 'i');
  const groups = new Map<string, { count: number; parts: Map<number, { name: string; size: number }> }>();
  for (const item of body as unknown[]) {
    if (!item || typeof item !== 'object') continue;
    const { type, path, size, lfs } = item as { type?: unknown; path?: unknown; size?: unknown; lfs?: { size?: unknown } };
    const bytes = typeof lfs?.size === 'number' ? lfs.size : size;
    if (type !== 'file' || typeof path !== 'string' || typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes <= 0) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const quant = match[1]!.toLowerCase();
    const count = match[3] ? Number(match[3]) : 1;
    const index = match[2] ? Number(match[2]) : 1;
    const group = groups.get(quant) ?? { count, parts: new Map() };
    if (group.count !== count) continue;
    group.parts.set(index, { name: path, size: bytes });
    groups.set(quant, group);
  }
  const files: ListedFile[] = [];
  for (const [quant, g] of groups) {
    const parts = Array.from({ length: g.count }, (_, i) => g.parts.get(i + 1));
    if (parts.some((p) => !p)) continue;
    files.push({ quant, parts: parts.map((p) => p!.name), sizeBytes: parts.reduce((s, p) => s + p!.size, 0) });
  }
  const rank = (q: string) => {
    const i = (QUANTS as readonly string[]).indexOf(q);
    return i < 0 ? QUANTS.length : i;
  };
  files.sort((a, b) => rank(a.quant) - rank(b.quant) || a.quant.localeCompare(b.quant));
  return files.length > 0 ? files : null;
}

/** What native/engine/main/memory-plan.ts planFit needs for a catalogue file (tensors scaled to its size). */
function planInputs(entryId: string, file: Pick<CatalogueFile, 'quant' | 'sizeBytes'>): { summary: PlanSummary; tensors: EstimatedTensor[] } {
  const m = CATALOGUE_MODELS.find((c) => c.id === entryId);
  if (!m) throw new Error(`No catalogue model "${entryId}".`);
  const s = resolvePreset(m.preset);
  const quant: Quant = (QUANTS as readonly string[]).includes(file.quant) ? (file.quant as Quant) : 'q8_0';
  const tensors = estimateTensors(m.preset, quant);
  const total = tensors.reduce((sum, t) => sum + t.bytes, 0);
  const scale = file.sizeBytes > 0 && total > 0 ? file.sizeBytes / total : 1;
  const summary: PlanSummary = {
    architecture: s.arch, contextLength: s.nativeContext, layers: s.layers, embedding: s.hidden, heads: s.heads, kvHeads: s.kvHeads,
    headDim: s.headDim, experts: s.experts ?? null, expertsUsed: s.expertsUsed ?? null, expertFfn: s.expertFfn ?? null,
    sharedExpertFfn: s.sharedExpertFfn ?? null, vocabSize: s.vocab,
  };
  return { summary, tensors: tensors.map((t) => ({ ...t, bytes: Math.round(t.bytes * scale) })) };
}

const candidateOf = (model: CatalogueModel, file: CatalogueFile): RecommendCandidate => ({
  entryId: model.id, parameters: model.parameters, activeParameters: model.activeParameters, fileName: file.fileName, quant: file.quant,
  ...planInputs(model.id, file),
});

export function createCatalogue(opts: CatalogueOptions = {}): Catalogue {
  const base = (opts.hfBase ?? process.env.QWEN2_DESK_HF_BASE ?? DEFAULT_HF_BASE).replace(/\/+$/, '');
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const retryMs = opts.retryMs ?? 10 * 60_000;
  const exact = new Map<string, ListedFile[]>();
  const failedAt = new Map<string, number>();
  let inFlight: Promise<void> | null = null;

  const fetchListing = async (m: CatalogueModelData): Promise<void> => {
    try {
      const response = await fetchImpl(`${base}/api/models/${m.repo}/tree/main`, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const files = parseListing(m, await response.json());
      if (!files) throw new Error('no GGUF files in the listing');
      exact.set(m.repo, files);
      failedAt.delete(m.repo);
    } catch {
      failedAt.set(m.repo, Date.now());
    }
  };

  const refresh = (force: boolean): Promise<void> => {
    const due = CATALOGUE_MODELS.filter((m) => !exact.has(m.repo) && (force || Date.now() - (failedAt.get(m.repo) ?? -Infinity) >= retryMs));
    if (due.length === 0) return inFlight ?? Promise.resolve();
    inFlight ??= Promise.all(due.map(fetchListing)).then(() => {
      inFlight = null;
    });
    return inFlight;
  };

  const filesOf = (m: CatalogueModelData): CatalogueFile[] => {
    const listed = exact.get(m.repo);
    return (listed ?? estimatedFiles(m)).map((f) => ({
      quant: f.quant, fileName: f.parts[0]!, parts: f.parts, sizeBytes: f.sizeBytes, sizeExact: listed !== undefined,
      uri: `hf:${m.repo}/${f.parts[0]!}`, fit: null,
    }));
  };

  // The recommendation depends only on the machine's facts and the file list: kept for the next load.
  let memo: { key: string; pick: ReturnType<typeof recommend> } | null = null;
  const recommendFor = (planned: Array<{ model: CatalogueModel; files: CatalogueFile[] }>, machine: MachineFacts) => {
    const key = JSON.stringify([machine, planned.map(({ files }) => files.map((f) => [f.fileName, f.sizeBytes]))]);
    if (memo?.key !== key) memo = { key, pick: recommend(planned.flatMap(({ model, files }) => files.map((f) => candidateOf(model, f))), machine) };
    return memo.pick;
  };

  return {
    refresh: () => refresh(true),
    async list({ plan, contextSize = CATALOGUE_CONTEXT, machine } = {}) {
      await refresh(false);
      const planned = await Promise.all(
        CATALOGUE_MODELS.map(async (m) => {
          const model = modelOf(m);
          const files = await Promise.all(
            filesOf(m).map(async (file) => {
              // A plan that fails leaves the file unplanned; it never fails the whole list.
              const fit = plan ? await Promise.resolve().then(() => plan(model, file, contextSize)).catch(() => null) : null;
              return { ...file, fit };
            }),
          );
          return { model, files };
        }),
      );
      const pick = machine ? recommendFor(planned, machine) : null;
      return planned.map(({ model: { preset: _preset, slug: _slug, ...entry }, files }) => {
        if (pick?.entryId !== entry.id) return { ...entry, files, recommendedFile: null, recommendation: null };
        const { entryId: _id, ...recommendation } = pick;
        return { ...entry, files, recommendedFile: pick.fileName, recommendation };
      });
    },
    planInputs,
  };
}
