// Token counts with a model's own tokenizer: the loaded model when it is the one asked for, else the
// model file's vocabulary alone (LlamaModelOptions.vocabOnly: no weights are read, so counting a
// document never waits for, or costs the memory of, a full load).
import type { Llama, LlamaModel } from 'node-llama-cpp';

export class TokenCounter {
  private vocab: { modelPath: string; model: Promise<LlamaModel> } | null = null;

  constructor(
    private readonly llama: Llama,
    /** The fully loaded model, if any. */
    private readonly loaded: () => { modelPath: string; model: LlamaModel } | null,
  ) {}

  async count(modelPath: string, texts: readonly string[]): Promise<number[]> {
    const model = await this.modelFor(modelPath);
    // Plain text: special-token text in a document ("<|im_start|>") is counted as the text it is.
    return texts.map((text) => (text.length === 0 ? 0 : model.tokenize(text, false).length));
  }

  private async modelFor(modelPath: string): Promise<LlamaModel> {
    const loaded = this.loaded();
    if (loaded && loaded.modelPath === modelPath) return loaded.model;
    if (this.vocab?.modelPath !== modelPath) {
      const previous = this.vocab;
      const model = this.llama.loadModel({ modelPath, vocabOnly: true });
      this.vocab = { modelPath, model };
      model.catch(() => {
        if (this.vocab?.model === model) this.vocab = null;
      });
      if (previous) void previous.model.then((m) => m.dispose()).catch(() => {});
    }
    return this.vocab!.model;
  }

  async dispose(): Promise<void> {
    const vocab = this.vocab;
    this.vocab = null;
    if (vocab) await vocab.model.then((m) => m.dispose()).catch(() => {});
  }
}
