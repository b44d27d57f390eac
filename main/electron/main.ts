// The Electron main process: a thin shell around app/core.ts. One sandboxed window showing
// dist/renderer/index.html, the contract bound to IPC (ipc.ts), the engine in a utility process.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, shell, utilityProcess } from 'electron';
import type { WebContents } from 'electron';
import { createCore } from '../../app/core.js';
import type { Core } from '../../app/core.js';
import { defaultDataDir } from '../../app/paths.js';
import { DATA_LOCATION_FILE, resolveDataDir } from '../../app/services/app-settings.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { bindIpc } from './ipc.js';
import { existingElectronBinding } from './native-binding.js';
import { externalUrl, isRendererUrl, withCsp } from './policy.js';
import { createUtilityLauncher } from './utility-launcher.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // dist/main/electron
const rendererFile = path.join(here, '..', '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererFile).href;
const preloadFile = path.join(here, 'preload.cjs');

let core: Core | null = null;
let mainWindow: BrowserWindow | null = null;
let unbindIpc: (() => void) | null = null;

app.enableSandbox();

function openExternally(url: string): void {
  const target = externalUrl(url);
  if (target) void shell.openExternal(target);
}

/** Navigation and window guards for every webContents the app ever creates. */
function guard(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (isRendererUrl(url, rendererUrl)) return;
    event.preventDefault();
    openExternally(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isRendererUrl(url, rendererUrl)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 640,
    minHeight: 480,
    title: 'Qwen2 Desk',
    show: false,
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadFile(rendererFile);
  return win;
}

function secureSession(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

async function start(): Promise<void> {
  secureSession();
  const nativeBinding = existingElectronBinding(
    app.isPackaged ? { packaged: true, resourcesPath: process.resourcesPath } : { packaged: false },
  );
  core = await createCore({
    // The platform folder, unless settings moved the data elsewhere (applies from this start on).
    dataDir: resolveDataDir(defaultDataDir()),
    dataLocationFile: path.join(defaultDataDir(), DATA_LOCATION_FILE),
    launcher: createUtilityLauncher((modulePath, args, options) => utilityProcess.fork(modulePath, args, options)),
    engineEntry: engineEntryFile(),
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  mainWindow = createWindow();
  unbindIpc = bindIpc({ ipcMain, dialog, core, getWindow: () => mainWindow, rendererUrl });
}

if (!app.requestSingleInstanceLock()) {
  // Another Qwen2 Desk owns the database and the engine: let it show itself.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) => guard(contents));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (core && !mainWindow) mainWindow = createWindow();
  });

  let closing = false;
  app.on('will-quit', (event) => {
    if (!core || closing) return;
    event.preventDefault();
    closing = true;
    unbindIpc?.();
    const c = core;
    core = null;
    c.close()
      .catch((err: unknown) => console.error('Qwen2 Desk: error while closing:', err))
      .finally(() => app.quit());
  });

  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      console.error('Qwen2 Desk could not start:', err);
      dialog.showErrorBox('Qwen2 Desk could not start', message);
      app.exit(1);
    });
}
