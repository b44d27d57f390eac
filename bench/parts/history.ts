// Part 6 — history: messages inserted through the store into a temporary SQLite file; full-text
// search p95 (English and Chinese), and the time to load the first screen of a long conversation
// through the app (messages.list over the WebSocket, as the UI does).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataPaths } from '../../app/paths.js';
import { openStore, type Store } from '../../app/store/index.js';
import { nowMs } from '../lib/clock.js';
import { atMost, type Figures } from '../lib/report.js';
import { quantile, median } from '../lib/stats.js';
import { CHINESE_WORDS, chineseText, englishText, ENGLISH_WORDS, prng } from '../lib/text.js';
import { AppUnderTest } from './app.js';

const PART = '6 history';

export interface HistoryOptions {
  totalMessages: number;
  longConversation: number;
  searchRepeats: number;
}

export async function runHistory(figures: Figures, o: HistoryOptions, notes: string[]): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-bench-history-'));
  const file = dataPaths(dataDir).databasePath;
  const details: Record<string, unknown> = {};
  try {
    const store: Store = openStore(file);
    // ---- insert through the store ----
    const r = prng(7);
    const perConversation = 1000;
    const t0 = nowMs();
    const long = store.conversations.create('long conversation');
    const insertMany = store.db.transaction((conversationId: string, n: number, seed: number) => {
      for (let i = 0; i < n; i++) {
        const chinese = r() < 0.25;
        const words = 8 + Math.floor(r() * 60);
        const content = chinese ? chineseText(words * 2, seed * 1_000_003 + i) : englishText(words, seed * 1_000_003 + i);
        store.messages.insert({ conversationId, role: i % 2 === 0 ? 'user' : 'assistant', content, status: 'done' });
      }
    });
    insertMany(long.id, o.longConversation, 1);
    let inserted = o.longConversation;
    let seed = 2;
    while (inserted < o.totalMessages) {
      const c = store.conversations.create(`conversation ${seed}`);
      const n = Math.min(perConversation, o.totalMessages - inserted);
      insertMany(c.id, n, seed++);
      inserted += n;
    }
    const insertMs = nowMs() - t0;
    const dbBytes = fileBytes(file);
    figures.add(PART, `insert ${inserted.toLocaleString('en')} messages through the store (batched in transactions)`, (insertMs / inserted) * 1000, 'µs/message', null, `${(insertMs / 1000).toFixed(1)} s in all, database ${(dbBytes / 2 ** 20).toFixed(0)} MiB`);

    // ---- queries: words of the vocabularies the messages were written from ----
    const q = prng(11);
    const pick = <T>(a: readonly T[]) => a[Math.floor(q() * a.length)]!;
    const longWords = ENGLISH_WORDS.filter((w) => w.length >= 4);
    const english = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? pick(longWords) : `${pick(longWords)} ${pick(longWords)}`));
    const chinese3 = Array.from({ length: 20 }, () => pick(CHINESE_WORDS.filter((w) => w.length >= 3)));
    // Real Chinese words are often 2 characters: shorter than a trigram.
    const chinese2 = Array.from({ length: 20 }, () => pick(CHINESE_WORDS.filter((w) => w.length === 2)));
    const storeHasFts = (store.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'messages_fts'").get() as { n: number }).n > 0;
    store.close();

    const app = await AppUnderTest.start({ dataDir });
    try {
      // ---- full-text search: through the app's API when it has one ----
      type Runner = (query: string) => Promise<number>;
      let via: string;
      let run: Runner;
      const apiSearch: Runner = async (query) => (await app.call<unknown[]>('search.messages', { query, limit: 50 })).result.length;
      let apiWorks = true;
      try {
        await apiSearch(english[0]!);
      } catch (error) {
        apiWorks = false;
        details.searchApiError = String(error).slice(0, 300);
      }
      let local: Store | null = null;
      if (apiWorks) {
        via = 'search.messages over the WebSocket';
        run = apiSearch;
        details.searchVia = 'api';
      } else {
        local = openStore(file);
        const db = local.db;
        let table = 'messages_fts';
        if (!storeHasFts) {
          table = 'bench_messages_fts';
          const tb = nowMs();
          db.exec(`CREATE VIRTUAL TABLE ${table} USING fts5(content, content='messages', content_rowid='rowid', tokenize='trigram');
                   INSERT INTO ${table}(rowid, content) SELECT rowid, content FROM messages;`);
          notes.push(
            `The store has no full-text index: the benchmark created an FTS5 trigram index itself (${table}) in ${((nowMs() - tb) / 1000).toFixed(1)} s; ` +
              'the search figures show what such an index gives, not what the app does.',
          );
        }
        const ftsQuery = db.prepare(`SELECT m.id FROM ${table} f JOIN messages m ON m.rowid = f.rowid WHERE ${table} MATCH ? ORDER BY m.rowid DESC LIMIT 50`);
        const likeQuery = db.prepare(`SELECT m.id FROM messages m WHERE m.content LIKE ? ORDER BY m.rowid DESC LIMIT 50`);
        run = async (query) => {
          const terms = query.split(' ');
          return [...terms].every((t) => [...t].length >= 3)
            ? ftsQuery.all(terms.map((t) => `"${t}"`).join(' AND ')).length
            : likeQuery.all(`%${terms[0]}%`).length;
        };
        via = storeHasFts ? "SQL on the store's messages_fts (no search API reachable)" : 'trigram index made by the benchmark';
        details.searchVia = storeHasFts ? 'store-fts-sql' : 'bench-fts';
      }
      const measure = async (queries: string[]) => {
        const ms: number[] = [];
        const hits: number[] = [];
        for (let rep = 0; rep < o.searchRepeats; rep++)
          for (const query of queries) {
            const t = nowMs();
            hits.push(await run(query));
            ms.push(nowMs() - t);
          }
        return { p95: quantile(ms, 0.95), median: median(ms), hitsMedian: median(hits) };
      };
      const en = await measure(english);
      const zh = await measure(chinese3);
      const zh2 = await measure(chinese2);
      local?.close();
      const n = inserted.toLocaleString('en');
      figures.add(PART, `search p95, English words, ${n} messages (${via})`, en.p95, 'ms', atMost(50, ' ms'), `median ${en.median.toFixed(2)} ms, median ${en.hitsMedian} hits (limit 50)`);
      figures.add(PART, 'search p95, Chinese words of 3–4 characters', zh.p95, 'ms', atMost(50, ' ms'), `median ${zh.median.toFixed(2)} ms, median ${zh.hitsMedian} hits`);
      figures.add(PART, 'search p95, Chinese 2-character words (shorter than a trigram)', zh2.p95, 'ms', atMost(50, ' ms'), `median ${zh2.median.toFixed(2)} ms, median ${zh2.hitsMedian} hits`);
      details.search = { english: en, chinese3: zh, chinese2: zh2 };

      // ---- first screen of the long conversation, through the app ----
      const loads: number[] = [];
      let count = 0;
      let paged = false;
      let bytes = 0;
      for (let i = 0; i < 7; i++) {
        let reply: { result: unknown[]; ms: number };
        try {
          reply = await app.call<unknown[]>('messages.list', { conversationId: long.id, limit: 50 });
          paged = true;
        } catch (error) {
          if (!/invalid_request/.test(String(error))) throw error;
          reply = await app.call<unknown[]>('messages.list', { conversationId: long.id });
        }
        loads.push(reply.ms);
        count = reply.result.length;
        bytes = Buffer.byteLength(JSON.stringify(reply.result));
      }
      const load = median(loads.slice(1)); // the first call also warms SQLite's page cache
      const what = paged && count <= 50 ? `the last ${count} messages (paged)` : `all ${count.toLocaleString('en')} messages (messages.list has no paging: the first screen loads the whole conversation)`;
      figures.add(PART, `open a ${o.longConversation.toLocaleString('en')}-message conversation: messages.list over the WebSocket`, load, 'ms', atMost(200, ' ms'), `${what}, ${(bytes / 2 ** 20).toFixed(2)} MiB of JSON; cold first call ${loads[0]!.toFixed(0)} ms`);
      details.load = { loads, count, paged, bytes };
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return details;
}

/** The database file plus its WAL. */
function fileBytes(file: string): number {
  const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  return size(file) + size(`${file}-wal`);
}
