// Part 7 — the real renderer: decode speed while the answer streams onto the page in Chromium
// (the built renderer served by the headless host), against an answer asked through the API client
// while the page shows another conversation. Both figures are the engine's own count, so the
// difference is what rendering the stream costs on this machine's cores. Headless Chromium paints
// in software here (--disable-gpu); a GPU-composited window paints more cheaply.
import fs from 'node:fs';
import path from 'node:path';
import type { AppEvent, Message } from '../../app/contract.js';
import { projectRoot } from '../../main/host/serve.js';
import { CHROMIUM, launchChromium } from '../../test/helpers/browser.js';
import type { Figures } from '../lib/report.js';
import { median } from '../lib/stats.js';
import { AppUnderTest } from './app.js';
import { DECODE_PROMPT, type ModelSpec } from './throughput.js';

const PART = '7 renderer';

export async function runRenderer(
  figures: Figures,
  model: ModelSpec,
  o: { tokens: number; rounds: number; threads?: number },
  log: (s: string) => void,
): Promise<Record<string, unknown>> {
  const rendererDir = path.join(projectRoot, 'dist', 'renderer');
  const label = `${model.label}, ${o.tokens}-token answers`;
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    figures.missing(PART, `${label}: decode streaming into the renderer / through the API`, 'dist/renderer is not built (npm run build:renderer)');
    return {};
  }
  if (!fs.existsSync(CHROMIUM)) {
    figures.missing(PART, `${label}: decode streaming into the renderer / through the API`, `no Chromium at ${CHROMIUM}`);
    return {};
  }
  const app = await AppUnderTest.start({ threads: o.threads, rendererDir });
  const browser = await launchChromium();
  try {
    const modelPath = app.addModel(model.file);
    const call = async <T>(method: string, params: unknown) => (await app.call<T>(method, params)).result;
    const listed = await call<Array<{ id: string; path: string }>>('models.list', {});
    const id = listed.find((m) => m.path === modelPath)!.id;
    // The page sends with the model's defaults: the same greedy sampling as the API side.
    await call('models.update', { id, defaults: { sampling: { maxTokens: o.tokens, temperature: 0, repeatPenalty: 1 } } });
    const finished = (match: (m: Message) => boolean) =>
      new Promise<Message>((resolve) => {
        const off = app.core.onEvent((e: AppEvent) => {
          if (e.type === 'chat.finished' && match(e.message)) {
            off();
            resolve(e.message);
          }
        });
      });
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(app.host.url);
    await app.chat({ conversationId: await app.newConversation(), text: 'Hello', modelPath, sampling: { maxTokens: 2, temperature: 0 } }); // loads the model
    const rounds: Array<{ page: number; api: number; chars: number }> = [];
    for (let r = 0; r < o.rounds; r++) {
      await page.getByTestId('new-conversation').click();
      await page.getByTestId('model-select').selectOption(modelPath);
      const input = page.getByTestId('composer-input');
      await input.fill(`${DECODE_PROMPT} (${r})`);
      const onPage = finished((m) => m.role === 'assistant' && m.content.length > 0);
      await input.press('Enter');
      const shown = await onPage;
      const asked = await app.chat({ conversationId: await app.newConversation(), text: `${DECODE_PROMPT} [${r}]`, modelPath, sampling: { maxTokens: o.tokens, temperature: 0, repeatPenalty: 1 } });
      const round = { page: shown.stats?.tokensPerSecond ?? NaN, api: asked.message.stats?.tokensPerSecond ?? NaN, chars: shown.content.length };
      rounds.push(round);
      log(`renderer round ${r + 1}/${o.rounds}: streaming on the page ${round.page.toFixed(1)} tok/s, through the API ${round.api.toFixed(1)} tok/s`);
    }
    await page.close();
    const onPageTps = median(rounds.map((x) => x.page));
    const apiTps = median(rounds.map((x) => x.api));
    figures.add(PART, `${label}: decode while the answer streams onto the page (Chromium)`, onPageTps, 'tok/s', null, `the engine's own count; ${median(rounds.map((x) => x.chars)).toFixed(0)} characters per answer`);
    figures.add(PART, `${label}: decode through the API client, the page showing another conversation`, apiTps, 'tok/s', null);
    figures.add(PART, `${label}: decode streaming onto the page / through the API`, median(rounds.map((x) => x.page / x.api)), '×', null,
      'no goal in the issue; what painting the stream costs here (headless Chromium, software raster, on the same 2 cores as llama.cpp)');
    return { rounds };
  } finally {
    await browser.close();
    await app.close();
  }
}
