// History across conversations: search (its own small store), export to a file, import from one,
// and the system-prompt presets.
import { create } from 'zustand';
import type { Preset, Sampling, SearchHit } from '../../app/contract.js';
import { guarded, messageOf, need, set as setApp } from './state.js';
import { openConversation } from './store.js';
import { upsertConversation } from './messages.js';

export { splitByRanges } from './messages.js';

export interface SearchState {
  query: string;
  hits: SearchHit[];
  /** The query the hits are for ('' before the first search). */
  searched: string;
  loading: boolean;
  error: string | null;
}

export const useSearch = create<SearchState>()(() => ({ query: '', hits: [], searched: '', loading: false, error: null }));

export const SEARCH_LIMIT = 100;
let searchSeq = 0;

/** Sets the query; the search runs once typing pauses. */
export function setSearchQuery(query: string): void {
  useSearch.setState({ query });
  const seq = ++searchSeq;
  const trimmed = query.trim();
  if (!trimmed) {
    useSearch.setState({ hits: [], searched: '', loading: false, error: null });
    return;
  }
  useSearch.setState({ loading: true });
  setTimeout(() => void runSearch(trimmed, seq), 180);
}

async function runSearch(query: string, seq: number): Promise<void> {
  if (seq !== searchSeq) return;
  try {
    const hits = await need().call('search.messages', { query: query.slice(0, 500), limit: SEARCH_LIMIT });
    if (seq === searchSeq) useSearch.setState({ hits, searched: query, loading: false, error: null });
  } catch (error) {
    if (seq === searchSeq) useSearch.setState({ hits: [], searched: query, loading: false, error: messageOf(error) });
  }
}

export function clearSearch(): void {
  setSearchQuery('');
}

// ---- export and import -----------------------------------------------------------------------

/** Saves the conversation as a file (Markdown: the branch on screen; JSON: every branch, for import). */
export async function exportConversation(id: string, format: 'markdown' | 'json'): Promise<void> {
  const file = await guarded(() => need().call('conversations.export', { id, format }));
  if (!file) return;
  const url = URL.createObjectURL(new Blob([file.content], { type: `${file.mimeType};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Imports a JSON export as a new conversation and opens it; returns the error to show, or null. */
export async function importConversationFile(file: File): Promise<string | null> {
  try {
    const content = await file.text();
    if (!content.trim()) return `${file.name}: empty file`;
    const conversation = await need().call('conversations.import', { content });
    setApp((s) => ({ conversations: upsertConversation(s.conversations, conversation) }));
    await openConversation(conversation.id);
    return null;
  } catch (error) {
    return messageOf(error);
  }
}

// ---- presets ---------------------------------------------------------------------------------

/** Creates a preset, or replaces the one with `id`; returns it (undefined when it failed). */
export async function savePreset(input: { id?: string; name: string; systemPrompt: string; sampling?: Sampling }): Promise<Preset | undefined> {
  const preset = await guarded(() => need().call('presets.save', input));
  if (preset) setApp((s) => ({ presets: [...s.presets.filter((p) => p.id !== preset.id), preset].sort((a, b) => a.name.localeCompare(b.name)) }));
  return preset;
}

export async function deletePreset(id: string): Promise<boolean> {
  const done = await guarded(() => need().call('presets.delete', { id }));
  if (done) setApp((s) => ({ presets: s.presets.filter((p) => p.id !== id) }));
  return done !== undefined;
}
