// The token ids of a chat exactly as the engine evaluates it: the Qwen2 ChatML wrapper the engine
// uses, tokenized by llama.cpp with the model file's own vocabulary (no weights are loaded).
import { getLlama, type LlamaModel } from 'node-llama-cpp';
import { Qwen2ChatWrapper } from '../engine/process/chat-template.js';

export interface VocabModel {
  /** Token ids of a system turn and one user turn, up to and including "<|im_start|>assistant\n". */
  chat(systemPrompt: string, user: string): number[];
  /** Token ids of plain text (special-token text is read as the text it is). */
  text(text: string): number[];
  /** The id of a special token such as "<|im_end|>". */
  special(token: string): number;
  dispose(): Promise<void>;
}

export async function openVocab(modelPath: string): Promise<VocabModel> {
  const llama = await getLlama({ build: 'never', gpu: false, logLevel: 'error' as never });
  const model: LlamaModel = await llama.loadModel({ modelPath, vocabOnly: true });
  const wrapper = new Qwen2ChatWrapper();
  return {
    chat: (systemPrompt, user) =>
      Array.from(
        wrapper
          .generateContextState({ chatHistory: [{ type: 'system', text: systemPrompt }, { type: 'user', text: user }] })
          .contextText.tokenize(model.tokenizer),
      ).map(Number),
    text: (text) => Array.from(model.tokenize(text, false)).map(Number),
    special: (token) => {
      const ids = Array.from(model.tokenize(token, true)).map(Number);
      if (ids.length !== 1) throw new Error(`${token} is not one special token of this vocabulary`);
      return ids[0]!;
    },
    dispose: async () => {
      await model.dispose();
      await llama.dispose();
    },
  };
}
