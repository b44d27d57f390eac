// llama.cpp run directly on a model file, for checks that compare it with another implementation
// or measure a model outside the app: the next-token distribution after a prompt of token ids
// (temperature 1, no top-k / top-p / min-p cut, so log-probability differences are logit
// differences), and greedy answers at a chosen context with or without YaRN.
import { getLlama, type LlamaModelOptions, type Token } from 'node-llama-cpp';
import { yarnFor } from '../engine/shared/long-context.js';
import { readGgufHeader } from '../gguf/reader.js';

export interface NextTokenProbe {
  /** Natural-log probabilities of every token llama.cpp reports, by token id, after `prompt`. */
  logProbs(prompt: readonly number[]): Promise<Map<number, number>>;
  /** Up to `maxTokens` greedy tokens after `prompt`, stopping after `stop` if it comes. */
  greedy(prompt: readonly number[], maxTokens: number, stop?: number): Promise<number[]>;
  dispose(): Promise<void>;
}

export interface ProbeOptions {
  contextSize: number;
  /**
   * Above the model's native context: 'yarn' loads it with YaRN (factor = context / native, as the
   * app does), 'plain' with its RoPE unchanged (positions past the trained length). Default 'yarn'.
   */
  rope?: 'yarn' | 'plain';
  /** The model's native context, for the YaRN factor. */
  nativeContext?: number;
  threads?: number;
}

export async function openNextTokenProbe(modelPath: string, options: ProbeOptions): Promise<NextTokenProbe> {
  const llama = await getLlama({ build: 'never', gpu: false, logLevel: 'error' as never });
  const modelOptions: LlamaModelOptions = { modelPath };
  const yarn = options.nativeContext && options.rope !== 'plain' ? yarnFor(options.contextSize, options.nativeContext) : null;
  if (yarn) {
    const { summary } = await readGgufHeader(modelPath);
    modelOptions.metadataOverrides = {
      [summary.architecture]: { rope: { scaling: { type: 'yarn', factor: yarn.factor, original_context_length: yarn.originalContext } } },
    } as LlamaModelOptions['metadataOverrides'];
  }
  const model = await llama.loadModel(modelOptions);
  const context = await model.createContext({ contextSize: options.contextSize, sequences: 1, threads: options.threads ?? 2 });
  const sequence = context.getSequence();
  return {
    async logProbs(prompt) {
      await sequence.clearHistory();
      const run = sequence.evaluateWithMetadata(prompt.map((t) => t as Token), { probabilities: true }, { temperature: 1, topK: 0, topP: 1, minP: 0 });
      const first = await run.next();
      await run.return();
      if (first.done) throw new Error('llama.cpp gave no next token');
      const out = new Map<number, number>();
      for (const [token, p] of first.value.probabilities) out.set(Number(token), Math.log(p));
      return out;
    },
    async greedy(prompt, maxTokens, stop) {
      await sequence.clearHistory();
      const out: number[] = [];
      for await (const token of sequence.evaluate(prompt.map((t) => t as Token), { temperature: 0, yieldEogToken: true })) {
        out.push(Number(token));
        if (out.length >= maxTokens || Number(token) === stop) break;
      }
      return out;
    },
    async dispose() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}
