// Binds the contract to Electron IPC: IPC_CALL -> core.handle, core events -> IPC_EVENT,
// IPC_PICK_MODEL -> the native file picker. Electron's modules are passed in (types only here),
// so the binding can be exercised without Electron.
import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, IPC_PICK_MODEL } from '../../app/contract.js';
import type { AppEvent, ResponseEnvelope } from '../../app/contract.js';
import { checkCallPayload, errorEnvelope, isTrustedSender, untrustedSender } from './ipc-validate.js';

/** The part of app/core.ts's Core that IPC uses. */
export interface IpcCore {
  handle(method: string, params: unknown): Promise<ResponseEnvelope>;
  onEvent(listener: (e: AppEvent) => void): () => void;
}

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dialog: Pick<Dialog, 'showOpenDialog'>;
  core: IpcCore;
  /** The window currently showing the renderer (null while there is none). */
  getWindow: () => BrowserWindow | null;
  /** file:// URL of dist/renderer/index.html. */
  rendererUrl: string;
}

function senderIsTrusted(event: IpcMainInvokeEvent, win: BrowserWindow | null, rendererUrl: string): boolean {
  if (!win || win.isDestroyed()) return false;
  let frame: IpcMainInvokeEvent['senderFrame'] = null;
  try {
    frame = event.senderFrame; // throws when the frame has navigated away or is gone
  } catch {
    frame = null;
  }
  return isTrustedSender(
    {
      fromOurWindow: event.sender === win.webContents,
      isMainFrame: !!frame && frame.parent === null,
      url: frame ? frame.url : null,
    },
    rendererUrl,
  );
}

/** Registers the handlers; returns a function that removes them and stops forwarding events. */
export function bindIpc(deps: IpcDeps): () => void {
  const { ipcMain, dialog, core, getWindow, rendererUrl } = deps;

  ipcMain.handle(IPC_CALL, async (event, payload: unknown) => {
    if (!senderIsTrusted(event, getWindow(), rendererUrl)) return untrustedSender();
    const checked = checkCallPayload(payload);
    if (!checked.ok) return checked.envelope;
    try {
      return await core.handle(checked.value.method, checked.value.params);
    } catch (err) {
      // core.handle never throws by contract; stay safe anyway.
      return errorEnvelope('failed', err instanceof Error ? err.message : String(err));
    }
  });

  ipcMain.handle(IPC_PICK_MODEL, async (event) => {
    const win = getWindow();
    if (!win || !senderIsTrusted(event, win, rendererUrl)) return null;
    const result = await dialog.showOpenDialog(win, {
      title: 'Add a Qwen2 model',
      properties: ['openFile'],
      filters: [{ name: 'GGUF model', extensions: ['gguf'] }],
    });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });

  const unsubscribe = core.onEvent((appEvent) => {
    const win = getWindow();
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
    win.webContents.send(IPC_EVENT, appEvent);
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL);
    ipcMain.removeHandler(IPC_PICK_MODEL);
  };
}
