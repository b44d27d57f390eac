import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the engine process script: engine-process.ts from source, .js once built. */
export function engineEntryFile(): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), `engine-process${path.extname(here)}`);
}
