// A copy of the shapes in ../shared/reference/qwen2-family.json, so the app does not need that
// folder at run time. test/unit/gguf-shapes.test.ts checks that the copy still equals the source.

export interface Qwen2ModelFacts {
  arch: 'qwen2' | 'qwen2moe';
  hidden: number;
  layers: number;
  heads: number;
  kv_heads: number;
  head_dim: number;
  intermediate: number;
  vocab: number;
  tied_embeddings: boolean;
  rms_eps: number;
  native_context: number;
  extended_context: number;
  experts?: number;
  experts_per_token?: number;
  expert_intermediate?: number;
  shared_expert_intermediate?: number;
  norm_topk_prob?: boolean;
}

export const QWEN2_ROPE_THETA = 1000000;

export const QWEN2_TOKENIZER_IDS = {
  regular_tokens: 151643,
  control_tokens: { '<|endoftext|>': 151643, '<|im_start|>': 151644, '<|im_end|>': 151645 },
  bos_token_id: 151643,
  eos_token_id_base: 151643,
  eos_token_id_instruct: 151645,
  add_bos_token: false,
  default_system_prompt: 'You are a helpful assistant.',
} as const;

export const QWEN2_MODELS: Record<string, Qwen2ModelFacts> = {
  'Qwen2-0.5B': {
    arch: 'qwen2', hidden: 896, layers: 24, heads: 14, kv_heads: 2, head_dim: 64, intermediate: 4864,
    vocab: 151936, tied_embeddings: true, rms_eps: 1e-6, native_context: 32768, extended_context: 32768,
  },
  'Qwen2-1.5B': {
    arch: 'qwen2', hidden: 1536, layers: 28, heads: 12, kv_heads: 2, head_dim: 128, intermediate: 8960,
    vocab: 151936, tied_embeddings: true, rms_eps: 1e-6, native_context: 32768, extended_context: 32768,
  },
  'Qwen2-7B': {
    arch: 'qwen2', hidden: 3584, layers: 28, heads: 28, kv_heads: 4, head_dim: 128, intermediate: 18944,
    vocab: 152064, tied_embeddings: false, rms_eps: 1e-6, native_context: 32768, extended_context: 131072,
  },
  'Qwen2-57B-A14B': {
    arch: 'qwen2moe', hidden: 3584, layers: 28, heads: 28, kv_heads: 4, head_dim: 128, intermediate: 18944,
    vocab: 151936, tied_embeddings: false, rms_eps: 1e-6, native_context: 32768, extended_context: 65536,
    experts: 64, experts_per_token: 8, expert_intermediate: 2560, shared_expert_intermediate: 20480,
    norm_topk_prob: false,
  },
  'Qwen2-72B': {
    arch: 'qwen2', hidden: 8192, layers: 80, heads: 64, kv_heads: 8, head_dim: 128, intermediate: 29568,
    vocab: 152064, tied_embeddings: false, rms_eps: 1e-6, native_context: 32768, extended_context: 131072,
  },
};
