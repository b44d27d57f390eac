// How a load request becomes node-llama-cpp model and context options: the KV cache type, flash
// attention, mmap, and YaRN (rope scaling) when the context is longer than the model's native one.
import type { LlamaContextOptions, LlamaModelOptions } from 'node-llama-cpp';
import { readGgufHeader } from '../../gguf/reader.js';
import { yarnFor, type YarnSetting } from '../shared/long-context.js';
import type { KvType } from '../shared/types.js';

export interface LoadSettings {
  modelPath: string;
  contextSize: number;
  kvType?: KvType;
  flashAttention?: boolean;
  useMmap?: boolean;
}

export interface ResolvedLoad {
  /** Identifies a loaded model + context: a request with another key reloads. */
  key: string;
  model: Pick<LlamaModelOptions, 'modelPath' | 'useMmap' | 'metadataOverrides'>;
  context: Pick<LlamaContextOptions, 'contextSize' | 'flashAttention' | 'experimentalKvCacheKeyType' | 'experimentalKvCacheValueType'>;
  /** The YaRN setting sent to llama.cpp, null when none (at or below the native context). */
  yarn: YarnSetting | null;
  nativeContext: number;
}

const GGML_KV_TYPE = { f16: 'F16', q8_0: 'Q8_0', q4_0: 'Q4_0' } as const;

export function loadKey(s: LoadSettings): string {
  return JSON.stringify([s.modelPath, s.contextSize, s.kvType ?? null, s.flashAttention ?? null, s.useMmap ?? null]);
}

/**
 * Reads the model's header (its architecture and native context) and builds the options. YaRN goes
 * in as metadata overrides under the architecture's prefix, only above the native context; a file
 * that already declares its own rope scaling is left as it is. A model with no rope scaling (neither
 * YaRN added here nor its own) runs at most at its native context.
 */
export async function resolveLoad(s: LoadSettings): Promise<ResolvedLoad> {
  const { summary } = await readGgufHeader(s.modelPath);
  const native = summary.contextLength;
  const yarn = summary.ropeScaling ? null : yarnFor(s.contextSize, native);
  const arch = summary.architecture;
  const model: ResolvedLoad['model'] = { modelPath: s.modelPath };
  if (s.useMmap !== undefined) model.useMmap = s.useMmap;
  if (yarn) {
    model.metadataOverrides = {
      [arch]: { rope: { scaling: { type: 'yarn', factor: yarn.factor, original_context_length: yarn.originalContext } } },
    } as LlamaModelOptions['metadataOverrides'];
  }
  const context: ResolvedLoad['context'] = {
    contextSize: yarn || summary.ropeScaling ? s.contextSize : Math.min(s.contextSize, native),
  };
  if (s.flashAttention !== undefined) context.flashAttention = s.flashAttention;
  if (s.kvType) {
    context.experimentalKvCacheKeyType = GGML_KV_TYPE[s.kvType];
    context.experimentalKvCacheValueType = GGML_KV_TYPE[s.kvType];
  }
  return { key: loadKey(s), model, context, yarn, nativeContext: native };
}
