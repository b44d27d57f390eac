// The model facts the app needs, taken from a GGUF header's metadata and tensor infos.

import { GgufError } from './errors.js';
import { fileTypeName } from './types.js';
import type { GgufReadValue, GgufTensorInfo } from './values.js';

export interface GgufSummary {
  architecture: 'qwen2' | 'qwen2moe';
  name: string | null;
  contextLength: number;
  layers: number;
  embedding: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number | null;
  experts: number | null;
  expertsUsed: number | null;
  expertFfn: number | null;
  sharedExpertFfn: number | null;
  ropeFreqBase: number | null;
  ropeScaling: { type: string; factor: number | null; originalContextLength: number | null } | null;
  /** general.file_type, when present. */
  fileType: number | null;
  /** A name for the quantisation: from general.file_type, else the type holding most tensor bytes. */
  quantisation: string;
  vocabSize: number | null;
  parameterCount: number;
  /** Parameters used per token (MoE: only expertsUsed of the routed experts); equals parameterCount for dense models. */
  activeParameterCount: number;
  chatTemplate: string | null;
  sizeBytes: number;
  /** For a model split over several files (this is the first part): the number of parts and of tensors in all. */
  split: { count: number; tensors: number | null } | null;
}

function positiveInt(metadata: Map<string, GgufReadValue>, key: string, required: true): number;
function positiveInt(metadata: Map<string, GgufReadValue>, key: string, required: boolean): number | null;
function positiveInt(metadata: Map<string, GgufReadValue>, key: string, required: boolean): number | null {
  const v = metadata.get(key);
  if (v === undefined) {
    if (required) throw new GgufError(`missing metadata key ${key}`);
    return null;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new GgufError(`metadata key ${key} must be a positive integer`);
  }
  return v;
}

function optionalNumber(metadata: Map<string, GgufReadValue>, key: string): number | null {
  const v = metadata.get(key);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function optionalString(metadata: Map<string, GgufReadValue>, key: string): string | null {
  const v = metadata.get(key);
  return typeof v === 'string' ? v : null;
}

function dominantType(tensors: GgufTensorInfo[]): string {
  const bytes = new Map<string, number>();
  for (const t of tensors) if (t.dims.length >= 2) bytes.set(t.typeName, (bytes.get(t.typeName) ?? 0) + t.bytes);
  let best = 'F32';
  let most = -1;
  for (const [name, n] of bytes) if (n > most) [best, most] = [name, n];
  return best;
}

export function summarizeGguf(metadata: Map<string, GgufReadValue>, tensors: GgufTensorInfo[], sizeBytes: number): GgufSummary {
  const architecture = metadata.get('general.architecture') as 'qwen2' | 'qwen2moe';
  const k = (suffix: string): string => `${architecture}.${suffix}`;
  const embedding = positiveInt(metadata, k('embedding_length'), true);
  const heads = positiveInt(metadata, k('attention.head_count'), true);
  const moe = architecture === 'qwen2moe';
  const experts = positiveInt(metadata, k('expert_count'), moe);
  const expertsUsed = positiveInt(metadata, k('expert_used_count'), moe);
  if (experts !== null && expertsUsed !== null && expertsUsed > experts) {
    throw new GgufError(`expert_used_count ${expertsUsed} is larger than expert_count ${experts}`);
  }
  const scalingType = optionalString(metadata, k('rope.scaling.type'));
  const fileType = optionalNumber(metadata, 'general.file_type');
  const tokens = metadata.get('tokenizer.ggml.tokens');
  const embd = tensors.find((t) => t.name === 'token_embd.weight');

  let parameterCount = 0;
  let routed = 0;
  for (const t of tensors) {
    parameterCount += t.elements;
    if (t.name.endsWith('_exps.weight')) routed += t.elements;
  }
  const activeParameterCount =
    experts !== null && expertsUsed !== null ? Math.round(parameterCount - routed + (routed * expertsUsed) / experts) : parameterCount;

  return {
    architecture,
    name: optionalString(metadata, 'general.name'),
    contextLength: positiveInt(metadata, k('context_length'), true),
    layers: positiveInt(metadata, k('block_count'), true),
    embedding,
    heads,
    kvHeads: positiveInt(metadata, k('attention.head_count_kv'), false) ?? heads,
    headDim: positiveInt(metadata, k('attention.key_length'), false) ?? Math.floor(embedding / heads),
    ffn: positiveInt(metadata, k('feed_forward_length'), false),
    experts,
    expertsUsed,
    expertFfn: positiveInt(metadata, k('expert_feed_forward_length'), false),
    sharedExpertFfn: positiveInt(metadata, k('expert_shared_feed_forward_length'), false),
    ropeFreqBase: optionalNumber(metadata, k('rope.freq_base')),
    ropeScaling: scalingType
      ? {
          type: scalingType,
          factor: optionalNumber(metadata, k('rope.scaling.factor')),
          originalContextLength: optionalNumber(metadata, k('rope.scaling.original_context_length')),
        }
      : null,
    fileType,
    quantisation: (fileType !== null ? fileTypeName(fileType) : undefined) ?? dominantType(tensors),
    vocabSize: tokens && typeof tokens === 'object' ? tokens.length : (embd?.dims[1] ?? null),
    parameterCount,
    activeParameterCount,
    chatTemplate: optionalString(metadata, 'tokenizer.chat_template'),
    sizeBytes,
    split: (optionalNumber(metadata, 'split.count') ?? 1) > 1
      ? { count: optionalNumber(metadata, 'split.count')!, tensors: optionalNumber(metadata, 'split.tensors.count') }
      : null,
  };
}
