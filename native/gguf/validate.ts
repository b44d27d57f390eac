// Checks a Qwen2 / Qwen2-MoE GGUF header the way llama.cpp will when it loads the file, so a file
// that passes here neither fails to load nor trips one of llama.cpp's asserts (which end the engine
// process). Mirrors llama-model.cpp (hyperparameters and their asserts), models/qwen2*.cpp (the
// tensors and shapes created), llama-model-loader.cpp (strict key types, no unused tensors, mmap
// alignment) and llama-vocab.cpp (tokenizer arrays, unique tokens).

import { GgufError, printable } from './errors.js';
import type { GgufArrayValue, GgufReadValue, GgufTensorInfo } from './values.js';
import type { GgufTypeName } from './types.js';

export interface ValidatedHeader {
  metadata: Map<string, GgufReadValue>;
  metadataTypes: Map<string, GgufTypeName>;
  tensors: GgufTensorInfo[];
}

/** llama.cpp places tensor data at 32-byte boundaries when it maps the file (TENSOR_ALIGNMENT). */
export const TENSOR_DATA_ALIGNMENT = 32;
const MAX_LAYERS = 512;
const MAX_EXPERTS = 1024;
const ROPE_SCALING_TYPES = new Set(['none', 'linear', 'yarn', 'longrope']);
/** BPE pre-tokenizers this llama.cpp knows (llama-vocab.cpp); another name fails the load. */
const BPE_PRE = new Set(
  ('default llama3 llama-v3 llama-bpe falcon3 falcon-h1 pixtral midm-2.0 lfm2 jina-v5-nano deepseek-llm deepseek-coder ' +
    'deepseek-v3 youtu falcon mpt starcoder gpt-2 phi-2 jina-es jina-de gigachat jina-v2-es jina-v2-de a.x-4.0 mellum ' +
    'modern-bert jais-2 gemma4 granite-embed-multi-311m sarvam-moe jina-v1-en jina-v2-code roberta-bpe whitespace refact ' +
    'command-r qwen2 deepseek-r1-qwen kormo f2llmv2 qwen35 stablelm2 olmo dbrx smaug-bpe poro-chat glm4 chatglm-bpe viking ' +
    'jais tekken smollm codeshell bloom gpt3-finnish exaone exaone4 exaone-moe chameleon minerva-7b megrez gpt-4o llama4 ' +
    'kanana2 talkie granite-embed-multi-97m tiny_aya cohere2moe superbpe trillion granite-docling bailingmoe bailingmoe2 ' +
    'llada-moe seed-coder hunyuan hunyuan-dense joyai-llm kimi-k2 grok-2 afmoe laguna minimax-m2 solar-open mellum2 minicpm5').split(' '),
);

// The GGUF type llama.cpp reads each key as; any other type fails the load ("key X has wrong type").
const ARCH_KEY_TYPES: Record<string, GgufTypeName> = {
  context_length: 'u32', embedding_length: 'u32', embedding_length_out: 'u32', pooling_type: 'u32', block_count: 'u32',
  nextn_predict_layers: 'u32', expert_count: 'u32', expert_used_count: 'u32', expert_group_count: 'u32',
  expert_group_used_count: 'u32', feed_forward_length: 'u32', 'attention.head_count': 'u32', 'attention.head_count_kv': 'u32',
  'rope.scaling.original_context_length': 'u32', 'attention.key_length': 'u32', 'attention.value_length': 'u32',
  'rope.dimension_count': 'u32', 'attention.key_length_swa': 'u32', 'attention.value_length_swa': 'u32',
  'rope.dimension_count_swa': 'u32', expert_feed_forward_length: 'u32', expert_shared_feed_forward_length: 'u32',
  'attention.causal': 'bool', 'rope.scaling.finetuned': 'bool', 'rope.freq_base': 'f32', 'rope.scaling.factor': 'f32',
  'rope.scale_linear': 'f32', 'rope.scaling.attn_factor': 'f32', 'attention.layer_norm_rms_epsilon': 'f32',
  'rope.scaling.type': 'string',
};
const KEY_TYPES: Record<string, GgufTypeName> = {
  'general.name': 'string', 'general.file_type': 'u32', 'tokenizer.ggml.model': 'string', 'tokenizer.ggml.pre': 'string',
  'tokenizer.ggml.token_type_count': 'u32', 'tokenizer.ggml.bos_token_id': 'u32', 'tokenizer.ggml.eos_token_id': 'u32',
  'tokenizer.ggml.eot_token_id': 'u32', 'tokenizer.ggml.eom_token_id': 'u32', 'tokenizer.ggml.unknown_token_id': 'u32',
  'tokenizer.ggml.seperator_token_id': 'u32', 'tokenizer.ggml.padding_token_id': 'u32', 'tokenizer.ggml.mask_token_id': 'u32',
  'tokenizer.ggml.add_bos_token': 'bool', 'tokenizer.ggml.add_eos_token': 'bool', 'tokenizer.ggml.add_sep_token': 'bool',
  'tokenizer.ggml.add_space_prefix': 'bool', 'tokenizer.ggml.remove_extra_whitespaces': 'bool', 'tokenizer.chat_template': 'string',
};

