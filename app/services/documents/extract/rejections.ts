// A library's internal promise that rejects with nobody listening (pdf.js does this on some damaged
// files) would end the document worker. In the worker, such a rejection is handed to the step in
// flight (withRejectionGuard) and fails only that step, say one page, while the rest of the file is read.
let installed = false;
let current: ((reason: unknown) => void) | null = null;

/** Once per process that runs extraction on its own (the worker); the host keeps Node's default. */
export function installRejectionGuard(): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => {
    if (current) current(reason);
    // Between steps nothing waits on it: the job's own promises still settle, so it is only noted.
    else process.stderr.write(`document reader: a library rejected a promise nobody waits on: ${String((reason as Error)?.message ?? reason)}\n`);
  });
}

/** Runs `step`; an unhandled rejection while it runs rejects the step with that reason. */
export async function withRejectionGuard<T>(step: () => Promise<T>): Promise<T> {
  if (!installed) return step();
  let fail!: (reason: unknown) => void;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const previous = current;
  current = fail;
  try {
    return await Promise.race([step(), failed]);
  } finally {
    current = previous;
  }
}
