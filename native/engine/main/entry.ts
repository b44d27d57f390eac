import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the engine process script, process/engine-process.ts beside this folder: .ts
 * from source, .js once built (the built tree keeps the same folders under dist/).
 */
export function engineEntryFile(): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), '..', 'process', `engine-process${path.extname(here)}`);
}
