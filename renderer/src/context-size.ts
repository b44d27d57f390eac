// The context a conversation's next answer runs at, as main computes it (app/services/chat-settings.ts
// resolveContextSize): the conversation's own setting, else the picked model's default, else 4096.
// The document chips, the context meter before the first answer and the mode banner read it here, so
// they change together when either setting changes.
import { useApp, type AppState } from './store.js';

export const DEFAULT_CONTEXT_SIZE = 4096;

export function effectiveContextSize(s: Pick<AppState, 'conversations' | 'models' | 'modelPath'>, conversationId: string | null): number | null {
  const conversation = conversationId ? s.conversations.find((c) => c.id === conversationId) : undefined;
  const own = conversation?.settings.contextSize;
  if (own) return own;
  const model = s.models.find((m) => m.path === s.modelPath);
  if (!model) return null;
  return model.defaults.contextSize ?? DEFAULT_CONTEXT_SIZE;
}

export function useContextSize(conversationId: string | null): number | null {
  return useApp((s) => effectiveContextSize(s, conversationId));
}
