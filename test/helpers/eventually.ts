// Assertions on what a page shows, retried until they hold: a page updates after the action that
// caused it (a fetch, a React effect, a WebSocket event), later on a busy machine than on a quiet one,
// so reading it once right after the action is a race. The check is retried until it passes or the
// time runs out; then its last failure is thrown as it is.
import { setTimeout as sleep } from 'node:timers/promises';

export async function eventually(check: () => unknown | Promise<unknown>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let interval = 20; ; interval = Math.min(interval * 2, 250)) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await sleep(interval);
  }
}
