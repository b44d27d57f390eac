// Opens the app's store at start-up, also on a full disk: first normally (a small write proves the
// disk takes writes); when the disk is full, again after releasing the space reserve; failing that,
// for reading only, so that history is still shown while nothing new can be saved.
import { openStore, openStoreReadOnly, type OpenOptions, type Store } from '../store/index.js';
import type { DiskGuard } from './disk-guard.js';
import { isStorageFull } from './disk.js';

const STARTED_AT = 'app.startedAt';

export function openAppStore(file: string, disk: DiskGuard, opts: OpenOptions = {}): { store: Store; readOnly: boolean } {
  try {
    return { store: openWritable(file, opts), readOnly: false };
  } catch (error) {
    if (!isStorageFull(error)) throw error;
  }
  if (disk.release()) {
    try {
      return { store: openWritable(file, opts), readOnly: false };
    } catch (error) {
      if (!isStorageFull(error)) throw error;
    }
  }
  const store = openStoreReadOnly(file, opts);
  disk.setReadOnly();
  return { store, readOnly: true };
}

function openWritable(file: string, opts: OpenOptions): Store {
  const store = openStore(file, opts);
  try {
    store.settings.set(STARTED_AT, Date.now());
    return store;
  } catch (error) {
    store.close();
    throw error;
  }
}

/**
 * The store as the services see it while it is read-only: the bookkeeping they write when they start
 * (downloads cut off by the last stop become paused) is left for the next start that can write.
 */
export function readOnlyView(store: Store): Store {
  return { ...store, downloads: { ...store.downloads, markActiveAsPaused: () => 0 } };
}
