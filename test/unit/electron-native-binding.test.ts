// Where the Electron-ABI better-sqlite3 lives, and when it counts as built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BINDING_FILE,
  NATIVE_DIR,
  STAMP_FILE,
  electronBindingPath,
  electronBindingUpToDate,
  existingElectronBinding,
  repoRoot,
  wantedStamp,
} from '../../main/electron/native-binding.js';

test('the build script and the app agree on the place', async () => {
  // A computed specifier: tsc does not type the .mjs script, tsx/Node load it as is.
  const url = new URL('../../scripts/build-electron-native.mjs', import.meta.url).href;
  const script = (await import(url)) as { NATIVE_DIR: string; BINDING_FILE: string; STAMP_FILE: string };
  assert.equal(script.NATIVE_DIR, NATIVE_DIR);
  assert.equal(script.BINDING_FILE, BINDING_FILE);
  assert.equal(script.STAMP_FILE, STAMP_FILE);
});

test('dev: <repo>/build/electron-native; packaged: <resources>/electron-native', () => {
  const root = repoRoot();
  assert.equal(electronBindingPath({ packaged: false }), join(root, 'build', 'electron-native', 'better_sqlite3.node'));
  assert.equal(
    electronBindingPath({ packaged: true, resourcesPath: '/opt/Qwen2 Desk/resources' }),
    join('/opt/Qwen2 Desk/resources', 'electron-native', 'better_sqlite3.node'),
  );
  assert.throws(() => electronBindingPath({ packaged: true }));
});

test('up to date only with the binding and a stamp for this electron, better-sqlite3, platform, arch', () => {
  const root = mkdtempSync(join(tmpdir(), 'electron-native-'));
  try {
    const pkg = (name: string, version: string) => {
      mkdirSync(join(root, 'node_modules', name), { recursive: true });
      writeFileSync(join(root, 'node_modules', name, 'package.json'), JSON.stringify({ name, version }));
    };
    pkg('electron', '45.5.0');
    pkg('better-sqlite3', '12.11.1');
    const dir = join(root, NATIVE_DIR);
    mkdirSync(dir, { recursive: true });
    assert.equal(electronBindingUpToDate(root), false);
    assert.equal(existingElectronBinding({ packaged: false, root }), undefined);
    writeFileSync(join(dir, BINDING_FILE), '');
    assert.equal(existingElectronBinding({ packaged: false, root }), join(dir, BINDING_FILE));
    assert.equal(electronBindingUpToDate(root), false); // no stamp
    writeFileSync(join(dir, STAMP_FILE), JSON.stringify({ ...wantedStamp(root), electron: '44.0.0' }));
    assert.equal(electronBindingUpToDate(root), false);
    writeFileSync(join(dir, STAMP_FILE), JSON.stringify(wantedStamp(root)));
    assert.equal(electronBindingUpToDate(root), true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
