// A real core (SQLite file, engine process on the tiny synthetic model) for chat tests, with a
// typed `call` and waits on events.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppEvent, Message, Method, Params, Results } from '../../app/contract.js';
import { createCore, type Core, type CoreOptions } from '../../app/core.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';

export interface ChatCore {
  core: Core;
  dataDir: string;
  modelPath: string;
  events: AppEvent[];
  call<M extends Method>(method: M, params: Params<M>): Promise<Results[M]>;
  /** The error message of a call that must fail ("code: message"). */
  failure(method: string, params: unknown): Promise<string>;
  /** Resolves with the next chat.finished of the conversation (register before sending). */
  nextFinished(conversationId: string): Promise<Message>;
  deltasOf(messageId: string): string;
  close(): Promise<void>;
}

export async function startChatCore(extra: Partial<CoreOptions> = {}): Promise<ChatCore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-chat5-'));
  const core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1, ...extra });
  const events: AppEvent[] = [];
  core.onEvent((e) => events.push(e));
  const cached = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 });
  const modelPath = path.join(core.info.modelsDir, 'tiny-qwen2.gguf');
  fs.copyFileSync(cached, modelPath);
  const call = async <M extends Method>(method: M, params: Params<M>): Promise<Results[M]> => {
    const response = await core.handle(method, params);
    if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
    return response.result as Results[M];
  };
  return {
    core, dataDir, modelPath, events, call,
    async failure(method, params) {
      const response = await core.handle(method, params);
      if (response.ok) throw new Error(`${method} was expected to fail but returned ${JSON.stringify(response.result).slice(0, 200)}`);
      return `${response.error.code}: ${response.error.message}`;
    },
    nextFinished(conversationId) {
      return new Promise((resolve) => {
        const off = core.onEvent((e) => {
          if (e.type === 'chat.finished' && e.conversationId === conversationId) {
            off();
            resolve(e.message);
          }
        });
      });
    },
    deltasOf(messageId) {
      return events.filter((e) => e.type === 'chat.delta' && e.messageId === messageId).map((e) => (e as { text: string }).text).join('');
    },
    async close() {
      await core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
