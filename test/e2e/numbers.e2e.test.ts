// Numbers that agree, end to end in real Chromium against the headless host: a model file copied
// into the models folder appears on the Models page without a reload; before the first answer the
// context meter shows the attached document's exact share; the document chips and the meter follow
// a conversation's own context length at once; 'Sources (n)' under an answer opens the citation
// panel; search finds a conversation by a word only in its title (English and Chinese).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertNoConsoleErrors, launchChromium } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { filler, NEEDLE, NEEDLE_QUESTION } from '../helpers/documents.js';
import { eventually } from '../helpers/eventually.js';

let app: TestApp;
let browser: Browser;
let page: Page;
const errors: string[] = [];
const shots = process.env.QWEN2_DESK_SCREENSHOTS ?? '/tmp/shots-numbers';

before(async () => {
  app = await startTestApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.host.url);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

async function snap(name: string) {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/${name}.png` });
}

async function dropText(name: string, text: string): Promise<void> {
  await page.getByTestId('document-drop-zone').waitFor({ timeout: 15_000 });
  await page.evaluate(
    ({ name, text }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'text/plain' }));
      const zone = document.querySelector('[data-testid="document-drop-zone"]')!;
      for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
    },
    { name, text },
  );
}

const text = async (testId: string, within = page.locator('body')) => (await within.getByTestId(testId).first().textContent()) ?? '';
const assistant = () => page.getByTestId('message').and(page.locator('[data-role="assistant"]')).last();
const chip = () => page.getByTestId('document-item').and(page.locator('[data-name="lighthouse.txt"]'));

test('a model file copied into the models folder appears on the Models page without a reload; Rescan', async () => {
  await page.getByTestId('nav-models').click();
  await page.getByTestId('models-page').waitFor();
  const card = (name: string) => page.getByTestId('library-model').and(page.locator(`[data-name="${name}"]`));
  await card(path.basename(app.modelPath)).waitFor();
  fs.copyFileSync(app.modelPath, path.join(app.core.info.modelsDir, 'copied-while-open.gguf'));
  await card('copied-while-open.gguf').waitFor({ timeout: 20_000 });
  await eventually(async () => assert.match(await text('model-glance', card('copied-while-open.gguf')), /MiB/));
  await snap('models-copied-file');
  fs.rmSync(path.join(app.core.info.modelsDir, 'copied-while-open.gguf'));
  await card('copied-while-open.gguf').waitFor({ state: 'detached', timeout: 20_000 });
  await page.getByTestId('library-rescan').click();
  await eventually(async () => assert.equal(await page.getByTestId('library-rescan').isEnabled(), true));
  await card(path.basename(app.modelPath)).waitFor();
  await page.getByTestId('nav-chat').click();
});

test('before the first answer the meter shows the document share; chips and meter follow the context length', async () => {
  await page.getByTestId('new-conversation').click();
  await page.getByTestId('model-select').selectOption(app.modelPath);
  await dropText('lighthouse.txt', [NEEDLE, ...filler(60, 3)].join('\n\n'));
  const meter = page.getByTestId('context-meter');
  await eventually(async () => assert.match(await text('document-tokens', chip()), /^[\d,]+ tokens · [\d.]+% of 4,096$/));
  const tokens = Number(/^([\d,]+) tokens/.exec(await text('document-tokens', chip()))![1]!.replaceAll(',', ''));
  await eventually(async () => {
    assert.equal(await meter.getAttribute('data-source'), 'documents');
    assert.equal(await meter.getAttribute('data-used'), String(tokens));
    assert.equal(await meter.getAttribute('data-size'), '4096');
  });
  await eventually(async () => assert.equal(await meter.textContent(), `Documents ${tokens.toLocaleString('en')} / 4,096 tokens`));
  await snap('meter-documents-share');

  await page.getByTestId('conversation-settings').click();
  await page.getByTestId('context-size-select').selectOption('8192');
  await page.getByTestId('settings-save').click();
  await page.getByTestId('settings-panel').waitFor({ state: 'detached' });
  await eventually(async () => assert.match(await text('document-tokens', chip()), /% of 8,192$/));
  await eventually(async () => assert.equal(await meter.getAttribute('data-size'), '8192'));
  await snap('chips-after-context-change');
});

test('the answer runs at the conversation context; "Sources (n)" under it opens the citation panel', async () => {
  await page.getByTestId('composer-input').fill(NEEDLE_QUESTION);
  await page.getByTestId('send').click();
  await assistant().and(page.locator('[data-status="done"], [data-status="stopped"]')).waitFor({ timeout: 120_000 });
  const meter = page.getByTestId('context-meter');
  await eventually(async () => {
    assert.equal(await meter.getAttribute('data-source'), null, 'the answer measured it');
    assert.equal(await meter.getAttribute('data-size'), '8192');
  });
  const sources = assistant().getByTestId('answer-sources');
  await sources.waitFor();
  await eventually(async () => assert.match(await text('answer-sources-toggle', assistant()), /^Sources? \(\d+\)$/));
  await assistant().getByTestId('answer-sources-toggle').click();
  const first = assistant().getByTestId('answer-source').first();
  await first.waitFor();
  await eventually(async () => assert.match((await first.textContent()) ?? '', /^\[1\] lighthouse\.txt/));
  await first.click();
  const panel = page.getByTestId('citation-panel');
  await panel.waitFor();
  await eventually(async () => assert.match(await text('citation-source', panel), /lighthouse\.txt/));
  // The mode banner and the meter name the same context, written the same way.
  await eventually(async () => assert.match(await text('mode-text'), /./));
  await snap('answer-sources-panel');
});

test('search finds a conversation by a word only in its title (English and Chinese) and opens it', async () => {
  const created = await app.core.handle('conversations.create', { title: 'Zebra crossing 斑马线 plans' });
  assert.ok(created.ok);
  const id = (created.result as { id: string }).id;
  for (const query of ['zebra', '斑马线']) {
    await page.getByTestId('search-input').fill(query);
    const hit = page.getByTestId('search-result').and(page.locator(`[data-kind="title"][data-conversation-id="${id}"]`));
    await hit.waitFor();
    await eventually(async () => assert.match(await text('search-summary'), /1 match found/));
    if (query === '斑马线') {
      await snap('search-title');
      await hit.click();
    }
  }
  await eventually(async () => assert.equal(await text('conversation-title'), 'Zebra crossing 斑马线 plans'));
  // With the search cleared the list is back, with the conversation made elsewhere in it.
  await page.getByTestId('search-clear').click();
  await page.getByTestId('conversation-item').and(page.locator(`[data-conversation-id="${id}"]`)).waitFor();
  assert.deepEqual(errors, [], 'no errors in the page');
});

test('no console errors or uncaught exceptions on any page during this file', () => {
  assertNoConsoleErrors(browser);
});
