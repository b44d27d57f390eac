// The host killed (SIGKILL) while the disk is full and an answer streams: the answer's text goes on
// being saved into the space reserve released at the first failed write, so after the restart all but
// the last ~flushMs of it is there, marked interrupted with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Message } from '../../app/contract.js';
import { mountSmallDisk, startDiskCore, type DiskCore, type SmallDisk } from '../helpers/full-disk.js';

const child = fileURLToPath(new URL('../helpers/full-disk-child.ts', import.meta.url));
const FLUSH_MS = 200; // the chat's answer writer batch
const SLACK_MS = 300; // timer and scheduling delays on a busy machine
/** Killed once this many characters more than at the fill were streamed more than flushMs + slack before. */
const STREAMED_AFTER_FULL = 200;

let disk: SmallDisk | null = null;
let app: DiskCore | null = null;
test.after(async () => {
  await app?.core.close();
  disk?.unmount();
});

test('SIGKILL while the disk is full keeps the answer streamed until ~flushMs before, and the restart says why it stopped', { timeout: 120_000 }, async (t) => {
  disk = mountSmallDisk(t, '24m');
  if (!disk) return;
  const dataDir = path.join(disk.dir, 'data');
  const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir, path.join(disk.dir, 'filler.bin'), String(2 * 1024 * 1024)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));

  let ids: { conversationId: string; answer: string; question: string } | undefined;
  let fullAt = 0;
  let fullChars = 0;
  const seen: Array<[chars: number, at: number]> = [];
  let killedAt = 0;
  for await (const line of createInterface({ input: proc.stdout })) {
    if (line.startsWith('{')) ids = JSON.parse(line);
    else if (line.startsWith('full ')) [fullChars, fullAt] = line.slice(5).split(' ').map(Number) as [number, number];
    else {
      seen.push(line.split(' ').map(Number) as [number, number]);
      const settled = seen.filter(([, at]) => at <= Date.now() - FLUSH_MS - SLACK_MS).at(-1)?.[0] ?? 0;
      if (ids && fullAt && !killedAt && settled >= fullChars + STREAMED_AFTER_FULL) {
        killedAt = Date.now();
        proc.kill('SIGKILL');
        break; // its engine process may hold the pipe open a little longer
      }
    }
  }
  assert.equal(await exited, 'SIGKILL', `the child did not die by SIGKILL (did the answer end early?); stderr:\n${stderr}`);
  assert.ok(ids && fullAt, `the child did not stream onto a full disk; stderr:\n${stderr}`);

  disk.free();
  app = await startDiskCore(dataDir);
  const list = (await app.call('messages.list', { conversationId: ids.conversationId })) as Message[];
  assert.deepEqual(list.map((m) => m.id), [ids.question, ids.answer], 'the question and the answer row were stored before streaming');
  const answer = list[1]!;
  // Every delta appended more than flushMs (+ slack) before the kill is stored, although the disk was full.
  const mustHave = seen.filter(([, at]) => at <= killedAt - FLUSH_MS - SLACK_MS).at(-1)?.[0] ?? 0;
  t.diagnostic(`disk full at ${fullChars} characters; ${seen.at(-1)?.[0]} streamed before the kill; ${answer.content.length} stored; at least ${mustHave} required`);
  assert.ok(mustHave >= fullChars + STREAMED_AFTER_FULL, 'the answer streamed on for a while after the disk was full');
  assert.ok(answer.content.length >= mustHave, `only ${answer.content.length} characters stored; ${mustHave} were streamed more than ${FLUSH_MS + SLACK_MS} ms before the kill`);
  assert.equal(answer.status, 'interrupted');
  assert.match(answer.error ?? '', /^The app closed while this answer was being written/);
});
