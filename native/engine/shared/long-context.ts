// Long-context facts of the Qwen2 family: the context each model reads with YaRN, and the YaRN
// setting for a context (none up to the native 32K).
import { QWEN2_MODELS } from '../../gguf/qwen2-shapes.js';
import type { GgufSummary } from '../../gguf/summary.js';

/**
 * The context the model handles with YaRN (the Qwen2 report): 131072 for 7B and 72B, 65536 for
 * 57B-A14B, 32768 for 0.5B and 1.5B. The model is recognised by its shape (embedding size,
 * attention heads, experts; not the layer count, so shortened test models keep their family);
 * unknown shapes get their native context_length.
 */
export function extendedContextFor(s: Pick<GgufSummary, 'contextLength' | 'embedding' | 'heads' | 'kvHeads' | 'experts' | 'layers'>): number {
  const moe = (s.experts ?? 0) > 0;
  for (const f of Object.values(QWEN2_MODELS)) {
    if (f.hidden === s.embedding && f.heads === s.heads && f.kv_heads === s.kvHeads && (f.arch === 'qwen2moe') === moe && s.layers <= f.layers) {
      return Math.max(f.extended_context, s.contextLength);
    }
  }
  return s.contextLength;
}

export interface YarnSetting {
  /** contextSize / originalContext, never a whole number (llama.cpp ignores integer overrides). */
  factor: number;
  originalContext: number;
}

/**
 * The YaRN setting for a context: none up to the native context (YaRN is static and would change
 * behaviour within it), else factor = context / native. The factor is sent to llama.cpp as a
 * metadata override, where a whole number arrives as an integer and is silently ignored, so a
 * whole factor is nudged up by 1e-9 (4 -> 4.000000001); freq_scale = 1/factor is unchanged in f32.
 */
export function yarnFor(contextSize: number, nativeContext = 32768): YarnSetting | null {
  if (!(contextSize > nativeContext)) return null;
  let factor = contextSize / nativeContext;
  if (Number.isInteger(factor)) factor += 1e-9;
  return { factor, originalContext: nativeContext };
}
