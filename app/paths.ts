// Where Qwen2 Desk keeps its data on each platform (QWEN2_DESK_DATA overrides it).
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.QWEN2_DESK_DATA) return path.resolve(env.QWEN2_DESK_DATA);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Qwen2 Desk');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Qwen2 Desk');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'qwen2-desk');
}

export interface DataPaths {
  dataDir: string;
  modelsDir: string;
  databasePath: string;
}

export function dataPaths(dataDir: string): DataPaths {
  return { dataDir, modelsDir: path.join(dataDir, 'models'), databasePath: path.join(dataDir, 'qwen2-desk.sqlite') };
}
