// Where the Electron-ABI build of better-sqlite3 lives. node_modules keeps the Node build (for the
// headless host and the tests); scripts/build-electron-native.mjs puts the Electron build here.
// No Electron imports: main/start.ts (plain Node) uses this too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NATIVE_DIR = path.join('build', 'electron-native');
export const BINDING_FILE = 'better_sqlite3.node';
export const STAMP_FILE = 'stamp.json';
/** Folder name under process.resourcesPath in a packaged app (electron-builder.yml extraResources). */
export const PACKAGED_DIR = 'electron-native';

/** The repository (or unpacked app) root: the nearest folder above this file with our package.json. */
export function repoRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    try {
      if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'qwen2-desk') return dir;
    } catch {
      // not here
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('Cannot find the qwen2-desk package root.');
    dir = up;
  }
}

export interface BindingPlace {
  /** app.isPackaged */
  packaged: boolean;
  /** process.resourcesPath (packaged apps only). */
  resourcesPath?: string;
  root?: string;
}

/** Absolute path where the Electron-ABI better_sqlite3.node is (or would be). */
export function electronBindingPath(place: BindingPlace): string {
  if (place.packaged) {
    if (!place.resourcesPath) throw new Error('resourcesPath is required in a packaged app.');
    return path.join(place.resourcesPath, PACKAGED_DIR, BINDING_FILE);
  }
  return path.join(place.root ?? repoRoot(), NATIVE_DIR, BINDING_FILE);
}

/** The binding's path when the file exists, otherwise undefined (better-sqlite3 then loads its own build). */
export function existingElectronBinding(place: BindingPlace): string | undefined {
  const file = electronBindingPath(place);
  return fs.existsSync(file) ? file : undefined;
}

export interface NativeStamp {
  electron: string;
  betterSqlite3: string;
  platform: string;
  arch: string;
}

function readVersion(root: string, pkg: string): string | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return null;
  }
}

/** The stamp the current checkout needs, or null when electron/better-sqlite3 are not installed. */
export function wantedStamp(root: string = repoRoot()): NativeStamp | null {
  const electron = readVersion(root, 'electron');
  const betterSqlite3 = readVersion(root, 'better-sqlite3');
  if (!electron || !betterSqlite3) return null;
  return { electron, betterSqlite3, platform: process.platform, arch: process.arch };
}

/** True when build/electron-native holds a binding built for this Electron, better-sqlite3, platform and arch. */
export function electronBindingUpToDate(root: string = repoRoot()): boolean {
  const dir = path.join(root, NATIVE_DIR);
  const want = wantedStamp(root);
  if (!want || !fs.existsSync(path.join(dir, BINDING_FILE))) return false;
  try {
    const have = JSON.parse(fs.readFileSync(path.join(dir, STAMP_FILE), 'utf8')) as Partial<NativeStamp>;
    return (
      have.electron === want.electron &&
      have.betterSqlite3 === want.betterSqlite3 &&
      have.platform === want.platform &&
      have.arch === want.arch
    );
  } catch {
    return false;
  }
}