type Meta = ValidatedHeader['metadata'];

function fail(reason: string): never {
  throw new GgufError(reason);
}

function checkKeyTypes(h: ValidatedHeader, arch: string): void {
  for (const [key, type] of h.metadataTypes) {
    const want = key.startsWith(`${arch}.`) ? ARCH_KEY_TYPES[key.slice(arch.length + 1)] : KEY_TYPES[key];
    if (want && type !== want) fail(`metadata key ${key} must be a ${want}, not ${type === 'array' ? 'an array' : `a ${type}`}`);
  }
}

function u32(m: Meta, key: string): number | null {
  const v = m.get(key);
  return typeof v === 'number' ? v : null;
}

function float(m: Meta, key: string, rule: 'positive' | 'non-negative'): number | null {
  const v = m.get(key);
  if (v === undefined) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || (rule === 'positive' ? v <= 0 : v < 0)) {
    fail(`metadata key ${key} must be a finite ${rule === 'positive' ? 'number above 0' : 'number of 0 or more'} (is ${String(v)})`);
  }
  return v;
}

function array(m: Meta, key: string): GgufArrayValue | null {
  const v = m.get(key);
  return v !== undefined && typeof v === 'object' ? v : null;
}

/** A dimension not known from this file (the vocabulary of a split part without the tokenizer). */
const ANY = -1;

interface Hyper {
  arch: 'qwen2' | 'qwen2moe';
  embd: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  experts: number;
  expertsUsed: number;
  vocab: number;
}

/**
 * The hyperparameters llama.cpp derives, with the checks it asserts on or fails over. `whole`: the
 * file is the whole model, so keys llama.cpp requires must be here (part 1 of a split model written
 * by other tools may leave some out; what it has is still checked).
 */
