// Child process for test/integration/full-disk-crash.test.ts: the real core with its data folder on a
// small disk streams a long answer; after its first text the disk is filled up, and the answer streams
// on until the test kills this process. Prints one JSON line with the ids, "full <chars> <Date.now()>"
// when the disk is full, then "<chars so far> <Date.now()>" for every delta.
// Usage: node --import tsx test/helpers/full-disk-child.ts <data dir> <filler file> <reserve bytes>
import fs from 'node:fs';
import { createCore } from '../../app/core.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { tinyModel } from './full-disk.js';

const [dataDir, filler, reserve] = process.argv.slice(2);
if (!dataDir || !filler || !reserve) throw new Error('usage: full-disk-child.ts <data dir> <filler file> <reserve bytes>');

const core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1, disk: { reserveBytes: Number(reserve) } });
const call = async (method: string, params: unknown): Promise<any> => {
  const r = await core.handle(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.result;
};
const model = await call('models.add', { path: await tinyModel() });
const c = await call('conversations.create', {});

function fill(): void {
  const fd = fs.openSync(filler, 'a');
  for (const size of [1024 * 1024, 4096, 1]) {
    const chunk = Buffer.alloc(size, 1);
    try {
      for (;;) fs.writeSync(fd, chunk);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOSPC') throw error;
    }
  }
  fs.closeSync(fd);
}

let chars = 0;
let full = false;
let answerId = '';
core.onEvent((e) => {
  if (e.type !== 'chat.delta' || e.messageId !== answerId) return;
  chars += e.text.length;
  if (!full) {
    full = true;
    fill();
    process.stdout.write(`full ${chars} ${Date.now()}\n`);
  }
  process.stdout.write(`${chars} ${Date.now()}\n`);
});
const sent = await call('chat.send', { conversationId: c.id, text: 'Go on and on', modelPath: model.path, sampling: { maxTokens: 100_000 } });
answerId = sent.assistantMessage.id;
process.stdout.write(JSON.stringify({ conversationId: c.id, answer: answerId, question: sent.userMessage.id }) + '\n');
