// Starts the engine process as an Electron utility process (the Electron counterpart of
// native/engine/main/fork-launcher.ts). Messages go through postMessage / process.parentPort.
import type { ForkOptions, UtilityProcess } from 'electron';
import type { EngineChannel, EngineLauncher } from '../../native/engine/main/channel.js';

export const ENGINE_SERVICE_NAME = 'Qwen2 Desk engine';

/** Electron's utilityProcess.fork, passed in so that this module needs no Electron at run time. */
export type ForkUtility = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityProcess;

export function createUtilityLauncher(fork: ForkUtility): EngineLauncher {
  return (entryFile, env) => {
    const child = fork(entryFile, [], {
      env: { ...process.env, ...env },
      serviceName: ENGINE_SERVICE_NAME,
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let exited = false;
    let exitCode: number | null = null;
    const exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
    const logListeners: Array<(text: string) => void> = [];
    child.once('exit', (code: number) => {
      exited = true;
      exitCode = typeof code === 'number' ? code : null;
      for (const l of exitListeners.splice(0)) l(exitCode, null);
    });
    const stderr = child.stderr;
    if (stderr) {
      stderr.setEncoding('utf8');
      stderr.on('data', (chunk: string | Buffer) => {
        const text = String(chunk);
        if (logListeners.length === 0) process.stderr.write(text);
        for (const l of logListeners) l(text);
      });
    }
    const channel: EngineChannel = {
      send: (message) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => {
        child.on('message', (message: unknown) => listener(message));
      },
      onExit: (listener) => {
        if (exited) queueMicrotask(() => listener(exitCode, null));
        else exitListeners.push(listener);
      },
      onLog: (listener) => {
        logListeners.push(listener);
      },
      kill: () => {
        if (!exited) child.kill();
      },
      get pid() {
        return child.pid;
      },
    };
    return channel;
  };
}
