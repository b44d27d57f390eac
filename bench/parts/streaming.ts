// Part 4 — streaming: how long a token takes from the engine to the client, split at main, and the
// bytes sent per token at message 10 and message 1,000 of a conversation.
//
// Clocks: every stamp is CLOCK_MONOTONIC (process.hrtime), which is system-wide, so stamps from the
// engine process, main and the client process compare directly. The engine stamp comes from a
// preload (bench/probe/engine-stamp.mjs) that wraps process.send in the engine process of this
// part's app instance only; the engine's code is unchanged.
import { dataPaths } from '../../app/paths.js';
import { openStore } from '../../app/store/index.js';
import { atMost, type Figures } from '../lib/report.js';
import { median, quantile } from '../lib/stats.js';
import { englishText } from '../lib/text.js';
import { AppUnderTest } from './app.js';
import { DECODE_PROMPT, type ModelSpec } from './throughput.js';

const PART = '4 streaming';

export async function runStreaming(
  figures: Figures,
  model: ModelSpec,
  o: { tokens: number; longConversation: number; threads?: number; coalesceMs?: number },
  notes: string[],
  log: (s: string) => void,
): Promise<Record<string, unknown>> {
  const app = await AppUnderTest.start({ threads: o.threads, instrumented: true, coalesceMs: o.coalesceMs });
  const details: Record<string, unknown> = {};
  try {
    const modelPath = app.addModel(model.file);
    const warm = await app.newConversation();
    await app.chat({ conversationId: warm, text: 'Hello', modelPath, sampling: { maxTokens: 2, temperature: 0 } });

    const at = async (messageNumber: number) => {
      // Messages before this answer: inserted through the store (a second connection, WAL).
      const conversationId = await app.newConversation(`streaming at message ${messageNumber}`);
      const store = openStore(dataPaths(app.dataDir).databasePath);
      try {
        store.db.transaction(() => {
          for (let i = 0; i < messageNumber - 2; i++) {
            store.messages.insert({ conversationId, role: i % 2 === 0 ? 'user' : 'assistant', content: englishText(12, 500 + i), status: 'done' });
          }
        })();
      } finally {
        store.close();
      }
      app.engineArrivals.length = 0;
      app.mainEmits.length = 0;
      app.recordEmits = true;
      log(`streaming: answer at message ${messageNumber}`);
      const trace = await app.chat({ conversationId, text: DECODE_PROMPT, modelPath, sampling: { maxTokens: o.tokens, temperature: 0 } });
      app.recordEmits = false;
      const emits = app.mainEmits.filter((e) => e.type === 'chat.delta' && e.messageId === trace.assistantMessageId);
      const engineToMain = app.engineArrivals.filter((a) => a.sentAt !== null).map((a) => a.receivedAt - a.sentAt!);
      const n = Math.min(emits.length, trace.deltas.length);
      const mainToClient = Array.from({ length: n }, (_, i) => trace.deltas[i]!.at - emits[i]!.at);
      const m = Math.min(n, app.engineArrivals.length);
      const engineToClient = Array.from({ length: m }, (_, i) => trace.deltas[i]!.at - (app.engineArrivals[i]!.sentAt ?? NaN));
      const tokens = Math.max(1, trace.message.stats?.tokens ?? trace.deltas.length);
      const deltaBytes = trace.deltas.reduce((a, d) => a + d.bytes, 0);
      // What a chat.delta frame carries besides the answer's own text as a JSON string (ids, event type, keys).
      const envelopeBytes = trace.deltas.reduce((a, d) => a + d.bytes - Buffer.byteLength(JSON.stringify(d.text)), 0);
      const ipcBytes = app.engineArrivals.reduce((a, d) => a + d.bytes, 0);
      return {
        messageNumber,
        conversationId,
        tokens,
        deltas: trace.deltas.length,
        engineToMain: { median: median(engineToMain), p95: quantile(engineToMain, 0.95) },
        mainToClient: { median: median(mainToClient), p95: quantile(mainToClient, 0.95) },
        engineToClient: { median: median(engineToClient), p95: quantile(engineToClient, 0.95) },
        deltaBytesPerToken: deltaBytes / tokens,
        envelopeBytesPerFrame: envelopeBytes / Math.max(1, trace.deltas.length),
        tokensPerFrame: tokens / Math.max(1, trace.deltas.length),
        decodeTps: trace.message.stats?.tokensPerSecond ?? NaN,
        wsBytesPerToken: trace.bytesReceived / tokens,
        ipcBytesPerToken: ipcBytes / tokens,
        requestBytes: trace.bytesSent,
        ttftMs: (trace.deltas[0]?.at ?? trace.finishedAt) - trace.sentAt,
        status: trace.message.status,
        error: trace.message.error,
      };
    };
    const early = await at(10);
    const late = await at(o.longConversation);
    // The next messages of that long conversation: the first answer there evaluated all of the history
    // that fits; the following ones keep its start (or refill to half the room once) and reuse the rest.
    const followUps: Array<{ ttftMs: number; evaluated: number; dropped: number }> = [];
    for (let i = 0; i < 4; i++) {
      const t = await app.chat({ conversationId: late.conversationId, text: `Go on (${i + 1}).`, modelPath, sampling: { maxTokens: o.tokens, temperature: 0 } });
      followUps.push({ ttftMs: (t.deltas[0]?.at ?? t.finishedAt) - t.sentAt, evaluated: t.message.stats?.promptTokens ?? NaN, dropped: t.message.droppedMessages ?? 0 });
    }
    details.followUps = followUps;
    details.early = early;
    details.late = late;
    figures.add(PART, `token latency engine -> client, median (message 10)`, early.engineToClient.median, 'ms', atMost(2, ' ms'), `p95 ${early.engineToClient.p95.toFixed(2)} ms`);
    figures.add(PART, `  engine -> main (IPC), median`, early.engineToMain.median, 'ms', null, `p95 ${early.engineToMain.p95.toFixed(2)} ms`);
    figures.add(PART, `  main -> client (host + WebSocket), median`, early.mainToClient.median, 'ms', null, `p95 ${early.mainToClient.p95.toFixed(2)} ms`);
    figures.add(PART, `token latency engine -> client, median (message ${o.longConversation.toLocaleString('en')})`, late.engineToClient.median, 'ms', atMost(2, ' ms'), `p95 ${late.engineToClient.p95.toFixed(2)} ms`);
    figures.add(PART, 'WebSocket bytes per token, message 10', early.wsBytesPerToken, 'B', null, `chat.delta frames alone ${early.deltaBytesPerToken.toFixed(0)} B/token at ${early.tokensPerFrame.toFixed(1)} tokens per frame (${early.decodeTps.toFixed(0)} tok/s); IPC engine->main ${early.ipcBytesPerToken.toFixed(0)} B/token`);
    figures.add(PART, `WebSocket bytes per token, message ${o.longConversation.toLocaleString('en')}`, late.wsBytesPerToken, 'B', null, `chat.delta frames alone ${late.deltaBytesPerToken.toFixed(0)} B/token at ${late.tokensPerFrame.toFixed(1)} tokens per frame (${late.decodeTps.toFixed(0)} tok/s: a frame holds what was decoded in up to 50 ms, so per token the bytes follow the decode speed)`);
    figures.add(PART, `chat.delta bytes besides the text, per frame: message ${o.longConversation.toLocaleString('en')} / message 10`, late.envelopeBytesPerFrame / early.envelopeBytesPerFrame, '×',
      { text: '≤ 1.05 (independent of length)', ok: (v) => v <= 1.05 },
      `${late.envelopeBytesPerFrame.toFixed(1)} B vs ${early.envelopeBytesPerFrame.toFixed(1)} B: a frame carries the new text and fixed ids, never the history; per token it varies only with tokens per frame (decode speed)`);
    figures.add(PART, `time to first token, first answer at message ${o.longConversation.toLocaleString('en')}`, late.ttftMs, 'ms', null, `message 10: ${early.ttftMs.toFixed(0)} ms. A conversation the engine has not seen: all of the history that fits is evaluated`);
    figures.add(PART, `time to first token, the next 4 messages there (median)`, median(followUps.map((f) => f.ttftMs)), 'ms', null,
      followUps.map((f) => `${f.ttftMs.toFixed(0)} ms (${f.evaluated} tokens evaluated, ${f.dropped} left out)`).join('; '));
    if (late.status !== 'done') notes.push(`The answer at message ${o.longConversation} ended as "${late.status}": ${late.error ?? ''}`);
    notes.push(
      'Streaming latency: the engine stamp is taken by a preload in the engine process (wrapping process.send), main\'s stamp when core.onEvent fires (before the host serialises the event), ' +
        'the client\'s on WebSocket arrival in its own process; all on the system-wide monotonic clock. The client runs as a separate process, as a browser would.',
    );
    return details;
  } finally {
    await app.close();
  }
}
