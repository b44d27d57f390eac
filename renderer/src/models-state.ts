// The model manager's state (a second zustand store): which page is shown, the catalogue and this
// machine's resources, downloads (kept current by 'download.updated' events) and uploads of dropped
// files. Library models themselves live in the app store (state.models, refetched on 'models.changed').
import { create } from 'zustand';
import type { AppEvent, CatalogueEntry, Download, FitPlan, KvCacheType, LibraryModel, ModelDefaults, SystemResources } from '../../app/contract.js';
import { pathForFile, upload, UploadError } from './api.js';
import { getApi, guarded, messageOf, need, set as setApp } from './state.js';
import { t } from './i18n/index.js';
import { refreshModels, selectModel } from './models.js';

export type Page = 'chat' | 'models' | 'settings';

export interface Upload {
  id: number;
  name: string;
  loaded: number;
  total: number;
  state: 'uploading' | 'done' | 'failed';
  error: string | null;
}

export interface ModelsState {
  page: Page;
  catalogue: CatalogueEntry[] | null;
  resources: SystemResources | null;
  /** Why the catalogue or the resources could not be read. */
  catalogueError: string | null;
  catalogueLoading: boolean;
  downloads: Download[];
  uploads: Upload[];
}

export const useModels = create<ModelsState>()(() => ({
  page: 'chat',
  catalogue: null,
  resources: null,
  catalogueError: null,
  catalogueLoading: false,
  downloads: [],
  uploads: [],
}));

const set = useModels.setState;
const get = useModels.getState;

export const ACTIVE_DOWNLOAD = new Set<Download['state']>(['queued', 'downloading', 'paused', 'verifying']);

export function setPage(page: Page): void {
  set({ page });
  if (page === 'models') {
    void refreshCatalogue();
    void refreshDownloads();
  }
}

export async function refreshCatalogue(): Promise<void> {
  const api = getApi();
  if (!api || get().catalogueLoading) return;
  set({ catalogueLoading: true });
  const [catalogue, resources] = await Promise.allSettled([api.call('catalogue.list', {}), api.call('system.resources', {})]);
  const failed = [catalogue, resources].find((r) => r.status === 'rejected');
  set((s) => ({
    catalogueLoading: false,
    catalogue: catalogue.status === 'fulfilled' ? catalogue.value : s.catalogue,
    resources: resources.status === 'fulfilled' ? resources.value : s.resources,
    catalogueError: failed ? messageOf(failed.reason) : null,
  }));
}

export async function refreshDownloads(): Promise<void> {
  const downloads = await guarded(() => need().call('downloads.list', {}));
  if (downloads) set({ downloads });
}

function upsertDownload(d: Download): void {
  set((s) => {
    const i = s.downloads.findIndex((x) => x.id === d.id);
    if (i < 0) return { downloads: [d, ...s.downloads] };
    const next = [...s.downloads];
    next[i] = d;
    return { downloads: next };
  });
}

/** Main's events for the model manager (the app store handles chat and engine events). */
export function onModelsEvent(event: AppEvent): void {
  if (event.type === 'download.updated') {
    upsertDownload(event.download);
    if (event.download.state === 'done') void refreshModels();
  } else if (event.type === 'models.changed') {
    void refreshModels();
  }
}

/** Starts the download of every part of a file (a split model is one download per part). */
export async function startDownload(uris: string[]): Promise<void> {
  for (const uri of uris) {
    const d = await guarded(() => need().call('downloads.start', { uri }));
    if (d) upsertDownload(d);
    else return;
  }
}

export async function downloadAction(action: 'pause' | 'resume' | 'cancel', id: string): Promise<void> {
  const method = ({ pause: 'downloads.pause', resume: 'downloads.resume', cancel: 'downloads.cancel' } as const)[action];
  const d = await guarded(() => need().call(method, { id }));
  if (d) upsertDownload(d);
}

/** Saves labels or defaults; returns the error message to show, or null. */
export async function updateModel(id: string, change: { labels?: string[]; defaults?: ModelDefaults }): Promise<string | null> {
  try {
    const model = await need().call('models.update', { id, ...change });
    setApp((s) => ({ models: s.models.map((m) => (m.id === model.id ? model : m)) }));
    return null;
  } catch (error) {
    return messageOf(error);
  }
}

export async function deleteModel(model: LibraryModel): Promise<string | null> {
  try {
    await need().call('models.delete', { id: model.id, deleteFile: model.source !== 'referenced' });
    await refreshModels();
    return null;
  } catch (error) {
    return messageOf(error);
  }
}

export function planModel(id: string, contextSize: number, kvType: KvCacheType, flashAttention: boolean): Promise<FitPlan> {
  return need().call('models.plan', { id, contextSize, kvType, flashAttention });
}

/** Opens the chat with this model chosen. */
export function chatWithModel(model: LibraryModel): void {
  selectModel(model.path);
  setPage('chat');
}

// ---- importing files (drop or picker) ----

let nextUpload = 1;

function patchUpload(id: number, patch: Partial<Upload>): void {
  set((s) => ({ uploads: s.uploads.map((u) => (u.id === id ? { ...u, ...patch } : u)) }));
}

export function dismissUpload(id: number): void {
  set((s) => ({ uploads: s.uploads.filter((u) => u.id !== id) }));
}

/** Adds dropped or picked files: by path in the desktop app, else uploaded to the headless host. */
export function importFiles(files: Iterable<File>): void {
  for (const file of files) {
    const id = nextUpload++;
    set((s) => ({ uploads: [...s.uploads, { id, name: file.name, loaded: 0, total: file.size, state: 'uploading', error: null }] }));
    if (!/\.gguf$/i.test(file.name)) {
      patchUpload(id, { state: 'failed', error: t('models.import.notGguf', { name: file.name }) });
      continue;
    }
    const path = pathForFile(file);
    if (path) void addByPath(id, path);
    else void uploadModel(id, file);
  }
}

async function addByPath(id: number, path: string): Promise<void> {
  try {
    const model = await need().call('models.add', { path, mode: 'copy' });
    await refreshModels();
    patchUpload(id, model.problem ? { state: 'failed', error: `${model.name}: ${model.problem}` } : { state: 'done' });
    if (!model.problem) setTimeout(() => dismissUpload(id), 4000);
  } catch (error) {
    patchUpload(id, { state: 'failed', error: messageOf(error) });
  }
}

async function uploadModel(id: number, file: File): Promise<void> {
  try {
    await upload('import', file, { params: { name: file.name }, onProgress: (loaded, total) => patchUpload(id, { loaded, total }) });
  } catch (error) {
    patchUpload(id, { state: 'failed', error: importFailure(file, error) });
    return;
  }
  patchUpload(id, { state: 'done', loaded: file.size });
  void refreshModels();
  setTimeout(() => dismissUpload(id), 4000);
}

function importFailure(file: File, error: unknown): string {
  if (!(error instanceof UploadError)) return messageOf(error);
  if (error.reason !== 'refused') return t('models.import.cutOff', { name: file.name });
  if (error.hostMessage !== null) return error.hostMessage;
  // The host's token and origin refusal is plain text.
  return error.status === 403 ? t('models.import.forbidden') : t('models.import.httpStatus', { status: error.status });
}
