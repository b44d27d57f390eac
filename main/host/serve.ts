// `qwen2-desk serve`: the whole app for a browser, on 127.0.0.1, with an access token in the URL.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../../app/core.js';
import { defaultDataDir } from '../../app/paths.js';
import { DATA_LOCATION_FILE, resolveDataDir } from '../../app/services/app-settings.js';
import type { BackendPreference } from '../../app/engine-types.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { startHost, type Host } from './server.js';
import { parseFlags } from '../flags.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));

export async function runServe(args: string[]): Promise<Host> {
  const flags = parseFlags(args, { port: 'number', data: 'string', threads: 'number', backend: 'string' });
  // --data wins; else the platform folder, unless settings moved the data elsewhere.
  const dataDir = flags.data ? path.resolve(flags.data) : resolveDataDir(defaultDataDir());
  const dataLocationFile = flags.data ? undefined : path.join(defaultDataDir(), DATA_LOCATION_FILE);
  // Backend and threads from the command line win; otherwise the ones saved in settings apply.
  const backend = (flags.backend ?? process.env.QWEN2_DESK_BACKEND) as BackendPreference | undefined;
  const core = await createCore({ dataDir, dataLocationFile, launcher: forkLauncher, engineEntry: engineEntryFile(), backend, threads: flags.threads });
  const host = await startHost({ core, rendererDir: path.join(projectRoot, 'dist', 'renderer'), port: flags.port ?? 0 });
  console.log(`Qwen2 Desk is running at ${host.url}`);
  console.log(`Data: ${dataDir} (put .gguf models in ${core.info.modelsDir})`);
  const stop = async () => {
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return host;
}
