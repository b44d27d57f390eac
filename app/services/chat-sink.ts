// The sink of an answer in a conversation: its text goes to the answer's writer (stored in
// batches) and to the renderer as chat.delta events (only the new text); how the history was
// fitted is stored with the message, and the reading of a long prompt is announced.
import type { AppEvent } from '../contract.js';
import type { GenerateSink } from '../engine.js';
import type { AnswerWriter, Store } from '../store/index.js';

export interface ConversationSinkInput {
  conversationId: string;
  messageId: string;
  writer: AnswerWriter;
  /** For each turn sent, its index on the stored branch (chat-answer.ts turnsOf). */
  pathIndexOfTurn: readonly number[];
}

export function conversationSink(store: Store, emit: (event: AppEvent) => void, input: ConversationSinkInput): GenerateSink {
  const { conversationId, messageId, writer, pathIndexOfTurn } = input;
  return {
    onPromptProgress: (p) => emit({ type: 'chat.prompt-progress', conversationId, messageId, ...p }),
    onFitted: (report) => {
      // The stored messages before the first turn kept (empty ones, never sent, included).
      const dropped = report.droppedTurns === 0 ? 0 : pathIndexOfTurn[report.droppedTurns]!;
      store.messages.setFitted(messageId, dropped, report.contextSize);
    },
    onDelta: (text) => {
      writer.append(text);
      emit({ type: 'chat.delta', conversationId, messageId, text });
    },
  };
}
