// End to end in real Chromium: a model's load progress in the status line (Load and Unload there),
// a long message's prompt-reading progress in place of "Thinking…", and an answer that stops at its
// limit with the notice and a Continue that writes more into the same answer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertNoConsoleErrors, launchChromium } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { eventually } from '../helpers/eventually.js';

let app: TestApp;
let browser: Browser;
let page: Page;
const shots = process.env.QWEN2_DESK_SCREENSHOTS;
const errors: string[] = [];

before(async () => {
  app = await startTestApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.on('pageerror', (e) => errors.push(e.message));
  // Progress shows for as long as the step takes, which on the tiny model can be a moment: the page
  // records every progress element that appears, so nothing depends on catching it in time.
  // A string, not a function: the test's compiler would add helpers the page does not have.
  await page.addInitScript(`
    const seen = { load: [], loadText: [], prompt: [] };
    window.seen = seen;
    const record = () => {
      const load = document.querySelector('[data-testid="load-progress"]');
      if (load) {
        seen.load.push(load.getAttribute('data-progress') || '');
        seen.loadText.push(load.textContent || '');
      }
      for (const p of document.querySelectorAll('[data-testid="prompt-progress"]')) {
        seen.prompt.push([Number(p.getAttribute('data-done')), Number(p.getAttribute('data-total'))]);
      }
    };
    new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  `);
  await page.goto(app.host.url);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

async function snap(name: string) {
  if (!shots) return;
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/${name}.png` });
}

type Seen = { load: string[]; loadText: string[]; prompt: Array<[number, number]> };
const seen = () => page.evaluate(() => (window as unknown as { seen: Seen }).seen);
const assistant = () => page.getByTestId('message').and(page.locator('[data-role="assistant"]')).last();
const modelFile = () => app.modelPath.split('/').at(-1)!;

test('Load shows the model loading with its progress, then the model; Unload leaves none', async () => {
  await page.getByTestId('new-conversation').click();
  await page.getByTestId('model-select').selectOption(app.modelPath);
  await page.getByTestId('engine-load').click();
  await eventually(async () => assert.match((await page.getByTestId('engine-model').textContent()) ?? '', new RegExp(modelFile().replace(/\./g, '\\.'))));
  await eventually(async () => assert.match((await page.getByTestId('engine-model').textContent()) ?? '', /ctx 4,096/));
  const s = await seen();
  assert.ok(s.load.length > 0, 'the load progress was on the page');
  assert.ok(s.loadText.some((text) => text.includes(`Loading ${modelFile()}`)), `it named the model: ${s.loadText.join(' | ')}`);
  await page.getByTestId('engine-unload').waitFor();
  await snap('loaded');

  await page.getByTestId('engine-unload').click();
  await page.getByTestId('engine-load').waitFor();
  await eventually(async () => assert.equal(await page.getByTestId('engine-model').count(), 0));
  await snap('unloaded');
});

test('a long message shows prompt-reading progress; the answer stops at its limit and Continue extends it', async () => {
  const model = (await app.core.handle('models.list', {})) as { ok: true; result: Array<{ id: string; path: string }> };
  const id = model.result.find((m) => m.path === app.modelPath)!.id;
  await app.core.handle('models.update', { id, defaults: { sampling: { maxTokens: 8, temperature: 1, seed: 5 } } });

  const long = `apple${' apple'.repeat(2999)}`;
  await page.getByTestId('composer-input').fill(long);
  await page.getByTestId('send').click();
  await page.getByTestId('prompt-progress').waitFor().then(() => snap('prompt-progress'), () => {});
  const notice = page.getByTestId('stop-notice');
  await notice.waitFor({ timeout: 120_000 });
  const s = await seen();
  assert.ok(s.prompt.length > 0, 'the prompt progress was on the page');
  const total = s.prompt[0]![1];
  assert.ok(total > 3000, `tokens to read: ${total}`);
  const dones = s.prompt.map(([d]) => d);
  assert.ok(dones.every((d, i) => d < total && (i === 0 || d >= dones[i - 1]!)), `shown while reading, increasing: ${dones.join(', ')}`);
  await eventually(async () => assert.equal(await notice.getAttribute('data-reason'), 'limit'));
  await eventually(async () => assert.match((await notice.textContent()) ?? '', /Stopped at the 8-token answer limit/));
  const answerId = await assistant().getAttribute('data-message-id');
  const before = (await assistant().getByTestId('message-content').textContent()) ?? '';
  assert.ok(before.length > 0);
  await snap('limit-notice');

  await page.getByTestId('continue-answer').click();
  await eventually(async () => {
    const text = (await assistant().getByTestId('message-content').textContent()) ?? '';
    assert.ok(text.startsWith(before) && text.length > before.length, `continued: ${JSON.stringify(text)}`);
  });
  await page.getByTestId('stop-notice').waitFor();
  await eventually(async () => assert.equal(await assistant().getAttribute('data-message-id'), answerId, 'the same answer'));
  await eventually(async () => assert.equal(await page.getByTestId('message').and(page.locator('[data-role="assistant"]')).count(), 1, 'no second answer'));
  await snap('continued');
  assert.deepEqual(errors, []);
});

test('no console errors or uncaught exceptions on any page during this file', () => {
  assertNoConsoleErrors(browser);
});
