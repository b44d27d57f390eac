// Exact token counts of a conversation's documents with a model's own tokenizer: after an attach,
// and again when the model changes. One count per conversation and model runs at a time, shared by
// whoever asks; progress goes out as document.progress 'counting', a failure as documents.count-failed.
import path from 'node:path';
import { AppError, type AppEvent, type DocumentInfo } from '../../contract.js';
import type { Engine } from '../../engine.js';
import type { Store } from '../../store/index.js';
import { documentsOf } from './views.js';

export interface CountingDeps {
  store: Store;
  engine: Pick<Engine, 'countTokens'>;
  emit(event: AppEvent): void;
}

/** Whether a document has no count yet with this model's tokenizer. */
export const needsCount = (d: DocumentInfo, modelPath: string) => d.tokenCount === null || d.tokenModel !== modelPath;

export class DocumentCounter {
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly deps: CountingDeps) {}

  /** Counts every document of the conversation not counted with `modelPath` yet; resolves when all are. */
  count(conversationId: string, modelPath: string): Promise<void> {
    const key = JSON.stringify([conversationId, modelPath]);
    const running = this.running.get(key);
    if (running) return running;
    const work = this.countAll(conversationId, modelPath)
      .catch((error: unknown) => {
        // Said once, whoever asked: the list shows why instead of "counting" for ever.
        this.deps.emit({ type: 'documents.count-failed', conversationId, modelPath, message: error instanceof Error ? error.message : String(error) });
        throw error;
      })
      .finally(() => this.running.delete(key));
    this.running.set(key, work);
    return work;
  }

  private async countAll(conversationId: string, modelPath: string): Promise<void> {
    const { store, engine, emit } = this.deps;
    const todo = documentsOf(store.documents, conversationId).filter((d) => needsCount(d, modelPath));
    if (todo.length === 0) return;
    let counted = 0;
    for (const [i, doc] of todo.entries()) {
      emit({ type: 'document.progress', conversationId, name: doc.name, phase: 'counting', done: i, total: todo.length });
      const text = store.documents.text(doc.id);
      if (text === null) continue; // removed meanwhile
      let tokens: number;
      try {
        [tokens = 0] = await engine.countTokens(modelPath, [text]);
      } catch (error) {
        throw new AppError('failed', `Cannot count the tokens of "${doc.name}" with ${path.basename(modelPath)}: ${(error as Error).message}`);
      }
      if (store.documents.setTokenCount(doc.id, tokens, modelPath)) counted++;
    }
    emit({ type: 'document.progress', conversationId, name: todo.at(-1)!.name, phase: 'counting', done: todo.length, total: todo.length });
    if (counted > 0) emit({ type: 'documents.changed', conversationId });
  }
}
