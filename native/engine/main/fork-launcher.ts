// Starts the engine process with child_process.fork (plain Node: the headless host, the CLI, tests).
import { fork } from 'node:child_process';
import type { EngineChannel, EngineLauncher } from './channel.js';

export const forkLauncher: EngineLauncher = (entryFile, env) => {
  // Running from TypeScript source: the child needs the same loader, resolved to an absolute URL
  // so that it works from any working directory.
  const execArgv = entryFile.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  const child = fork(entryFile, [], {
    execArgv,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  const logListeners: Array<(line: string) => void> = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (logListeners.length === 0) process.stderr.write(chunk);
    for (const l of logListeners) l(chunk);
  });
  const channel: EngineChannel = {
    send: (m) => {
      if (child.connected) child.send(m as never);
    },
    onMessage: (l) => child.on('message', l),
    onExit: (l) => child.once('exit', (code, signal) => l(code, signal)),
    onLog: (l) => logListeners.push(l),
    kill: () => child.kill('SIGKILL'),
    get pid() {
      return child.pid;
    },
  };
  return channel;
};