function hyperparameters(m: Meta, arch: 'qwen2' | 'qwen2moe', whole: boolean): Hyper {
  const k = (s: string): string => `${arch}.${s}`;
  const need = (s: string): number => {
    const v = u32(m, k(s));
    if (v === null) fail(`missing metadata key ${k(s)}`);
    return v;
  };
  if (need('context_length') <= 0) fail(`${k('context_length')} must be above 0`);
  const embd = need('embedding_length');
  if (embd <= 0) fail(`${k('embedding_length')} must be above 0`);
  const layers = need('block_count');
  if (layers < 1 || layers > MAX_LAYERS) fail(`${k('block_count')} ${layers} is outside 1..${MAX_LAYERS}`);
  const nextn = u32(m, k('nextn_predict_layers')) ?? 0;
  if (nextn > layers) fail(`${k('nextn_predict_layers')} ${nextn} is more than block_count ${layers}`);

  const heads = need('attention.head_count');
  if (heads <= 0) fail(`${k('attention.head_count')} must be above 0`);
  const kvHeads = u32(m, k('attention.head_count_kv')) ?? heads;
  if (kvHeads <= 0 || heads % kvHeads !== 0) fail(`${k('attention.head_count_kv')} ${kvHeads} must be above 0 and divide head_count ${heads}`);
  const headDim = u32(m, k('attention.key_length')) ?? Math.floor(embd / heads);
  const valueDim = u32(m, k('attention.value_length')) ?? Math.floor(embd / heads);
  const rot = u32(m, k('rope.dimension_count')) ?? headDim;
  if (headDim <= 0) fail(`head size is 0 (embedding_length ${embd}, head_count ${heads})`);
  if (valueDim !== headDim || rot !== headDim) {
    fail(`key length ${headDim}, value length ${valueDim} and rope dimension count ${rot} must be equal`);
  }
  if (headDim * heads !== embd) fail(`head_count ${heads} x head size ${headDim} must equal embedding_length ${embd}`);

  float(m, k('rope.freq_base'), 'positive');
  float(m, k('rope.scaling.factor'), 'non-negative');
  float(m, k('rope.scale_linear'), 'non-negative');
  float(m, k('rope.scaling.attn_factor'), 'non-negative');
  const scaling = m.get(k('rope.scaling.type'));
  if (scaling !== undefined && !ROPE_SCALING_TYPES.has(scaling as string)) {
    fail(`unknown ${k('rope.scaling.type')} ${printable(String(scaling))} (known: ${[...ROPE_SCALING_TYPES].join(', ')})`);
  }
  if (u32(m, k('rope.scaling.original_context_length')) === 0) fail(`${k('rope.scaling.original_context_length')} must be above 0`);
  if (float(m, k('attention.layer_norm_rms_epsilon'), 'positive') === null && whole) {
    fail(`missing metadata key ${k('attention.layer_norm_rms_epsilon')}`);
  }

  const experts = u32(m, k('expert_count')) ?? 0;
  const expertsUsed = u32(m, k('expert_used_count')) ?? 0;
  const groups = u32(m, k('expert_group_count')) ?? 0;
  if (experts > MAX_EXPERTS) fail(`${k('expert_count')} ${experts} is more than ${MAX_EXPERTS}`);
  if (expertsUsed > experts) fail(`${k('expert_used_count')} ${expertsUsed} is more than expert_count ${experts}`);
  if (arch === 'qwen2moe' && (experts === 0 || expertsUsed === 0)) fail('a qwen2moe model needs expert_count and expert_used_count above 0');
  if (experts === 0 && (expertsUsed !== 0 || groups !== 0)) fail('expert_used_count or expert_group_count set without experts');
  if (experts > 0 && groups > 0) {
    const used = u32(m, k('expert_group_used_count')) ?? 0;
    if (groups >= experts || (groups > 1 && (experts % groups !== 0 || used === 0 || used >= groups))) {
      fail(`expert groups (${groups}, ${used} used) do not fit ${experts} experts`);
    }
  }
  const ffn = u32(m, k('feed_forward_length')) ?? 0;
  const vocab = whole || m.has('tokenizer.ggml.tokens') ? checkVocab(m) : ANY;
  return { arch, embd, layers, heads, kvHeads, headDim, ffn, experts, expertsUsed, vocab };
}

/** The tokenizer arrays llama-vocab.cpp reads; returns the vocabulary size. */
function checkVocab(m: Meta): number {
  const model = m.get('tokenizer.ggml.model');
  if (model === undefined) fail('missing metadata key tokenizer.ggml.model');
  if (model !== 'gpt2') fail(`unsupported tokenizer.ggml.model ${printable(String(model))} (Qwen2 models use gpt2)`);
  const pre = m.get('tokenizer.ggml.pre');
  if (pre !== undefined && pre !== '' && !BPE_PRE.has(pre as string)) fail(`unknown tokenizer.ggml.pre ${printable(String(pre))}`);
  const tokens = array(m, 'tokenizer.ggml.tokens');
  if (!tokens || tokens.itemType !== 'string') fail('tokenizer.ggml.tokens must be an array of strings');
  if (tokens.length === 0) fail('tokenizer.ggml.tokens is empty');
  const merges = array(m, 'tokenizer.ggml.merges');
  if (!merges || merges.itemType !== 'string') fail('tokenizer.ggml.merges must be an array of strings');
  const types = m.get('tokenizer.ggml.token_type');
  if (types !== undefined) {
    const t = array(m, 'tokenizer.ggml.token_type');
    if (!t || t.itemType !== 'i32') fail('tokenizer.ggml.token_type must be an array of i32');
    if (t.length < tokens.length) fail(`tokenizer.ggml.token_type has ${t.length} items for ${tokens.length} tokens`);
  }
  if (m.has('tokenizer.ggml.scores')) {
    const s = array(m, 'tokenizer.ggml.scores');
    if (!s || (s.itemType !== 'f32' && s.itemType !== 'i32')) fail('tokenizer.ggml.scores must be an array of f32 or i32');
    if (s.length < tokens.length) fail(`tokenizer.ggml.scores has ${s.length} items for ${tokens.length} tokens`);
  }
  return tokens.length;
}

interface Expected {
  dims: number[];
  required: boolean;
}

