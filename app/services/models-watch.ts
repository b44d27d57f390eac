// Watches the models folder so that a .gguf copied, moved or deleted there shows up without a
// reload: a change is followed (debounced) by a rescan of the library, which announces
// 'models.changed'. The watch follows the folder when Settings names another one (follow()), and
// survives the folder being deleted and made again: every rescan (which creates a missing folder)
// starts a new watch.
import fs from 'node:fs';
import path from 'node:path';

export interface ModelsWatchOptions {
  /** The models folder now (it may change). */
  folder(): string;
  /** Brings the library in line with the folder and announces the change. */
  rescan(): Promise<unknown>;
  /** Quiet time after the last change before rescanning (default 200 ms). */
  debounceMs?: number;
  /** A file still being written rescans at least this often (default 2 s), so its size and check follow. */
  maxWaitMs?: number;
  /** A rescan or watch that failed (the watcher keeps going). */
  onError?(error: unknown): void;
}

export interface ModelsWatch {
  /** Watches the folder the library names now (call after the setting changed, or to re-arm). */
  follow(): void;
  close(): void;
}

/** Names that concern the library: model files (not temporary copies, uploads or download parts). */
const relevant = (name: string | null): boolean => name === null || (!name.startsWith('.') && name.toLowerCase().endsWith('.gguf'));

export function watchModelsFolder(opts: ModelsWatchOptions): ModelsWatch {
  const debounceMs = opts.debounceMs ?? 200;
  const maxWaitMs = opts.maxWaitMs ?? 2_000;
  let watcher: fs.FSWatcher | null = null;
  let watched: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  let firstPending = 0;
  let scanning: Promise<void> | null = null;
  let again = false;
  let closed = false;

  const report = (error: unknown) => opts.onError?.(error);

  const disarm = () => {
    watcher?.close();
    watcher = null;
    watched = null;
  };

  /**
   * Watches opts.folder(). With `fresh`, a new watch replaces the old one even on the same folder: a
   * folder deleted and made again can have the same inode number, and its old watch is dead. The new
   * watch starts before the old one closes, so no change falls between them.
   */
  const arm = (fresh: boolean) => {
    if (closed) return;
    const folder = opts.folder();
    if (!fresh && watcher && watched === folder) return;
    if (!fs.existsSync(folder)) {
      // Deleted: the next rescan makes it again, and arms after it.
      disarm();
      return;
    }
    try {
      const w = fs.watch(folder, { persistent: false }, (_type, name) => {
        // The folder itself deleted or moved reports the folder's own name: rescan and watch anew.
        const file = name === null ? null : String(name);
        if (relevant(file) || file === path.basename(folder) || !fs.existsSync(folder)) schedule();
      });
      w.on('error', (error) => {
        if (watcher === w) disarm();
        report(error);
        schedule();
      });
      watcher?.close();
      watcher = w;
      watched = folder;
    } catch (error) {
      report(error);
    }
  };

  const schedule = () => {
    if (closed) return;
    const now = Date.now();
    if (timer === null) firstPending = now;
    else clearTimeout(timer);
    const wait = Math.max(0, Math.min(debounceMs, firstPending + maxWaitMs - now));
    timer = setTimeout(run, wait);
    timer.unref?.();
  };

  const run = () => {
    timer = null;
    if (closed) return;
    if (scanning) {
      again = true;
      return;
    }
    arm(true);
    scanning = opts
      .rescan()
      .then(() => undefined, report)
      .finally(() => {
        scanning = null;
        arm(false);
        if (again && !closed) {
          again = false;
          schedule();
        }
      });
  };

  arm(false);
  return {
    follow() {
      arm(true);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      disarm();
    },
  };
}
