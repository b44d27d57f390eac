// The utilityProcess launcher (main/electron/utility-launcher.ts) over a fake UtilityProcess.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ForkOptions, UtilityProcess } from 'electron';
import { createUtilityLauncher, ENGINE_SERVICE_NAME } from '../../main/electron/utility-launcher.js';

class FakeUtility extends EventEmitter {
  pid: number | undefined = 4242;
  posted: unknown[] = [];
  killed = 0;
  stdout = null;
  stderr = new PassThrough();
  postMessage(m: unknown) {
    this.posted.push(m);
  }
  kill() {
    this.killed++;
    return true;
  }
}

function launch() {
  const forks: Array<{ path: string; args?: string[]; options?: ForkOptions }> = [];
  let child!: FakeUtility;
  const launcher = createUtilityLauncher((path, args, options) => {
    forks.push({ path, args, options });
    child = new FakeUtility();
    return child as unknown as UtilityProcess;
  });
  const channel = launcher('/app/dist/native/engine/process/engine-process.js', { QWEN2_TEST: '1' });
  return { forks, child, channel };
}

test('forks the entry as "Qwen2 Desk engine" with our env on top of process.env (Electron runtime mocked)', () => {
  const { forks, channel } = launch();
  assert.equal(forks.length, 1);
  assert.equal(forks[0]!.path, '/app/dist/native/engine/process/engine-process.js');
  assert.equal(forks[0]!.options?.serviceName, ENGINE_SERVICE_NAME);
  assert.equal(ENGINE_SERVICE_NAME, 'Qwen2 Desk engine');
  const env = forks[0]!.options?.env as Record<string, string | undefined>;
  assert.equal(env.QWEN2_TEST, '1');
  assert.equal(env.PATH, process.env.PATH);
  assert.equal(channel.pid, 4242);
});

test('messages, logs and exit map onto EngineChannel (Electron runtime mocked)', async () => {
  const { child, channel } = launch();
  const got: unknown[] = [];
  const logs: string[] = [];
  const exits: Array<[number | null, string | null]> = [];
  channel.onMessage((m) => got.push(m));
  channel.onLog?.((t) => logs.push(t));
  channel.onExit((code, signal) => exits.push([code, signal]));

  channel.send({ type: 'load' });
  assert.deepEqual(child.posted, [{ type: 'load' }]);
  child.emit('message', { type: 'ready' });
  assert.deepEqual(got, [{ type: 'ready' }]);
  child.stderr.write('llama: hello\n');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(logs, ['llama: hello\n']);

  child.emit('exit', 3);
  assert.deepEqual(exits, [[3, null]]);
  channel.send({ type: 'late' }); // after exit: dropped, not thrown
  channel.kill();
  assert.equal(child.posted.length, 1);
  assert.equal(child.killed, 0);

  const late: Array<[number | null, string | null]> = [];
  channel.onExit((code, signal) => late.push([code, signal]));
  await Promise.resolve();
  assert.deepEqual(late, [[3, null]]);
});

test('kill goes to the process while it runs (Electron runtime mocked)', () => {
  const { child, channel } = launch();
  channel.kill();
  assert.equal(child.killed, 1);
});
