// End to end in real Chromium against the headless host: create a conversation, send, watch the
// answer stream, stop it, reload the page and find the history intact; rename and delete.
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

before(async () => {
  app = await startTestApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
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

const assistant = () => page.getByTestId('message').and(page.locator('[data-role="assistant"]')).last();

test('send a message, watch the answer stream, stop it, reload and find the history', async () => {
  await page.getByTestId('new-conversation').click();
  await page.getByTestId('model-select').selectOption(app.modelPath);
  await page.getByTestId('composer-input').fill('Tell me a very long story about the sea.');
  await page.getByTestId('send').click();

  // Streaming: the answer is marked as streaming and grows while we watch.
  await assistant().and(page.locator('[data-status="streaming"]')).waitFor();
  await page.waitForFunction(() => {
    const all = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
    return (all[all.length - 1]?.textContent ?? '').length > 20;
  });
  const early = (await assistant().textContent()) ?? '';
  await page.waitForFunction((n) => {
    const all = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
    return (all[all.length - 1]?.textContent ?? '').length > n;
  }, early.length + 20);
  await snap('streaming');

  await page.getByTestId('stop').click();
  await assistant().and(page.locator('[data-status="stopped"]')).waitFor();
  const stoppedText = await assistant().locator('[data-testid="message-content"]').textContent();
  assert.ok((stoppedText ?? '').length > 20);
  await snap('stopped');

  await page.reload();
  await page.getByTestId('conversation-item').first().click();
  const userText = await page.getByTestId('message').and(page.locator('[data-role="user"]')).first().textContent();
  assert.match(userText ?? '', /Tell me a very long story about the sea\./);
  await assistant().and(page.locator('[data-status="stopped"]')).waitFor();
  await eventually(async () => assert.equal(await assistant().locator('[data-testid="message-content"]').textContent(), stoppedText, 'the stored answer is the one we saw'));
  await page.getByTestId('engine-backend').filter({ hasText: /cpu/i }).waitFor();
  await snap('after-reload');
});

test('rename and delete a conversation', async () => {
  const items = page.getByTestId('conversation-item');
  const before = await items.count();
  await page.getByTestId('new-conversation').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="conversation-item"]').length === n + 1, before);
  const first = items.first();
  await first.hover();
  await first.getByTestId('rename-conversation').click();
  const input = page.getByTestId('rename-input');
  await input.fill('Renamed in the test');
  await input.press('Enter');
  await items.filter({ hasText: 'Renamed in the test' }).waitFor();
  await items.filter({ hasText: 'Renamed in the test' }).hover();
  await items.filter({ hasText: 'Renamed in the test' }).getByTestId('delete-conversation').click();
  await page.getByTestId('confirm-delete').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="conversation-item"]').length === n, before);
  await page.reload();
  await page.getByTestId('conversation-item').first().waitFor();
  await eventually(async () => assert.equal(await page.getByTestId('conversation-item').filter({ hasText: 'Renamed in the test' }).count(), 0));
});

test('no console errors or uncaught exceptions on any page during this file', () => {
  assertNoConsoleErrors(browser);
});
