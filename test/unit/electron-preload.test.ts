// The preload: its channel names equal the contract's, and, run the way Electron's sandbox runs
// it (a function of require/exports/module with only 'electron' requirable), it exposes one
// DesktopBridge that speaks the contract's channels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import ts from 'typescript';
import { IPC_CALL, IPC_EVENT, IPC_PICK_MODEL, type DesktopBridge } from '../../app/contract.js';

const preloadFile = fileURLToPath(new URL('../../main/electron/preload.cts', import.meta.url));

/** The preload compiled as tsc -p tsconfig.electron.json compiles it (CommonJS). */
function compiledPreload(): string {
  const out = ts.transpileModule(readFileSync(preloadFile, 'utf8'), {
    fileName: preloadFile,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  return out.outputText;
}

function fakeElectron() {
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Array<(...a: unknown[]) => void>>();
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        exposed[key] = api;
      },
    },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return args[0] === IPC_PICK_MODEL ? '/models/qwen2.gguf' : { id: 0, ok: true, result: 'r' };
      },
      on: (ch: string, l: (...a: unknown[]) => void) => listeners.set(ch, [...(listeners.get(ch) ?? []), l]),
      removeListener: (ch: string, l: (...a: unknown[]) => void) =>
        listeners.set(ch, (listeners.get(ch) ?? []).filter((x) => x !== l)),
    },
    webUtils: { getPathForFile: (file: { name: string }) => `/dropped/${file.name}` },
  };
  const emit = (ch: string, ...args: unknown[]) => (listeners.get(ch) ?? []).forEach((l) => l(...args));
  return { electron, exposed, invoked, listeners, emit };
}

function runInSandbox(fake: ReturnType<typeof fakeElectron>) {
  const required: string[] = [];
  const sandboxRequire = (name: string): unknown => {
    required.push(name);
    if (name === 'electron') return fake.electron;
    throw new Error(`module not found: ${name}`); // what Electron's sandboxed preload require does
  };
  const wrapper = `(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {\n${compiledPreload()}\n})`;
  const fn = vm.runInThisContext(wrapper) as (...a: unknown[]) => void;
  const module = { exports: {} as Record<string, unknown> };
  fn(sandboxRequire, {}, undefined, {}, undefined, undefined, module.exports, module);
  return { required, exports: module.exports };
}

test("the preload's channel names equal the contract's", () => {
  const { exports } = runInSandbox(fakeElectron());
  assert.equal(exports.IPC_CALL, IPC_CALL);
  assert.equal(exports.IPC_EVENT, IPC_EVENT);
  assert.equal(exports.IPC_PICK_MODEL, IPC_PICK_MODEL);
});

test('the preload requires only electron, so it loads in a sandbox (Electron runtime mocked)', () => {
  const fake = fakeElectron();
  const { required } = runInSandbox(fake);
  assert.deepEqual(required, ['electron']);
  assert.deepEqual(Object.keys(fake.exposed), ['qwen2Desk']);
  const bridge = fake.exposed.qwen2Desk as Record<string, unknown>;
  assert.deepEqual(Object.keys(bridge).sort(), ['call', 'onEvent', 'pathForFile', 'pickModelFile']);
  assert.ok(!Object.values(bridge).includes(fake.electron.ipcRenderer));
});

test('the bridge speaks the contract channels (Electron runtime mocked)', async () => {
  const fake = fakeElectron();
  runInSandbox(fake);
  const bridge = fake.exposed.qwen2Desk as DesktopBridge;

  assert.deepEqual(await bridge.call('app.info', {}), { id: 0, ok: true, result: 'r' });
  assert.deepEqual(fake.invoked[0], [IPC_CALL, { method: 'app.info', params: {} }]);
  assert.equal(await bridge.pickModelFile(), '/models/qwen2.gguf');
  assert.deepEqual(fake.invoked[1], [IPC_PICK_MODEL]);
  assert.equal(bridge.pathForFile({ name: 'qwen2.gguf' } as File), '/dropped/qwen2.gguf', 'the path of a dropped file comes from webUtils');

  const got: unknown[] = [];
  const off = bridge.onEvent((e) => got.push(e));
  const ev = { type: 'chat.delta', conversationId: 'c', messageId: 'm', text: 'hi' };
  fake.emit(IPC_EVENT, { sender: 'secret IpcRendererEvent' }, ev);
  assert.deepEqual(got, [ev]); // the event only, never the IpcRendererEvent
  off();
  off(); // twice is harmless
  fake.emit(IPC_EVENT, {}, ev);
  assert.equal(got.length, 1);
  assert.equal(fake.listeners.get(IPC_EVENT)?.length, 0);
});

test('the preload compiles to CommonJS (a sandboxed preload cannot be an ES module)', () => {
  assert.ok(preloadFile.endsWith('.cts')); // tsc emits .cts as dist/main/electron/preload.cjs
  assert.doesNotMatch(compiledPreload(), /^\s*(import|export)\s/m);
});