/** The tensors llama.cpp creates for the model (models/qwen2.cpp, models/qwen2moe.cpp) and their shapes. */
function plan(h: Hyper, m: Meta, present: Set<string>): Map<string, Expected> {
  const { embd: E, vocab: V, layers } = h;
  const G = h.headDim * h.kvHeads;
  const p = new Map<string, Expected>();
  const add = (name: string, dims: number[], required = true): void => void p.set(name, { dims, required });
  add('token_embd.weight', [E, V]);
  add('output_norm.weight', [E]);
  add('output.weight', [E, V], h.arch === 'qwen2moe');
  if (h.arch === 'qwen2') add('output.bias', [V], false);
  for (let i = 0; i < layers; i++) {
    const b = `blk.${i}.`;
    add(`${b}attn_norm.weight`, [E]);
    if (present.has(`${b}attn_qkv.weight`)) {
      add(`${b}attn_qkv.weight`, [E, E + 2 * G]);
      add(`${b}attn_qkv.bias`, [E + 2 * G], false);
    } else {
      add(`${b}attn_q.weight`, [E, E]);
      add(`${b}attn_k.weight`, [E, G]);
      add(`${b}attn_v.weight`, [E, G]);
      add(`${b}attn_q.bias`, [E], false);
      add(`${b}attn_k.bias`, [G], false);
      add(`${b}attn_v.bias`, [G], false);
    }
    add(`${b}attn_output.weight`, [E, E]);
    add(`${b}ffn_norm.weight`, [E]);
    if (h.arch === 'qwen2') {
      add(`${b}ffn_gate.weight`, [E, h.ffn]);
      add(`${b}ffn_down.weight`, [h.ffn, E]);
      add(`${b}ffn_up.weight`, [E, h.ffn]);
    } else {
      const X = h.experts;
      const fx = u32(m, `${h.arch}.expert_feed_forward_length`) || Math.floor(h.ffn / h.expertsUsed);
      const fs = u32(m, `${h.arch}.expert_shared_feed_forward_length`) || h.ffn;
      add(`${b}ffn_gate_inp.weight`, [E, X]);
      add(`${b}ffn_gate_exps.weight`, [E, fx, X]);
      add(`${b}ffn_down_exps.weight`, [fx, E, X]);
      add(`${b}ffn_up_exps.weight`, [E, fx, X]);
      add(`${b}ffn_gate_inp_shexp.weight`, [E]);
      add(`${b}ffn_gate_shexp.weight`, [E, fs]);
      add(`${b}ffn_down_shexp.weight`, [fs, E]);
      add(`${b}ffn_up_shexp.weight`, [E, fs]);
    }
  }
  return p;
}

const shape = (dims: number[]): string => `[${dims.map((d) => (d === ANY ? '*' : d)).join(', ')}]`;
const sameShape = (a: number[], b: number[]): boolean => {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (b[i] !== ANY && (a[i] ?? 1) !== (b[i] ?? 1)) return false;
  return true;
};
const INTEGER_TYPES = new Set(['I8', 'I16', 'I32', 'I64', 'F64']);

function checkTensors(h: Hyper, m: Meta, tensors: GgufTensorInfo[], whole: boolean): void {
  const present = new Set(tensors.map((t) => t.name));
  const expected = plan(h, m, present);
  for (const t of tensors) {
    const e = expected.get(t.name);
    if (!e) {
      // A split model's parts hold the rest; a whole file with an unused tensor fails in llama.cpp.
      if (whole) fail(`unexpected tensor ${printable(t.name)} for a ${h.arch} model of ${h.layers} layers`);
      continue;
    }
    if (!sameShape(t.dims, e.dims)) fail(`tensor ${t.name} has shape ${shape(t.dims)}, expected ${shape(e.dims)}`);
    if (INTEGER_TYPES.has(t.typeName)) fail(`tensor ${t.name} has type ${t.typeName}, not a weight type`);
    if (t.dims.length <= 1 && t.typeName !== 'F32') fail(`tensor ${t.name} (a norm or bias) must be F32, not ${t.typeName}`);
  }
  if (!whole) return;
  for (const [name, e] of expected) if (e.required && !present.has(name)) fail(`missing tensor ${name}`);
}

/**
 * Checks a header's hyperparameters, tokenizer and tensors against what llama.cpp needs. Only a file
 * with general.architecture (a whole model, or part 1 of a split one) has hyperparameters; for
 * part 1 of a split model only the tensors it holds are checked.
 */
export function validateModel(h: ValidatedHeader): void {
  const arch = h.metadata.get('general.architecture');
  if (arch !== 'qwen2' && arch !== 'qwen2moe') return;
  checkKeyTypes(h, arch);
  const splits = h.metadata.get('split.count');
  const whole = typeof splits !== 'number' || splits <= 1;
  checkTensors(hyperparameters(h.metadata, arch, whole), h.metadata, h.tensors, whole);
}
