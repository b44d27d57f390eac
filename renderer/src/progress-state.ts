// Feedback during slow steps and the actions around them: a model loading (engine.loading), an
// answer reading a long prompt (chat.prompt-progress), Load / Unload of the chosen model, and
// Continue on an answer that stopped at its limit or at a full context.
import type { AppEvent } from '../../app/contract.js';
import { applyFinished } from './messages.js';
import { get, guarded, need, reportError, set } from './state.js';
import { t } from './i18n/index.js';

/** How many times each answer finished: a Continue whose end came before its response must not reopen it. */
const finishes = new Map<string, number>();

export function onProgressEvent(event: AppEvent): void {
  switch (event.type) {
    case 'engine.loading':
      // The status line shows the model being loaded and its progress, not the one loaded before.
      set((s) => ({
        engine: s.engine
          ? { ...s.engine, state: event.progress < 1 ? 'loading' : s.engine.state, modelPath: event.modelPath, loadProgress: event.progress, contextSize: event.progress < 1 ? null : s.engine.contextSize }
          : s.engine,
      }));
      break;
    case 'chat.prompt-progress':
      set((s) => {
        const { [event.messageId]: _old, ...rest } = s.promptProgress;
        // Read to the end: the answer is being written now.
        if (event.done >= event.total) return { promptProgress: rest };
        return { promptProgress: { ...rest, [event.messageId]: { done: event.done, total: event.total, etaMs: event.etaMs } } };
      });
      break;
    case 'chat.finished':
      finishes.set(event.message.id, (finishes.get(event.message.id) ?? 0) + 1);
      if (get().promptProgress[event.message.id]) {
        set((s) => {
          const { [event.message.id]: _old, ...rest } = s.promptProgress;
          return { promptProgress: rest };
        });
      }
      break;
  }
}

/** Loads the model chosen in the picker now (with its default context). */
export async function loadModel(): Promise<void> {
  const modelPath = get().modelPath;
  if (!modelPath) return reportError(t('chat.chooseModel'));
  set({ engineAction: 'load' });
  const status = await guarded(() => need().call('engine.load', { modelPath }));
  set(status ? { engine: status, engineAction: null } : { engineAction: null });
}

/** Frees the loaded model (after an answer being written). */
export async function unloadModel(): Promise<void> {
  set({ engineAction: 'unload' });
  const status = await guarded(() => need().call('engine.unload', {}));
  set(status ? { engine: status, engineAction: null } : { engineAction: null });
}

/** Generates more of the answer `messageId` into the same message. */
export async function continueAnswer(messageId: string): Promise<boolean> {
  const modelPath = get().modelPath;
  if (!modelPath) {
    reportError(t('chat.chooseModel'));
    return false;
  }
  const conversationId = get().currentId;
  const finishedBefore = finishes.get(messageId) ?? 0;
  const result = await guarded(() => need().call('chat.continue', { messageId, modelPath }));
  if (!result) return false;
  // Streaming again, with the text so far; deltas that came first are already on screen.
  if (get().currentId === conversationId && (finishes.get(messageId) ?? 0) === finishedBefore) {
    set((s) => {
      const shown = s.messages.find((m) => m.id === messageId);
      const fresh = result.assistantMessage;
      const keep = shown && shown.content.length > fresh.content.length ? { content: shown.content } : {};
      return { messages: applyFinished(s.messages, { ...fresh, ...keep }) };
    });
  }
  return true;
}
