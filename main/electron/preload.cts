// The preload of the Qwen2 Desk window (CommonJS: a sandboxed preload cannot be an ES module,
// and can require nothing but 'electron'). It exposes window.qwen2Desk, a DesktopBridge, and
// nothing else: no ipcRenderer, no Node.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { AppEvent, DesktopBridge, ResponseEnvelope } from '../../app/contract.js';

// Copies of the contract's IPC_CALL / IPC_EVENT / IPC_PICK_MODEL: the sandbox cannot load the
// contract module at run time. test/unit/electron-preload.test.ts checks they stay equal.
export const IPC_CALL = 'qwen2desk:call';
export const IPC_EVENT = 'qwen2desk:event';
export const IPC_PICK_MODEL = 'qwen2desk:pick-model';

const bridge: DesktopBridge = {
  call(method: string, params: unknown): Promise<ResponseEnvelope> {
    return ipcRenderer.invoke(IPC_CALL, { method, params }) as Promise<ResponseEnvelope>;
  },
  onEvent(listener: (event: AppEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function.');
    // The renderer gets the event object only, never Electron's IpcRendererEvent (it holds `sender`).
    const wrapped = (_e: IpcRendererEvent, event: AppEvent) => listener(event);
    ipcRenderer.on(IPC_EVENT, wrapped);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipcRenderer.removeListener(IPC_EVENT, wrapped);
    };
  },
  pickModelFile(): Promise<string | null> {
    return ipcRenderer.invoke(IPC_PICK_MODEL) as Promise<string | null>;
  },
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
};

contextBridge.exposeInMainWorld('qwen2Desk', bridge);
