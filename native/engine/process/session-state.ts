// A conversation's context state on disk: the evaluated KV cache of the sequence (node-llama-cpp's
// saveStateToFile) in `<name>.bin`, and next to it `<name>.json` with the key it is valid for and the
// exact tokens it holds. Loading it after an engine restart lets a follow-up evaluate only its own
// new tokens instead of reading the documents again.
//
// Safety: llama.cpp may crash on a state file from another model. The key (model file, size, mtime,
// load settings, documents) must match before a file is loaded, and while it loads it is renamed to
// `.loading`: a crash during the load leaves no file that would be loaded again.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LlamaContextSequence } from 'node-llama-cpp';
import type { StateOutcome, StateRequest } from '../shared/protocol.js';

export interface StateMeta {
  key: string;
  /** The tokens the saved state holds, in order. */
  tokens: number[];
  savedAt: number;
}

export const metaFileOf = (file: string) => `${file.replace(/\.bin$/, '')}.json`;

async function readMeta(file: string): Promise<StateMeta | null> {
  try {
    const meta = JSON.parse(await readFile(metaFileOf(file), 'utf8')) as StateMeta;
    return typeof meta.key === 'string' && Array.isArray(meta.tokens) ? meta : null;
  } catch {
    return null;
  }
}

export async function deleteState(file: string): Promise<void> {
  await Promise.all([rm(file, { force: true }), rm(metaFileOf(file), { force: true }), rm(`${file}.loading`, { force: true })]);
}

/**
 * Loads the saved state into the sequence when its key matches; deletes a file whose key does not
 * ('invalid'). 'missing': there is none (the sequence is left as it is).
 */
export async function restoreState(sequence: LlamaContextSequence, req: StateRequest): Promise<StateOutcome> {
  const meta = await readMeta(req.file);
  if (!meta) {
    await deleteState(req.file);
    return 'missing';
  }
  if (meta.key !== req.key || meta.tokens.length === 0 || meta.tokens.length >= sequence.contextSize) {
    await deleteState(req.file);
    return 'invalid';
  }
  const loading = `${req.file}.loading`;
  try {
    await rename(req.file, loading);
  } catch {
    await deleteState(req.file);
    return 'missing';
  }
  try {
    await sequence.loadStateFromFile(loading, { acceptRisk: true });
    const tokens = sequence.contextTokens;
    const same = tokens.length === meta.tokens.length && tokens.every((t, i) => t === meta.tokens[i]);
    if (!same) throw new Error('the tokens in the state file are not the ones recorded with it');
    await rename(loading, req.file);
    return 'loaded';
  } catch {
    await sequence.clearHistory().catch(() => {});
    await deleteState(req.file);
    return 'invalid';
  }
}

/** Writes the sequence's state and its key; the .json is written last, so a half-written pair is never used. */
export async function saveState(sequence: LlamaContextSequence, req: StateRequest): Promise<{ bytes: number; tokens: number }> {
  await mkdir(path.dirname(req.file), { recursive: true });
  const tempBin = `${req.file}.tmp`;
  const meta = metaFileOf(req.file);
  try {
    const tokens = [...sequence.contextTokens];
    const { fileSize } = await sequence.saveStateToFile(tempBin);
    const content: StateMeta = { key: req.key, tokens: tokens as number[], savedAt: Date.now() };
    await writeFile(`${meta}.tmp`, JSON.stringify(content));
    await rm(meta, { force: true });
    await rename(tempBin, req.file);
    await rename(`${meta}.tmp`, meta);
    return { bytes: fileSize, tokens: tokens.length };
  } catch (error) {
    await Promise.all([rm(tempBin, { force: true }), rm(`${meta}.tmp`, { force: true })]);
    throw error;
  }
}
