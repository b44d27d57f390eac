// Copies the file(s) of a model into the models folder: each part goes to a hidden temporary name
// first and appears under its real name only once all parts are complete (link/rename: atomic).
// On any failure nothing is left behind.
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../contract.js';
import { diskFullMessage, ensureSpace, exists, freeBytes, isDiskFull, moveIntoPlace, tempNameFor } from './disk.js';

/** Returns the paths of the copies, in the order of `parts`. */
export async function copyModelInto(parts: string[], folder: string): Promise<string[]> {
  const targets = parts.map((p) => path.join(folder, path.basename(p)));
  for (const t of targets) {
    if (await exists(t)) throw new AppError('failed', `A file named ${path.basename(t)} is already in the models folder (${folder}).`);
  }
  const sizes = await Promise.all(parts.map(async (p) => (await fs.stat(p)).size));
  await ensureSpace(folder, sizes.reduce((a, b) => a + b, 0));

  const temps: string[] = [];
  const placed: string[] = [];
  try {
    for (const [i, part] of parts.entries()) {
      const temp = tempNameFor(targets[i]!, 'copy');
      temps.push(temp);
      await fs.copyFile(part, temp);
    }
    // The last parts first, the first part last: the model's own name appears only when all is there.
    for (let i = parts.length - 1; i >= 0; i--) {
      await moveIntoPlace(temps[i]!, targets[i]!);
      placed.push(targets[i]!);
    }
    return targets;
  } catch (error) {
    await Promise.all([...temps, ...placed].map((p) => fs.rm(p, { force: true })));
    if (error instanceof AppError) throw error;
    if (isDiskFull(error)) {
      const free = await freeBytes(folder);
      const missing = free === null ? null : sizes.reduce((a, b) => a + b, 0) - free;
      throw new AppError('failed', `Cannot copy ${path.basename(parts[0]!)}: ${diskFullMessage(missing)}; nothing was copied.`);
    }
    throw new AppError('failed', `Cannot copy ${path.basename(parts[0]!)} into ${folder}: ${(error as Error).message}; nothing was copied.`);
  }
}
