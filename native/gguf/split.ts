// A model whose tensors are spread over several GGUF files (llama-gguf-split's
// `name-0000k-of-0000N.gguf`). Part 1 holds the model's metadata and some tensors; every later part
// holds only its split.* keys (split.no, split.count, split.tensors.count) and more tensors. The
// model is one model: its shape comes from part 1's metadata, its tensors, parameters and size are
// those of all parts together.
import { GgufError } from './errors.js';
import { readGgufHeader, type GgufHeader, type GgufPartHeader, type GgufTensorInfo } from './reader.js';
import { summarizeGguf, type GgufSummary } from './summary.js';

export interface GgufModel {
  /** Part 1's header (its `summary` covers part 1 only; use `summary` below). */
  first: GgufHeader;
  parts: readonly string[];
  /** The tensors of every part, in part order. */
  tensors: GgufTensorInfo[];
  /** All parts' file sizes together. */
  sizeBytes: number;
  /** The whole model: part 1's metadata with every part's tensors and size. */
  summary: GgufSummary;
}

const intKey = (h: GgufPartHeader, key: string): number | null => {
  const v = h.metadata.get(key);
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
};

/** Checks that a later part is part `index` (0-based) of a `count`-part model. */
function checkLaterPart(h: GgufPartHeader, index: number, count: number): void {
  const label = `part ${index + 1} of ${count}`;
  if (h.metadata.has('general.architecture')) throw new GgufError(`${label} holds a whole model header; expected a later part of a split model`, h.path);
  const no = intKey(h, 'split.no');
  const parts = intKey(h, 'split.count');
  if (no === null || parts === null) throw new GgufError(`${label} has no split.no / split.count keys: not a part of a split model`, h.path);
  if (no !== index) throw new GgufError(`${label} says it is part ${no + 1} (split.no ${no}); the parts are out of order or mixed up`, h.path);
  if (parts !== count) throw new GgufError(`${label} says the model has ${parts} parts, part 1 says ${count}`, h.path);
}

/**
 * Reads every part of a model (one path for an unsplit file) and returns the model as a whole.
 * Throws GgufError naming the part when a part is unreadable, missing from the list, out of order,
 * belongs to another model, or when the tensors do not add up to split.tensors.count.
 */
export async function readGgufModel(parts: readonly string[]): Promise<GgufModel> {
  if (parts.length === 0) throw new GgufError('the model has no files');
  const first = await readGgufHeader(parts[0]!);
  const declared = first.summary.split?.count ?? 1;
  const no = intKey(first, 'split.no');
  if (no !== null && no !== 0) throw new GgufError(`this is part ${no + 1} of a split model, not the first`, first.path);
  if (declared !== parts.length) {
    throw new GgufError(
      declared > 1
        ? `part 1 of a ${declared}-part split model; ${parts.length === 1 ? 'the other parts are needed too' : `${parts.length} parts were given`}`
        : `not a split model, but ${parts.length} parts were given`,
      first.path,
    );
  }
  if (parts.length === 1) return { first, parts, tensors: first.tensors, sizeBytes: first.fileSize, summary: first.summary };

  const later = await Promise.all(parts.slice(1).map((p) => readGgufHeader(p, { laterPart: true })));
  later.forEach((h, i) => checkLaterPart(h, i + 1, declared));
  const tensors = [first, ...later].flatMap((h) => h.tensors);
  const names = new Set<string>();
  for (const t of tensors) {
    if (names.has(t.name)) throw new GgufError(`tensor ${t.name} is in more than one part of the split model`, first.path);
    names.add(t.name);
  }
  const expected = first.summary.split?.tensors ?? null;
  if (expected !== null && expected !== tensors.length) {
    throw new GgufError(`the parts hold ${tensors.length} tensors but split.tensors.count says ${expected}`, first.path);
  }
  const sizeBytes = [first, ...later].reduce((sum, h) => sum + h.fileSize, 0);
  return { first, parts, tensors, sizeBytes, summary: summarizeGguf(first.metadata, tensors, sizeBytes) };
}
