// Synthetic Qwen2 GGUF models load and run in node-llama-cpp (CPU, prebuilt binaries).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getLlama, LlamaCompletion, LlamaLogLevel, type Llama, type Token } from 'node-llama-cpp';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { readGgufHeader } from '../../native/gguf/reader.js';
import { QWEN2_CHAT_TEMPLATE } from '../../native/gguf/tokenizer-data.js';

const TEXT = '你好，世界! Hello world 12345';
const IDS = [108386, 3837, 99489, 0, 21927, 1879, 220, 16, 17, 18, 19, 20] as Token[];

let llama: Llama;
before(async () => {
  llama = await getLlama({ build: 'never', gpu: false, logLevel: LlamaLogLevel.warn });
});
after(async () => {
  await llama?.dispose();
});

const cases = [
  { arch: 'qwen2', type: 'q8_0', full: true },
  { arch: 'qwen2moe', type: 'q8_0', full: true },
  { arch: 'qwen2', type: 'f16', full: false },
  { arch: 'qwen2', type: 'q4_0', full: false },
  { arch: 'qwen2moe', type: 'q4_0', full: false },
] as const;

describe('synthetic models in node-llama-cpp', () => {
  for (const c of cases) {
    test(`tiny ${c.arch} ${c.type}: loads, tokenizes like Qwen2 and generates`, async () => {
      const path = await ensureSyntheticModel({ preset: 'tiny', arch: c.arch, type: c.type });
      const header = await readGgufHeader(path);
      assert.equal(header.summary.architecture, c.arch);

      const model = await llama.loadModel({ modelPath: path });
      try {
        assert.deepEqual(model.tokenize(TEXT), IDS);
        assert.equal(model.detokenize(IDS), TEXT);
        assert.equal(model.tokens.bos, 151643);
        assert.equal(model.tokens.eos, 151645);
        assert.equal(model.fileInfo.metadata.general.architecture, c.arch);

        if (c.full) {
          assert.deepEqual(model.tokenize('<|im_start|>', true), [151644]);
          assert.deepEqual(model.tokenize('<|im_end|><|endoftext|>', true), [151645, 151643]);
          assert.notDeepEqual(model.tokenize('<|im_start|>', false), [151644]); // plain text without special tokens
          assert.equal(model.detokenize([151644 as Token], true), '<|im_start|>');
          assert.equal(model.detokenize([151644 as Token], false), '');
          assert.equal(model.fileInfo.metadata.tokenizer.chat_template, QWEN2_CHAT_TEMPLATE);
          assert.equal(model.trainContextSize, 32768);
        }

        const context = await model.createContext({ contextSize: 512, threads: 2 });
        try {
          const sequence = context.getSequence();
          const completion = new LlamaCompletion({ contextSequence: sequence });
          const generate = async (): Promise<Token[]> => {
            const tokens: Token[] = [];
            const r = await completion.generateCompletionWithMeta('Hello', {
              maxTokens: 5,
              temperature: 0,
              onToken: (t) => void tokens.push(...t),
            });
            assert.ok(r.metadata.stopReason === 'maxTokens' || r.metadata.stopReason === 'eogToken');
            return tokens;
          };
          const first = await generate();
          assert.ok(first.length >= 1 && first.length <= 5, `${first.length} tokens`);
          assert.ok(first.every((t) => Number.isInteger(t) && t >= 0 && t < 151936));
          if (c.full) {
            await sequence.clearHistory();
            assert.deepEqual(await generate(), first, 'greedy generation is repeatable');
          }
        } finally {
          await context.dispose();
        }
      } finally {
        await model.dispose();
      }
    });
  }
});
