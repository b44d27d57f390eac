// Starts the real app for a test: core (SQLite + engine process) and the headless host on loopback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../app/core.js';
import { startHost, type Host } from '../../main/host/server.js';
import { projectRoot } from '../../main/host/serve.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';

export interface TestApp {
  core: Core;
  host: Host;
  dataDir: string;
  modelPath: string;
  stop(): Promise<void>;
}

export async function startTestApp(opts: { dataDir?: string; env?: Record<string, string> } = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-e2e-'));
  // Set before the core starts (e.g. QWEN2_DESK_HF_BASE: where the catalogue and hf: downloads go).
  Object.assign(process.env, opts.env);
  const core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1 });
  const cached = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 });
  const modelPath = path.join(core.info.modelsDir, 'qwen2-tiny-q8_0.gguf');
  if (!fs.existsSync(modelPath)) fs.copyFileSync(cached, modelPath);
  const rendererDir = path.join(projectRoot, 'dist', 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error('dist/renderer is missing: run `npm run build:renderer` (npm test does).');
  const host = await startHost({ core, rendererDir });
  return {
    core, host, dataDir, modelPath,
    async stop() {
      await host.close();
      await core.close();
    },
  };
}
