// `npm start`: the desktop app when Electron can run here, otherwise the headless host for a
// browser, after ONE line saying why. Plain Node (no Electron imports).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { electronBindingUpToDate, repoRoot } from './electron/native-binding.js';

export type LaunchDecision = { kind: 'electron'; binary: string } | { kind: 'serve'; reason: string };

/** What the decision needs; the slow ones (download, build) are called only when the cheap ones pass. */
export interface LaunchProbe {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** dist/main/electron/main.js and dist/renderer/index.html exist. */
  appBuilt(): boolean;
  /** The Electron binary's path, after at most one quick, quiet download attempt; null when absent. */
  findElectron(): string | null;
  /** The Electron-ABI better-sqlite3 is there, or was just built. */
  ensureNativeBinding(): boolean;
}

export function fallbackLine(reason: string): string {
  return `Electron cannot start here: ${reason}; serving Qwen2 Desk to your browser instead.`;
}

export function hasDisplay(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export function decideLaunch(p: LaunchProbe): LaunchDecision {
  if (!hasDisplay(p.platform, p.env)) {
    return { kind: 'serve', reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  if (!p.appBuilt()) return { kind: 'serve', reason: 'the desktop app is not built (run npm run build)' };
  const binary = p.findElectron();
  if (!binary) return { kind: 'serve', reason: 'its binary is not installed (no network to download it)' };
  if (!p.ensureNativeBinding()) {
    return { kind: 'serve', reason: 'better-sqlite3 could not be built for Electron (no network to fetch it)' };
  }
  return { kind: 'electron', binary };
}

// ---- the real probes ----------------------------------------------------------------------------

const DOWNLOAD_TIMEOUT_MS = 30_000;
const NATIVE_BUILD_TIMEOUT_MS = 10 * 60_000;

function electronPackageDir(): string | null {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** Electron's own lookup (node_modules/electron/index.js) without its automatic, noisy download. */
export function installedElectron(dir: string, env: NodeJS.ProcessEnv = process.env): string | null {
  let rel: string | undefined;
  try {
    rel = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8');
  } catch {
    rel = undefined;
  }
  const full = env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, rel || 'electron')
    : rel
      ? path.join(dir, 'dist', rel)
      : null;
  return full && fs.existsSync(full) ? full : null;
}

function findElectron(): string | null {
  const dir = electronPackageDir();
  if (!dir) return null;
  const found = installedElectron(dir);
  if (found) return found;
  // One quiet try of electron's own installer (its `install-electron` bin); offline it fails fast.
  spawnSync(process.execPath, [path.join(dir, 'install.js')], { stdio: 'ignore', timeout: DOWNLOAD_TIMEOUT_MS });
  return installedElectron(dir);
}

function ensureNativeBinding(root: string): boolean {
  if (electronBindingUpToDate(root)) return true;
  const script = path.join(root, 'scripts', 'build-electron-native.mjs');
  const r = spawnSync(process.execPath, [script, '--quiet', '--timeout-s', '300'], {
    cwd: root,
    stdio: 'ignore',
    timeout: NATIVE_BUILD_TIMEOUT_MS,
  });
  return r.status === 0 && electronBindingUpToDate(root);
}

export function realProbe(root: string = repoRoot()): LaunchProbe {
  return {
    platform: process.platform,
    env: process.env,
    appBuilt: () =>
      fs.existsSync(path.join(root, 'dist', 'main', 'electron', 'main.js')) &&
      fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html')),
    findElectron,
    ensureNativeBinding: () => ensureNativeBinding(root),
  };
}

/** How an Electron run ended: it ran (exit code), or it could not run at all. */
export type ElectronRun = { ran: true; code: number } | { ran: false; reason: string };

/** An exit this soon with a failure code means Electron could not start (missing libraries, no GPU...). */
const EARLY_EXIT_MS = 5_000;

function runElectron(binary: string, args: string[], root: string): Promise<ElectronRun> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    const started = Date.now();
    const child = spawn(binary, [path.join(root, 'dist', 'main', 'electron', 'main.js'), ...args], {
      stdio: 'inherit',
      env,
    });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const done = (run: ElectronRun) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(run);
    };
    child.once('error', (err) => done({ ran: false, reason: `its binary failed to run (${err.message})` }));
    child.once('exit', (code, signal) => {
      const failed = code !== 0 && signal === null;
      if (failed && Date.now() - started < EARLY_EXIT_MS) {
        done({ ran: false, reason: `it exited at once (code ${code})` });
      } else {
        done({ ran: true, code: code ?? 1 });
      }
    });
  });
}

export interface StartDeps {
  probe: LaunchProbe;
  runElectron(binary: string, args: string[]): Promise<ElectronRun>;
  runServe(args: string[]): Promise<unknown>;
  log(line: string): void;
}

function realDeps(): StartDeps {
  const root = repoRoot();
  return {
    probe: realProbe(root),
    runElectron: (binary, args) => runElectron(binary, args, root),
    runServe: async (args) => (await import('./host/serve.js')).runServe(args),
    log: (line) => console.log(line),
  };
}

export type StartResult = { mode: 'electron'; code: number } | { mode: 'serve'; reason: string };

/** Runs the desktop app if it can start here, else prints one line and runs the headless host. */
export async function startDesktopOrServe(args: string[], deps: StartDeps = realDeps()): Promise<StartResult> {
  const decision = decideLaunch(deps.probe);
  let reason: string;
  if (decision.kind === 'electron') {
    const run = await deps.runElectron(decision.binary, args);
    if (run.ran) {
      process.exitCode = run.code;
      return { mode: 'electron', code: run.code };
    }
    reason = run.reason;
  } else {
    reason = decision.reason;
  }
  deps.log(fallbackLine(reason));
  await deps.runServe(args);
  return { mode: 'serve', reason };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  startDesktopOrServe(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
