// Shared set-up for tests that run the real engine process on synthetic models.
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { EngineSupervisor } from '../../native/engine/main/supervisor.js';

export function newSupervisor(extra: { onLog?(text: string): void; env?: Record<string, string> } = {}) {
  // Tests pin the backend to the CPU and one thread: 2-core CI machines run tests in parallel.
  return new EngineSupervisor({ launcher: forkLauncher, entryFile: engineEntryFile(), backend: 'cpu', threads: 1, ...extra });
}

/** Resolves once `count` deltas have arrived through the given hook. */
export function deltaCounter(count: number) {
  let seen = 0;
  let text = '';
  let release!: () => void;
  const reached = new Promise<void>((r) => (release = r));
  return {
    reached,
    get text() {
      return text;
    },
    onDelta(delta: string) {
      text += delta;
      if (++seen === count) release();
    },
  };
}
