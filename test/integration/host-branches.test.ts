// Branch requests and their results over the headless host's WebSocket on loopback: the same
// objects the renderer gets (sibling counts, paging, the numbers of each answer, events).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { AppEvent, BranchMessage, Conversation, Message, MessagePage, ServerMessage } from '../../app/contract.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
let ws: WebSocket;
let nextId = 1;
const events: AppEvent[] = [];
const waiting = new Map<number, (m: ServerMessage) => void>();

before(async () => {
  app = await startTestApp();
  ws = new WebSocket(`ws://127.0.0.1:${app.host.port}/ws?token=${app.host.token}`, { origin: `http://127.0.0.1:${app.host.port}` });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as ServerMessage;
    if ('event' in m) events.push(m.event);
    else if (m.id !== null) waiting.get(m.id)?.(m);
  });
});
after(async () => {
  ws?.close();
  await app?.stop();
});

async function call<T>(method: string, params: unknown): Promise<T> {
  const id = nextId++;
  const reply = new Promise<ServerMessage>((resolve) => waiting.set(id, resolve));
  ws.send(JSON.stringify({ id, method, params }));
  const m = await reply;
  if (!('ok' in m) || !m.ok) throw new Error(JSON.stringify(m));
  return m.result as T;
}

async function finished(messageId: string): Promise<Message> {
  for (;;) {
    const done = events.find((e) => e.type === 'chat.finished' && e.message.id === messageId);
    if (done && done.type === 'chat.finished') return done.message;
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('send, regenerate and page over the WebSocket', async () => {
  const c = await call<Conversation>('conversations.create', {});
  assert.deepEqual([c.pinned, c.settings, c.activeLeafId], [false, {}, null]);
  const sampling = { maxTokens: 4, temperature: 0 };
  const sent = await call<{ userMessage: BranchMessage; assistantMessage: BranchMessage }>('chat.send', { conversationId: c.id, text: 'hi', modelPath: app.modelPath, sampling });
  const first = await finished(sent.assistantMessage.id);
  assert.equal(first.stats?.contextSize, 4096);
  assert.ok((first.stats?.contextTokens ?? 0) > 0);
  const regen = await call<{ assistantMessage: BranchMessage }>('chat.regenerate', { messageId: first.id, modelPath: app.modelPath, sampling });
  const second = await finished(regen.assistantMessage.id);
  const deltas = events.filter((e) => e.type === 'chat.delta' && e.messageId === second.id).map((e) => (e as { text: string }).text);
  assert.equal(deltas.join(''), second.content, 'a regenerated answer streams as deltas too');

  const page = await call<MessagePage>('messages.page', { conversationId: c.id, limit: 1 });
  assert.equal(page.hasMore, true);
  assert.deepEqual(
    page.messages.map((m) => [m.id, m.parentId, m.siblingIndex, m.siblingCount, m.siblingIds, m.droppedMessages, m.sampling?.topK]),
    [[second.id, sent.userMessage.id, 1, 2, [first.id, second.id], 0, 20]],
  );
  assert.ok(events.some((e) => e.type === 'conversation.updated' && e.conversation.activeLeafId === second.id));
});
