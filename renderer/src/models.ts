// Model files: the list from main and the one chosen (remembered in localStorage).
import { get, guarded, messageOf, MODEL_KEY, need, set } from './state.js';

export async function refreshModels(): Promise<void> {
  const models = await guarded(() => need().call('models.list', {}));
  if (!models) return;
  set({ models });
  const chosen = get().modelPath;
  const usable = models.filter((m) => !m.problem);
  if (!chosen || !usable.some((m) => m.path === chosen)) selectModel(usable[0]?.path ?? null);
}

export function selectModel(path: string | null): void {
  set({ modelPath: path });
  try {
    if (path) localStorage.setItem(MODEL_KEY, path);
    else localStorage.removeItem(MODEL_KEY);
  } catch {
    // Storage may be unavailable; the choice then lasts for this page only.
  }
}

/** Adds a model file by path; returns the error message to show, or null. */
export async function addModel(path: string): Promise<string | null> {
  try {
    const model = await need().call('models.add', { path });
    await refreshModels();
    if (model.problem) return `${model.name}: ${model.problem}`;
    selectModel(model.path);
    return null;
  } catch (error) {
    return messageOf(error);
  }
}
