// `npm start`: the decision between the desktop app and the browser fallback (main/start.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decideLaunch,
  fallbackLine,
  hasDisplay,
  installedElectron,
  startDesktopOrServe,
  type ElectronRun,
  type LaunchProbe,
  type StartDeps,
} from '../../main/start.js';

function probe(over: Partial<LaunchProbe> = {}, calls: string[] = []): LaunchProbe {
  return {
    platform: 'linux',
    env: { DISPLAY: ':0' },
    appBuilt: () => (calls.push('built'), true),
    findElectron: () => (calls.push('find'), '/opt/electron/electron'),
    ensureNativeBinding: () => (calls.push('native'), true),
    ...over,
  };
}

test('no display on Linux: serve, without trying to download Electron or build anything', () => {
  const calls: string[] = [];
  const d = decideLaunch(probe({ env: {} }, calls));
  assert.equal(d.kind, 'serve');
  assert.match(d.kind === 'serve' ? d.reason : '', /no display/);
  assert.deepEqual(calls, []);
});

test('Wayland counts as a display; macOS and Windows always have one', () => {
  assert.equal(hasDisplay('linux', { WAYLAND_DISPLAY: 'wayland-0' }), true);
  assert.equal(hasDisplay('linux', { DISPLAY: '' }), false);
  assert.equal(hasDisplay('darwin', {}), true);
  assert.equal(hasDisplay('win32', {}), true);
});

test('binary absent: serve, saying the binary is not installed; no native build attempted', () => {
  const calls: string[] = [];
  const d = decideLaunch(probe({ findElectron: () => (calls.push('find'), null) }, calls));
  assert.deepEqual(d, { kind: 'serve', reason: 'its binary is not installed (no network to download it)' });
  assert.deepEqual(calls, ['built', 'find']);
});

test('app not built, or no Electron-ABI sqlite: serve with the reason', () => {
  assert.match((decideLaunch(probe({ appBuilt: () => false })) as { reason: string }).reason, /not built/);
  assert.match((decideLaunch(probe({ ensureNativeBinding: () => false })) as { reason: string }).reason, /better-sqlite3/);
});

test('all present: run Electron', () => {
  const calls: string[] = [];
  assert.deepEqual(decideLaunch(probe({}, calls)), { kind: 'electron', binary: '/opt/electron/electron' });
  assert.deepEqual(calls, ['built', 'find', 'native']);
});

function deps(p: LaunchProbe, electron: ElectronRun | null = null) {
  const lines: string[] = [];
  const served: string[][] = [];
  const ran: string[][] = [];
  const d: StartDeps = {
    probe: p,
    runElectron: async (binary, args) => {
      ran.push([binary, ...args]);
      return electron ?? { ran: true, code: 0 };
    },
    runServe: async (args) => {
      served.push(args);
    },
    log: (line) => lines.push(line),
  };
  return { d, lines, served, ran };
}

test('fallback prints exactly one line with the reason, then runs the host with the same args', async () => {
  const { d, lines, served, ran } = deps(probe({ findElectron: () => null }));
  const r = await startDesktopOrServe(['--port', '8080'], d);
  assert.equal(r.mode, 'serve');
  assert.deepEqual(lines, [
    'Electron cannot start here: its binary is not installed (no network to download it); serving Qwen2 Desk to your browser instead.',
  ]);
  assert.equal(lines[0]!.includes('\n'), false);
  assert.deepEqual(served, [['--port', '8080']]);
  assert.deepEqual(ran, []);
});

test('Electron that dies at once falls back too (Electron runtime mocked)', async () => {
  const { d, lines, served } = deps(probe(), { ran: false, reason: 'it exited at once (code 127)' });
  const r = await startDesktopOrServe([], d);
  assert.deepEqual(r, { mode: 'serve', reason: 'it exited at once (code 127)' });
  assert.deepEqual(lines, [fallbackLine('it exited at once (code 127)')]);
  assert.equal(served.length, 1);
});

test('Electron that runs: no line, no host, its exit code (Electron runtime mocked)', async () => {
  const before = process.exitCode;
  try {
    const { d, lines, served, ran } = deps(probe(), { ran: true, code: 0 });
    assert.deepEqual(await startDesktopOrServe(['--x'], d), { mode: 'electron', code: 0 });
    assert.deepEqual(ran, [['/opt/electron/electron', '--x']]);
    assert.deepEqual(lines, []);
    assert.deepEqual(served, []);
  } finally {
    process.exitCode = before;
  }
});

test('installedElectron reads path.txt like electron/index.js, without downloading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'electron-pkg-'));
  try {
    assert.equal(installedElectron(dir, {}), null); // no path.txt: not installed
    writeFileSync(join(dir, 'path.txt'), 'electron');
    assert.equal(installedElectron(dir, {}), null); // path.txt but no dist/
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
    assert.equal(installedElectron(dir, {}), join(dir, 'dist', 'electron'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
