// bindIpc (main/electron/ipc.ts) against fake ipcMain / dialog / window / core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, IPC_PICK_MODEL, type AppEvent, type ResponseEnvelope } from '../../app/contract.js';
import { bindIpc, type IpcCore, type IpcDeps } from '../../main/electron/ipc.js';

const rendererUrl = pathToFileURL('/app/dist/renderer/index.html').href;

function setup(opts: { dialogResult?: { canceled: boolean; filePaths: string[] }; coreThrows?: boolean } = {}) {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  const sent: unknown[][] = [];
  const calls: Array<[string, unknown]> = [];
  const dialogs: unknown[] = [];
  let listener: ((e: AppEvent) => void) | null = null;
  const webContents = { send: (...a: unknown[]) => sent.push(a), isDestroyed: () => false, mainFrame: {} };
  const win = { webContents, isDestroyed: () => false } as unknown as BrowserWindow;
  let current: BrowserWindow | null = win;
  const core: IpcCore = {
    handle: async (method, params) => {
      calls.push([method, params]);
      if (opts.coreThrows) throw new Error('boom');
      return { id: 0, ok: true, result: method };
    },
    onEvent: (l) => {
      listener = l;
      return () => {
        listener = null;
      };
    },
  };
  const deps: IpcDeps = {
    ipcMain: {
      handle: ((ch: string, h: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown) => {
        handlers.set(ch, h);
      }) as IpcDeps['ipcMain']['handle'],
      removeHandler: (ch: string) => {
        handlers.delete(ch);
      },
    },
    dialog: {
      showOpenDialog: (async (...args: unknown[]) => {
        dialogs.push(args);
        return opts.dialogResult ?? { canceled: false, filePaths: ['/m/qwen2-0_5b.gguf'] };
      }) as IpcDeps['dialog']['showOpenDialog'],
    },
    core,
    getWindow: () => current,
    rendererUrl,
  };
  const unbind = bindIpc(deps);
  const event = (over: { sender?: unknown; frame?: unknown } = {}) =>
    ({
      sender: 'sender' in over ? over.sender : webContents,
      senderFrame: 'frame' in over ? over.frame : { parent: null, url: rendererUrl + '#/' },
    }) as unknown as IpcMainInvokeEvent;
  const invoke = async (ch: string, ev: IpcMainInvokeEvent, ...args: unknown[]) => handlers.get(ch)!(ev, ...args);
  return {
    handlers,
    sent,
    calls,
    dialogs,
    win,
    event,
    invoke,
    unbind,
    emit: (e: AppEvent) => listener?.(e),
    hasListener: () => listener !== null,
    setWindow: (w: BrowserWindow | null) => {
      current = w;
    },
  };
}

test('a valid call from our window reaches core.handle (Electron runtime mocked)', async () => {
  const s = setup();
  const r = (await s.invoke(IPC_CALL, s.event(), { method: 'app.info', params: {} })) as ResponseEnvelope;
  assert.deepEqual(r, { id: 0, ok: true, result: 'app.info' });
  assert.deepEqual(s.calls, [['app.info', {}]]);
});

test('bad payloads and foreign senders get error envelopes, core is not called (Electron runtime mocked)', async () => {
  const s = setup();
  const cases: Array<[IpcMainInvokeEvent, unknown]> = [
    [s.event(), 'app.info'],
    [s.event(), { method: 'app.info', params: {}, id: 3 }],
    [s.event({ sender: {} }), { method: 'app.info' }],
    [s.event({ frame: null }), { method: 'app.info' }],
    [s.event({ frame: { parent: {}, url: rendererUrl } }), { method: 'app.info' }],
    [s.event({ frame: { parent: null, url: 'https://evil.example/' } }), { method: 'app.info' }],
  ];
  for (const [ev, payload] of cases) {
    const r = (await s.invoke(IPC_CALL, ev, payload)) as ResponseEnvelope;
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'invalid_request');
  }
  // A senderFrame getter that throws (frame gone) is an untrusted sender, not a crash.
  const gone = { sender: s.win.webContents, get senderFrame() { throw new Error('gone'); } } as unknown as IpcMainInvokeEvent;
  assert.equal(((await s.invoke(IPC_CALL, gone, { method: 'app.info' })) as ResponseEnvelope).ok, false);
  s.setWindow(null);
  assert.equal(((await s.invoke(IPC_CALL, s.event(), { method: 'app.info' })) as ResponseEnvelope).ok, false);
  assert.deepEqual(s.calls, []);
});

test('a throwing core still yields an envelope (Electron runtime mocked)', async () => {
  const s = setup({ coreThrows: true });
  const r = (await s.invoke(IPC_CALL, s.event(), { method: 'app.info' })) as ResponseEnvelope;
  assert.deepEqual(r, { id: null, ok: false, error: { code: 'failed', message: 'boom' } });
});

test('core events go to the window on IPC_EVENT; unbind stops them (Electron runtime mocked)', () => {
  const s = setup();
  const e: AppEvent = { type: 'chat.delta', conversationId: 'c', messageId: 'm', text: 'x' };
  s.emit(e);
  assert.deepEqual(s.sent, [[IPC_EVENT, e]]);
  s.setWindow(null);
  s.emit(e); // no window: dropped, no crash
  assert.equal(s.sent.length, 1);
  s.unbind();
  assert.equal(s.hasListener(), false);
  assert.equal(s.handlers.size, 0);
});

test('pick model: a .gguf filter, the path or null (Electron runtime mocked)', async () => {
  const s = setup();
  assert.equal(await s.invoke(IPC_PICK_MODEL, s.event()), '/m/qwen2-0_5b.gguf');
  const [parent, options] = s.dialogs[0] as [unknown, { filters: Array<{ extensions: string[] }>; properties: string[] }];
  assert.equal(parent, s.win);
  assert.deepEqual(options.filters.map((f) => f.extensions), [['gguf']]);
  assert.deepEqual(options.properties, ['openFile']);
  assert.equal(await s.invoke(IPC_PICK_MODEL, s.event({ sender: {} })), null);
  const c = setup({ dialogResult: { canceled: true, filePaths: [] } });
  assert.equal(await c.invoke(IPC_PICK_MODEL, c.event()), null);
});
