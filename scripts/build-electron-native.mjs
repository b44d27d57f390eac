#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into build/electron-native/better_sqlite3.node, on a
// copy of the package, so node_modules keeps the Node build that the tests and the host use.
// Needs the network (a prebuilt download, or Electron's headers to compile). Run only when the
// desktop app is launched (main/start.ts) or packaged; never by npm install or npm test.
//
//   node scripts/build-electron-native.mjs [--force] [--quiet] [--timeout-s N]
//
// Tries `prebuild-install --runtime electron` first, then `node-gyp rebuild` against Electron's
// headers. Exit code 0 on success (or already up to date), 1 on failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Keep in step with main/electron/native-binding.ts (a unit test checks they agree).
export const NATIVE_DIR = path.join('build', 'electron-native');
export const BINDING_FILE = 'better_sqlite3.node';
export const STAMP_FILE = 'stamp.json';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function version(pkg) {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

function binFromPackage(pkg) {
  // Some packages do not export ./package.json; find the folder in node_modules directly.
  const dir = path.join(root, 'node_modules', pkg);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const rel = typeof meta.bin === 'string' ? meta.bin : Object.values(meta.bin ?? {})[0];
  if (!rel) throw new Error(`${pkg} has no bin`);
  return path.join(dir, rel);
}

export function build({ force = false, quiet = false, timeoutS = 300 } = {}) {
  const log = quiet ? () => {} : (line) => console.log(line);
  const outDir = path.join(root, NATIVE_DIR);
  const stamp = {
    electron: version('electron'),
    betterSqlite3: version('better-sqlite3'),
    platform: process.platform,
    arch: process.arch,
  };
  const target = path.join(outDir, BINDING_FILE);
  const stampFile = path.join(outDir, STAMP_FILE);
  if (!force && fs.existsSync(target) && fs.existsSync(stampFile)) {
    try {
      const have = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
      if (Object.keys(stamp).every((k) => have[k] === stamp[k])) {
        log(`better-sqlite3 for Electron ${stamp.electron} is up to date: ${target}`);
        return true;
      }
    } catch {
      // rebuild
    }
  }

  const work = path.join(outDir, '.work');
  const pkgCopy = path.join(work, 'better-sqlite3');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const source = path.join(root, 'node_modules', 'better-sqlite3');
  const sourceBuild = path.join(source, 'build');
  fs.cpSync(source, pkgCopy, {
    recursive: true,
    filter: (src) => src !== sourceBuild && !src.startsWith(sourceBuild + path.sep),
  });

  const stdio = quiet ? 'ignore' : 'inherit';
  const env = { ...process.env, npm_config_runtime: 'electron', npm_config_target: stamp.electron };
  const run = (args) =>
    spawnSync(process.execPath, args, { cwd: pkgCopy, stdio, env, timeout: timeoutS * 1000 }).status === 0;
  const built = path.join(pkgCopy, 'build', 'Release', BINDING_FILE);

  log(`Getting better-sqlite3 ${stamp.betterSqlite3} for Electron ${stamp.electron} (${stamp.platform}-${stamp.arch})...`);
  let ok =
    run([binFromPackage('prebuild-install'), '--runtime', 'electron', '--target', stamp.electron, '--arch', stamp.arch]) &&
    fs.existsSync(built);
  if (!ok) {
    log('No prebuilt binary; compiling against Electron headers with node-gyp...');
    ok =
      run([
        binFromPackage('node-gyp'),
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${stamp.electron}`,
        `--arch=${stamp.arch}`,
        '--dist-url=https://electronjs.org/headers',
      ]) && fs.existsSync(built);
  }
  if (ok) {
    fs.copyFileSync(built, target);
    fs.writeFileSync(stampFile, JSON.stringify(stamp, null, 2) + '\n');
    log(`Wrote ${target}`);
  } else {
    log('Could not build better-sqlite3 for Electron (this needs the network, or a C++ toolchain and Electron headers).');
  }
  fs.rmSync(work, { recursive: true, force: true });
  return ok;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const t = args.indexOf('--timeout-s');
  const ok = build({
    force: args.includes('--force'),
    quiet: args.includes('--quiet'),
    timeoutS: t >= 0 ? Number(args[t + 1]) || 300 : 300,
  });
  process.exitCode = ok ? 0 : 1;
}
