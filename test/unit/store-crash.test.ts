// A process killed mid-answer (SIGKILL) loses at most ~flushMs of text and no committed message;
// on the next start the answer is flagged 'interrupted'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../app/store/index.js';

const child = fileURLToPath(new URL('../helpers/store-crash-child.ts', import.meta.url));
const token = (i: number): string => `w${i} `; // as in the child
const FLUSH_MS = 100;
const SLACK_MS = 150; // timer and scheduling delays on a busy machine
const KILL_AFTER_TOKENS = 150;

const dir = mkdtempSync(join(tmpdir(), 'store-crash-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

interface Ids { conversationId: string; firstQuestion: string; firstAnswer: string; secondQuestion: string; answer: string }

test('SIGKILL mid-stream keeps committed messages and all but the last ~flushMs of the answer', { timeout: 30_000 }, async (t) => {
  const file = join(dir, 'crash.sqlite');
  const proc = spawn(process.execPath, ['--import', 'tsx', child, file, String(FLUSH_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));

  let ids: Ids | undefined;
  const appendedAt: number[] = []; // appendedAt[i]: when the child appended token i
  let killedAt = 0;
  for await (const line of createInterface({ input: proc.stdout })) {
    if (!ids) {
      ids = JSON.parse(line) as Ids;
      continue;
    }
    const [i, at] = line.split(' ').map(Number) as [number, number];
    appendedAt[i] = at;
    if (i >= KILL_AFTER_TOKENS && !killedAt) {
      killedAt = Date.now();
      proc.kill('SIGKILL');
    }
  }
  assert.equal(await exited, 'SIGKILL', `child did not die by SIGKILL; stderr:\n${stderr}`);
  assert.ok(ids, `child printed nothing; stderr:\n${stderr}`);

  const store = openStore(file);
  try {
    assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
    const list = store.messages.list(ids.conversationId);
    assert.deepEqual(list.map((m) => m.id), [ids.firstQuestion, ids.firstAnswer, ids.secondQuestion, ids.answer]);
    assert.deepEqual(list.slice(0, 3).map((m) => [m.role, m.content, m.status]), [
      ['user', 'First question', 'done'],
      ['assistant', 'First answer.', 'done'],
      ['user', 'Second question', 'done'],
    ]);
    assert.deepEqual(list[1]!.stats, { tokens: 2, tokensPerSecond: 10, timeToFirstTokenMs: 5, promptTokens: null, contextTokens: null, contextSize: null });

    const answer = store.messages.get(ids.answer)!;
    assert.equal(answer.status, 'streaming');
    // What was saved is exactly the first `saved` tokens...
    const saved = answer.content.split(' ').length - 1; // every token ends with a space
    assert.equal(answer.content, expected(saved), 'saved text is a whole prefix of the stream');
    // ...and includes every token appended more than flushMs (+ slack) before the kill.
    const mustHave = appendedAt.filter((at) => at <= killedAt - FLUSH_MS - SLACK_MS).length;
    assert.ok(mustHave > 0, 'the stream ran long enough before the kill');
    assert.ok(saved >= mustHave, `only ${saved} tokens saved; ${mustHave} were appended more than ${FLUSH_MS + SLACK_MS} ms before the kill`);

    const lostMs = killedAt - (appendedAt[saved] ?? killedAt);
    t.diagnostic(`saved ${saved} of >= ${appendedAt.length} tokens; the first lost one was appended ${lostMs} ms before the kill`);

    assert.equal(store.messages.markStreamingAsInterrupted(), 1);
    const flagged = store.messages.get(ids.answer)!;
    assert.equal(flagged.status, 'interrupted');
    assert.equal(flagged.content, answer.content);
  } finally {
    store.close();
  }
});

function expected(tokens: number): string {
  let s = '';
  for (let i = 0; i < tokens; i++) s += token(i);
  return s;
}
