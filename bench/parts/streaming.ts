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
      const ipcBytes = app.engineArrivals.reduce((a, d) => a + d.bytes, 0);
      return {
        messageNumber,
        tokens,
        deltas: trace.deltas.length,
        engineToMain: { median: median(engineToMain), p95: quantile(engineToMain, 0.95) },
        mainToClient: { median: median(mainToClient), p95: quantile(mainToClient, 0.95) },
        engineToClient: { median: median(engineToClient), p95: quantile(engineToClient, 0.95) },
        deltaBytesPerToken: deltaBytes / tokens,
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
    details.early = early;
    details.late = late;
    figures.add(PART, `token latency engine -> client, median (message 10)`, early.engineToClient.median, 'ms', atMost(2, ' ms'), `p95 ${early.engineToClient.p95.toFixed(2)} ms`);
    figures.add(PART, `  engine -> main (IPC), median`, early.engineToMain.median, 'ms', null, `p95 ${early.engineToMain.p95.toFixed(2)} ms`);
    figures.add(PART, `  main -> client (host + WebSocket), median`, early.mainToClient.median, 'ms', null, `p95 ${early.mainToClient.p95.toFixed(2)} ms`);
    figures.add(PART, `token latency engine -> client, median (message ${o.longConversation.toLocaleString('en')})`, late.engineToClient.median, 'ms', atMost(2, ' ms'), `p95 ${late.engineToClient.p95.toFixed(2)} ms`);
    figures.add(PART, 'WebSocket bytes per token, message 10', early.wsBytesPerToken, 'B', null, `chat.delta frames alone ${early.deltaBytesPerToken.toFixed(0)} B/token; IPC engine->main ${early.ipcBytesPerToken.toFixed(0)} B/token`);
    figures.add(PART, `WebSocket bytes per token, message ${o.longConversation.toLocaleString('en')}`, late.wsBytesPerToken, 'B', null, `chat.delta frames alone ${late.deltaBytesPerToken.toFixed(0)} B/token`);
    figures.add(PART, `bytes per token, message ${o.longConversation.toLocaleString('en')} / message 10`, late.deltaBytesPerToken / early.deltaBytesPerToken, '×', { text: '≤ 1.05 (independent of length)', ok: (v) => v <= 1.05 }, 'chat.delta frames');
    figures.add(PART, `time to first token at message ${o.longConversation.toLocaleString('en')}`, late.ttftMs, 'ms', null, `message 10: ${early.ttftMs.toFixed(0)} ms. The whole history goes to the engine with each message, which fits it into the context`);
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
