// Builds the real library + download service over a real SQLite file in a temp folder, and waits
// for download events.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppEvent, Download } from '../../app/contract.js';
import { DownloadService } from '../../app/services/downloads/service.js';
import { ModelLibrary } from '../../app/services/library.js';
import { openStore, type Store } from '../../app/store/index.js';

export interface Rig {
  dir: string;
  folder: string;
  store: Store;
  library: ModelLibrary;
  downloads: DownloadService;
  events: AppEvent[];
  /** Resolves with the first download state (from now on, or the current one) that `done` accepts. */
  until(id: string, done: (d: Download) => boolean, timeoutMs?: number): Promise<Download>;
  /** Pauses running downloads and closes the database (the temp folder stays). */
  close(): Promise<void>;
}

export function makeRig(opts: { dir?: string; hfBase: string; stallMs?: number; folder?: string; onEvent?(e: AppEvent): void }): Rig {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-dl-'));
  const store = openStore(path.join(dir, 'qwen2-desk.sqlite'));
  if (opts.folder) store.settings.set('library.folder', opts.folder);
  const events: AppEvent[] = [];
  const listeners = new Set<() => void>();
  const emit = (e: AppEvent) => {
    events.push(e);
    opts.onEvent?.(e);
    for (const l of [...listeners]) l();
  };
  const library = new ModelLibrary({ defaultFolder: path.join(dir, 'models'), store, isLoaded: () => false, onChange: () => emit({ type: 'models.changed' }) });
  const downloads = new DownloadService({ store, library, emit, hfBase: opts.hfBase, stallMs: opts.stallMs ?? 5000 });
  return {
    dir,
    folder: library.folder(),
    store,
    library,
    downloads,
    events,
    until(id, done, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const d = downloads.list().find((x) => x.id === id);
          if (d && done(d)) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve(d);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting on download ${id}: ${JSON.stringify(downloads.list().find((x) => x.id === id))}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async close() {
      await downloads.close();
      store.close();
    },
  };
}

export const settled = (d: Download) => ['done', 'failed', 'cancelled', 'paused'].includes(d.state);

/** Files in a folder, hidden ones included. */
export const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);
