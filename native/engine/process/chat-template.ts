// Qwen2-Instruct's ChatML, exactly as its tokenizer_config.json template renders it:
// <|im_start|>{role}\n{content}<|im_end|>\n ... <|im_start|>assistant\n  (no BOS token).
import { ChatWrapper, LlamaText, SpecialTokensText, type ChatWrapperGenerateContextStateOptions, type ChatWrapperGeneratedContextState } from 'node-llama-cpp';

export class Qwen2ChatWrapper extends ChatWrapper {
  readonly wrapperName = 'Qwen2 ChatML';

  override generateContextState({ chatHistory }: ChatWrapperGenerateContextStateOptions): ChatWrapperGeneratedContextState {
    const parts: LlamaText[] = [];
    const turn = (role: string, text: LlamaText | string, close: boolean) =>
      LlamaText([
        new SpecialTokensText(`<|im_start|>${role}\n`),
        text,
        close ? new SpecialTokensText('<|im_end|>\n') : LlamaText([]),
      ]);
    chatHistory.forEach((item, index) => {
      const last = index === chatHistory.length - 1;
      if (item.type === 'system') parts.push(turn('system', LlamaText.fromJSON(item.text), true));
      else if (item.type === 'user') parts.push(turn('user', item.text, true));
      else parts.push(turn('assistant', this.generateModelResponseText(item.response), !last));
    });
    const lastItem = chatHistory[chatHistory.length - 1];
    if (!lastItem || lastItem.type !== 'model') parts.push(turn('assistant', '', false));
    return {
      contextText: LlamaText(parts),
      stopGenerationTriggers: [LlamaText(new SpecialTokensText('<|im_end|>')), LlamaText('<|im_end|>')],
    };
  }
}
