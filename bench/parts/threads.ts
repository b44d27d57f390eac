// Part 2 — threads: decode and prefill for every thread count from 1 to the number of cores, for
// the bare loop and for the whole app (started with --threads t), interleaved round by round; and
// where the engine's automatic choice (native/engine/process/threads.ts chooseThreads) lands against the best.
import os from 'node:os';
import { atLeast, type Figures } from '../lib/report.js';
import { median } from '../lib/stats.js';
import { chatmlPrompt } from '../lib/text.js';
import { AppUnderTest } from './app.js';
import { engineProcessEnv } from '../../native/engine/main/process-env.js';
import { BareRunner } from './bare.js';
import { clientDecode, clientTtft, CONTEXT_SIZE, DECODE_PROMPT, fitText, SYSTEM_PROMPT, type ModelSpec } from './throughput.js';

const PART = '2 threads';

export async function runThreads(
  figures: Figures,
  model: ModelSpec,
  o: { decodeTokens: number; prefillTokens: number; rounds: number; withApp: boolean },
  log: (s: string) => void,
): Promise<Record<string, unknown>> {
  const cores = os.availableParallelism();
  const counts = Array.from({ length: cores }, (_, i) => i + 1);
  const bares = new Map<number, BareRunner>();
  const apps = new Map<number, { app: AppUnderTest; modelPath: string }>();
  type Side = 'bare' | 'app';
  const results = new Map<string, { decode: number[]; prefill: number[] }>();
  const key = (side: Side, t: number) => `${side}:${t}`;
  try {
    for (const t of counts) {
      bares.set(t, await BareRunner.start(model.file, t, CONTEXT_SIZE, engineProcessEnv()));
      results.set(key('bare', t), { decode: [], prefill: [] });
      if (o.withApp) {
        const app = await AppUnderTest.start({ threads: t });
        const modelPath = app.addModel(model.file);
        await app.chat({ conversationId: await app.newConversation(), text: 'Hello', modelPath, sampling: { maxTokens: 2, temperature: 0 } });
        apps.set(t, { app, modelPath });
        results.set(key('app', t), { decode: [], prefill: [] });
      }
    }
    const first = bares.get(1)!;
    const auto = first.info.auto;
    const text = await fitText(first, o.prefillTokens, 77);
    const prompt = chatmlPrompt(SYSTEM_PROMPT, text);
    const evaluated = (await first.count(prompt)) - (await first.count(`<|im_start|>system\n${SYSTEM_PROMPT}<|im_end|>\n<|im_start|>user\n`));
    const decodePrompt = chatmlPrompt(SYSTEM_PROMPT, DECODE_PROMPT);
    for (const t of counts) await bares.get(t)!.decode(decodePrompt, 4); // warm
    for (let r = 0; r < o.rounds; r++) {
      const order = r % 2 === 0 ? counts : [...counts].reverse();
      for (const t of order) {
        const b = bares.get(t)!;
        const d = await b.decode(decodePrompt, o.decodeTokens);
        const p = await b.prefill(prompt);
        results.get(key('bare', t))!.decode.push(d.tokensPerSecond);
        results.get(key('bare', t))!.prefill.push(p.tokensPerSecond);
        let line = `threads ${t} round ${r + 1}/${o.rounds}: bare decode ${d.tokensPerSecond.toFixed(1)} prefill ${p.tokensPerSecond.toFixed(0)}`;
        const a = apps.get(t);
        if (a) {
          const dec = await a.app.chat({ conversationId: await a.app.newConversation(), text: DECODE_PROMPT, modelPath: a.modelPath, sampling: { maxTokens: o.decodeTokens, temperature: 0 } });
          // A different text per round: a new conversation would otherwise reuse the whole prompt.
          const pre = await a.app.chat({ conversationId: await a.app.newConversation(), text: `${r} ${text}`, modelPath: a.modelPath, sampling: { maxTokens: 1, temperature: 0 } });
          const ad = clientDecode(dec).tps;
          const ap = evaluated / (clientTtft(pre) / 1000);
          results.get(key('app', t))!.decode.push(ad);
          results.get(key('app', t))!.prefill.push(ap);
          line += ` | app decode ${ad.toFixed(1)} prefill ${ap.toFixed(0)}`;
        }
        log(`${line} tok/s`);
      }
    }
    const summary: Record<string, { decode: number; prefill: number }> = {};
    for (const [k, x] of results) summary[k] = { decode: median(x.decode), prefill: median(x.prefill) };
    for (const t of counts) {
      const b = summary[key('bare', t)]!;
      const a = summary[key('app', t)];
      figures.add(PART, `${model.label}, ${t} thread(s): decode, bare loop`, b.decode, 'tok/s', null, `prefill ${b.prefill.toFixed(0)} tok/s`);
      if (a) figures.add(PART, `${model.label}, ${t} thread(s): decode, app`, a.decode, 'tok/s', null, `prefill ${a.prefill.toFixed(0)} tok/s`);
    }
    const chosen = auto.threads;
    for (const side of (o.withApp ? ['bare', 'app'] : ['bare']) as Side[]) {
      for (const kind of ['decode', 'prefill'] as const) {
        const best = Math.max(...counts.map((t) => summary[key(side, t)]![kind]));
        const bestAt = counts.find((t) => summary[key(side, t)]![kind] === best)!;
        const at = summary[key(side, chosen)];
        figures.add(PART, `automatic choice (${chosen}: ${auto.reason}) vs best (${bestAt}), ${side} ${kind}`, at ? at[kind] / best : null, '× best', atLeast(0.95));
      }
    }
    return { cores, auto, summary, raw: Object.fromEntries(results), cpuMathCores: first.info.cpuMathCores };
  } finally {
    for (const r of bares.values()) await r.close();
    for (const a of apps.values()) await a.app.close();
  }
}
