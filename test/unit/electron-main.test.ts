// main/electron/main.ts wired against a fake 'electron' module and the real app core: the window's
// web preferences, the CSP header, the guards, IPC reaching the core, and closing on quit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_CALL, IPC_PICK_MODEL, type ResponseEnvelope } from '../../app/contract.js';
import { CSP } from '../../main/electron/policy.js';

type Handler = (...args: unknown[]) => unknown;

class FakeWebContents extends EventEmitter {
  openHandler: Handler | null = null;
  sent: unknown[][] = [];
  mainFrame = {};
  setWindowOpenHandler(h: Handler) {
    this.openHandler = h;
  }
  send(...a: unknown[]) {
    this.sent.push(a);
  }
  isDestroyed() {
    return false;
  }
}

function makeFake() {
  const app = new EventEmitter() as EventEmitter & Record<string, unknown>;
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  const state = {
    sandboxEnabled: false,
    quitCalls: 0,
    windows: [] as Array<{ options: Record<string, any>; loaded: string | null; webContents: FakeWebContents }>,
    ipc: new Map<string, Handler>(),
    headersHandler: null as Handler | null,
    permissionHandler: null as Handler | null,
    permissionCheck: null as Handler | null,
    opened: [] as string[],
    forks: 0,
  };
  Object.assign(app, {
    isPackaged: false,
    enableSandbox: () => (state.sandboxEnabled = true),
    requestSingleInstanceLock: () => true,
    whenReady: () => whenReady,
    quit: () => state.quitCalls++,
    exit: () => undefined,
  });
  class BrowserWindow extends EventEmitter {
    webContents = new FakeWebContents();
    entry: { options: Record<string, any>; loaded: string | null; webContents: FakeWebContents };
    constructor(options: Record<string, any>) {
      super();
      this.entry = { options, loaded: null, webContents: this.webContents };
      state.windows.push(this.entry);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadFile(file: string) {
      this.entry.loaded = file;
    }
    isDestroyed() {
      return false;
    }
    show() {}
  }
  const electron = {
    app,
    BrowserWindow,
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showErrorBox: () => undefined },
    ipcMain: { handle: (ch: string, h: Handler) => state.ipc.set(ch, h), removeHandler: (ch: string) => state.ipc.delete(ch) },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (h: Handler) => (state.headersHandler = h) },
        setPermissionRequestHandler: (h: Handler) => (state.permissionHandler = h),
        setPermissionCheckHandler: (h: Handler) => (state.permissionCheck = h),
        setDevicePermissionHandler: () => undefined,
      },
    },
    shell: { openExternal: async (u: string) => void state.opened.push(u) },
    utilityProcess: { fork: () => (state.forks++, new EventEmitter()) },
  };
  return { electron, state, ready, app };
}

test('main.ts: secure window, CSP, guards, IPC to the core, close on quit (Electron runtime mocked)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'electron-main-'));
  const fake = makeFake();
  (globalThis as Record<string, unknown>).__qwen2DeskFakeElectron = fake.electron;
  const names = Object.keys(fake.electron);
  const fakeSource = names.map((n) => `export const ${n} = globalThis.__qwen2DeskFakeElectron.${n};`).join('\n');
  const hooks = `export async function resolve(specifier, context, next) {
    if (specifier === 'electron') return { url: ${JSON.stringify('data:text/javascript,' + encodeURIComponent(fakeSource))}, shortCircuit: true };
    return next(specifier, context);
  }`;
  register('data:text/javascript,' + encodeURIComponent(hooks));
  const before = process.env.QWEN2_DESK_DATA;
  process.env.QWEN2_DESK_DATA = dataDir;
  try {
    await import('../../main/electron/main.js');
    assert.equal(fake.state.sandboxEnabled, true);
    fake.ready();
    for (let i = 0; i < 200 && fake.state.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 10));

    // One window, locked down, showing dist/renderer/index.html through the compiled CJS preload.
    assert.equal(fake.state.windows.length, 1);
    const win = fake.state.windows[0]!;
    const wp = win.options.webPreferences;
    assert.equal(wp.contextIsolation, true);
    assert.equal(wp.sandbox, true);
    assert.equal(wp.nodeIntegration, false);
    assert.equal(wp.webSecurity, true);
    assert.match(wp.preload, /main[\\/]electron[\\/]preload\.cjs$/);
    assert.match(win.loaded ?? '', /renderer[\\/]index\.html$/);
    const rendererUrl = pathToFileURL(win.loaded!).href;

    // CSP header on every response; every permission refused.
    let headers: unknown;
    fake.state.headersHandler!({ responseHeaders: { 'Content-Security-Policy': ['default-src *'] } }, (r: unknown) => (headers = r));
    assert.deepEqual(headers, { responseHeaders: { 'Content-Security-Policy': [CSP] } });
    let granted: unknown;
    fake.state.permissionHandler!({}, 'media', (ok: boolean) => (granted = ok));
    assert.equal(granted, false);
    assert.equal(fake.state.permissionCheck!({}, 'notifications'), false);

    // Guards: no navigation away, no new windows (http(s) goes to the browser), no <webview>.
    const wc = win.webContents;
    const nav = (url: string) => {
      let prevented = false;
      wc.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    assert.equal(nav('https://example.com/'), true);
    assert.equal(nav('file:///etc/passwd'), true);
    assert.equal(nav(rendererUrl + '#/x'), false);
    assert.deepEqual(wc.openHandler!({ url: 'https://qwenlm.github.io/' }), { action: 'deny' });
    assert.deepEqual(wc.openHandler!({ url: 'file:///etc/passwd' }), { action: 'deny' });
    assert.deepEqual(fake.state.opened, ['https://example.com/', 'https://qwenlm.github.io/']);
    let webviewBlocked = false;
    wc.emit('will-attach-webview', { preventDefault: () => (webviewBlocked = true) }, {}, {});
    assert.equal(webviewBlocked, true);

    // IPC: our main frame reaches the real core; others do not.
    const call = fake.state.ipc.get(IPC_CALL)!;
    const ok = (await call({ sender: wc, senderFrame: { parent: null, url: rendererUrl } }, { method: 'app.info', params: {} })) as ResponseEnvelope;
    assert.equal(ok.ok, true);
    assert.equal(ok.ok && (ok.result as { dataDir: string }).dataDir, dataDir);
    const bad = (await call({ sender: wc, senderFrame: { parent: null, url: 'https://evil.example/' } }, { method: 'app.info' })) as ResponseEnvelope;
    assert.equal(bad.ok, false);
    assert.ok(fake.state.ipc.has(IPC_PICK_MODEL));

    // Quit: will-quit is held until the core has closed, then quit again.
    let held = false;
    fake.app.emit('will-quit', { preventDefault: () => (held = true) });
    assert.equal(held, true);
    for (let i = 0; i < 200 && fake.state.quitCalls === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(fake.state.quitCalls, 1);
    assert.equal(fake.state.ipc.size, 0);
  } finally {
    if (before === undefined) delete process.env.QWEN2_DESK_DATA;
    else process.env.QWEN2_DESK_DATA = before;
    rmSync(dataDir, { recursive: true, force: true });
  }
});
