// Documents in the renderer: the documents of each conversation, files being added (upload or path,
// with progress and errors in plain words), how each answer used the documents (the mode banner,
// the citations) and the citation side panel. Main's events keep it current once
// ensureDocumentEvents() has run (the document components call it when they mount).
import { create } from 'zustand';
import type { AnswerSources, AppEvent, Citation, CitedPassage, DocumentInfo, DocumentProgress } from '../../app/contract.js';
import { pathForFile, upload, UploadError } from './api.js';
import { t } from './i18n/index.js';
import { get as getApp, getApi, messageOf, need } from './state.js';
import { refreshModels } from './models.js';

export interface AddingDocument {
  key: number;
  conversationId: string;
  name: string;
  phase: DocumentProgress['phase'] | 'waiting';
  done: number;
  total: number;
  /** Why it was not added, in plain words; the entry stays until dismissed. */
  error: string | null;
}

export interface CitationPanelState {
  citation: Citation;
  passage: CitedPassage | null;
  error: string | null;
}

export interface DocumentsState {
  /** Ready documents by conversation, oldest first. */
  byConversation: Record<string, DocumentInfo[]>;
  adding: AddingDocument[];
  /** How each answer used the documents, by answer (message) id. */
  sources: Record<string, AnswerSources>;
  panel: CitationPanelState | null;
  /** Why the documents of a conversation could not be counted with a model (until they are). */
  countFailed: Record<string, { modelPath: string; message: string }>;
}

export const useDocuments = create<DocumentsState>()(() => ({ byConversation: {}, adding: [], sources: {}, panel: null, countFailed: {} }));
const set = useDocuments.setState;
const get = useDocuments.getState;

let nextKey = 1;
let subscribed: (() => void) | null = null;
/** The model each conversation's documents were last listed with. */
const listedWith = new Map<string, string | undefined>();

/** Subscribes to main's document events once (safe to call from every component). */
export function ensureDocumentEvents(): void {
  if (subscribed) return;
  const api = getApi();
  if (api) subscribed = api.onEvent(onDocumentsEvent);
}

export function onDocumentsEvent(event: AppEvent): void {
  if (event.type === 'document.progress') {
    if (event.phase === 'counting') return; // shown on the document itself
    patchAdding(event.conversationId, event.name, { phase: event.phase, done: event.done, total: event.total });
  } else if (event.type === 'documents.count-failed') {
    set((s) => ({ countFailed: { ...s.countFailed, [event.conversationId]: { modelPath: event.modelPath, message: event.message } } }));
  } else if (event.type === 'documents.changed') {
    if (event.conversationId in get().countFailed) {
      set((s) => ({ countFailed: Object.fromEntries(Object.entries(s.countFailed).filter(([id]) => id !== event.conversationId)) }));
    }
    if (listedWith.has(event.conversationId)) void loadDocuments(event.conversationId, listedWith.get(event.conversationId));
  } else if (event.type === 'documents.answer') {
    set((s) => ({ sources: { ...s.sources, [event.sources.messageId]: event.sources } }));
  }
}

function patchAdding(conversationId: string, name: string, patch: Partial<AddingDocument>): void {
  set((s) => ({
    adding: s.adding.map((a) => (a.conversationId === conversationId && a.name === name && a.error === null ? { ...a, ...patch } : a)),
  }));
}

export async function loadDocuments(conversationId: string, modelPath?: string | null): Promise<void> {
  listedWith.set(conversationId, modelPath ?? undefined);
  try {
    const docs = await need().call('documents.list', { conversationId, ...(modelPath ? { modelPath } : {}) });
    set((s) => ({ byConversation: { ...s.byConversation, [conversationId]: docs } }));
  } catch {
    // a deleted conversation: nothing to show
  }
}

export async function loadSources(conversationId: string): Promise<void> {
  try {
    const list = await need().call('documents.sources', { conversationId });
    set((s) => ({ sources: { ...s.sources, ...Object.fromEntries(list.map((x) => [x.messageId, x])) } }));
  } catch {
    // a deleted conversation: nothing to show
  }
}

/** Adds dropped or picked files: by path in the desktop app, uploaded to the headless host otherwise. */
export function attachFiles(conversationId: string, files: Iterable<File>, modelPath: string | null): void {
  ensureDocumentEvents();
  for (const file of files) {
    const key = nextKey++;
    const entry: AddingDocument = { key, conversationId, name: file.name, phase: 'waiting', done: 0, total: file.size, error: null };
    set((s) => ({ adding: [...s.adding, entry] }));
    const path = pathForFile(file);
    const added = path ? attachPath(conversationId, path, modelPath) : uploadDocument(conversationId, file, modelPath, key);
    void added.then(
      () => {
        set((s) => ({ adding: s.adding.filter((a) => a.key !== key) }));
        void loadDocuments(conversationId, modelPath);
      },
      (error: unknown) => set((s) => ({ adding: s.adding.map((a) => (a.key === key ? { ...a, error: messageOf(error) } : a)) })),
    );
  }
}

async function attachPath(conversationId: string, path: string, modelPath: string | null): Promise<void> {
  await need().call('documents.attach', { conversationId, path, ...(modelPath ? { modelPath } : {}) });
}

async function uploadDocument(conversationId: string, file: File, modelPath: string | null, key: number): Promise<void> {
  // Main's own progress (reading, indexing) takes over once the upload is through.
  const uploading = (a: AddingDocument) => a.key === key && (a.phase === 'waiting' || a.phase === 'uploading');
  const onProgress = (done: number, total: number) =>
    set((s) => ({ adding: s.adding.map((a) => (uploading(a) ? { ...a, phase: 'uploading' as const, done, total } : a)) }));
  try {
    await upload('documents', file, { params: { conversationId, name: file.name, ...(modelPath ? { modelPath } : {}) }, onProgress });
  } catch (error) {
    if (!(error instanceof UploadError)) throw error;
    if (error.reason !== 'refused') throw new Error(t('documents.uploadBroken', { name: file.name }));
    throw new Error(error.hostMessage ?? t('documents.uploadFailed', { name: file.name, status: error.status }));
  }
}

export function dismissAdding(key: number): void {
  set((s) => ({ adding: s.adding.filter((a) => a.key !== key) }));
}

export async function cancelAdding(conversationId: string): Promise<void> {
  await need().call('documents.cancel', { conversationId }).catch(() => undefined);
}

/** Removes a document; a failure is shown on the bar like a failed attach. */
export async function removeDocument(doc: DocumentInfo): Promise<void> {
  set((s) => ({
    byConversation: { ...s.byConversation, [doc.conversationId]: (s.byConversation[doc.conversationId] ?? []).filter((d) => d.id !== doc.id) },
  }));
  try {
    await need().call('documents.remove', { id: doc.id });
  } catch (error) {
    const failed: AddingDocument = {
      key: nextKey++, conversationId: doc.conversationId, name: doc.name, phase: 'waiting', done: 0, total: 0,
      error: t('documents.removeFailed', { name: doc.name, reason: messageOf(error) }),
    };
    set((s) => ({ adding: [...s.adding, failed] }));
  }
  void loadDocuments(doc.conversationId, listedWith.get(doc.conversationId));
}

/** Opens the side panel on source [n] of an answer. */
export async function openCitation(citation: Citation): Promise<void> {
  set({ panel: { citation, passage: null, error: null } });
  try {
    const passage = await need().call('documents.passage', { id: citation.passageId });
    if (get().panel?.citation === citation) set({ panel: { citation, passage, error: null } });
  } catch (error) {
    if (get().panel?.citation === citation) set({ panel: { citation, passage: null, error: messageOf(error) } });
  }
}

export function closeCitation(): void {
  set({ panel: null });
}

/** Gives the model a larger context by default (models.update), for full-document mode from the next answer. */
export async function applyLargerContext(modelPath: string, contextSize: number): Promise<void> {
  const model = getApp().models.find((m) => m.path === modelPath) ?? (await need().call('models.list', {})).find((m) => m.path === modelPath);
  if (!model) throw new Error(`${modelPath} is not in the library.`);
  await need().call('models.update', { id: model.id, defaults: { ...model.defaults, contextSize } });
  await refreshModels();
}

/** "64K" for 65,536; other sizes keep their digits. */
export function contextLabel(n: number): string {
  return n % 1024 === 0 ? `${n / 1024}K` : n.toLocaleString();
}
