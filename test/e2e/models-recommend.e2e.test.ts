// The Models page's recommendation and failed downloads in real Chromium against the real host:
// exactly one recommended file, with its estimated speed and a one-sentence reason, the same after a
// reload; the memory speed shown as an estimate. A download from an unresolvable host and one from
// a loopback server that fails say why ("Failed: host not found", "Failed: server error"), never
// "Paused", and Retry completes the second once the server is fixed. Screenshots (English light,
// Chinese dark) go to $QWEN2_DESK_SCREENSHOTS (default /tmp/shots-models).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { assertNoConsoleErrors, launchChromium } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { eventually } from '../helpers/eventually.js';

const SHOTS = process.env.QWEN2_DESK_SCREENSHOTS ?? '/tmp/shots-models';
let app: TestApp;
let browser: Browser;
let server: FaultServer;
let tiny: Buffer;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

before(async () => {
  tiny = fs.readFileSync(await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0' }));
  server = await startFaultServer();
  app = await startTestApp({ env: { QWEN2_DESK_HF_BASE: server.base } });
  browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await app?.stop();
  await server?.close();
  delete process.env.QWEN2_DESK_HF_BASE;
});

async function openModels(locale: 'en-US' | 'zh-CN', colorScheme: 'light' | 'dark'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale, colorScheme });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(app.host.url);
  await page.getByTestId('nav-models').click();
  await page.getByTestId('recommended-pick').waitFor();
  return page;
}

/** What the page recommends: the file, its speed and reason, and how many files carry the badge. */
async function recommendation(page: Page) {
  const pick = page.getByTestId('recommended-pick');
  await page.getByTestId('catalogue-card').nth(4).waitFor();
  return {
    file: await pick.getAttribute('data-file-name'),
    speed: (await pick.getByTestId('recommended-speed').textContent())?.trim() ?? '',
    why: (await pick.getByTestId('recommended-why').textContent())?.trim() ?? '',
    badges: await page.locator('[data-testid="catalogue-file"] .recommended-tag').count(),
  };
}

test('exactly one recommended file, with its estimated speed and a one-sentence reason, the same after a reload', async () => {
  const page = await openModels('en-US', 'light');
  const first = await recommendation(page);
  assert.match(first.file ?? '', /^qwen2-.*-instruct-(q8_0|q6_k|q5_k_m|q4_k_m)(-00001-of-\d{5})?\.gguf$/);
  assert.match(first.speed, /^about \d+(\.\d)? tokens\/s on this computer$/);
  assert.match(first.why, /^Qwen2-[\d.A-Z-]+-Instruct (Q8_0|Q6_K|Q5_K_M|Q4_K_M): fits in [^.]+ with room for a \d+K context and should answer at about \d+(\.\d)? tokens\/s here\.$/);
  assert.equal(first.badges, 1, 'one "Recommended" badge on the whole page');
  // Every file of every model shown: still one badge.
  const toggles = page.getByTestId('catalogue-toggle');
  for (let i = 0; i < (await toggles.count()); i++) await toggles.nth(i).click();
  await eventually(async () => assert.ok((await page.getByTestId('catalogue-file').count()) >= 40));
  await eventually(async () => assert.equal(await page.locator('[data-testid="catalogue-file"] .recommended-tag').count(), 1));
  // The memory speed behind the estimate, and how it was obtained.
  const speed = (await page.getByTestId('machine-speed').textContent()) ?? '';
  assert.match(speed, /Memory speed about [\d.]+ GiB\/s \(estimate: best of a few timed copies of 128 MiB in memory, measured once on this computer\)/);
  await page.screenshot({ path: `${SHOTS}/models-en-light.png` });
  await page.getByTestId('recommended-card').screenshot({ path: `${SHOTS}/recommended-en-light.png` });

  for (let i = 0; i < 2; i++) {
    await page.reload();
    await page.getByTestId('nav-models').click();
    await page.getByTestId('recommended-pick').waitFor();
    const again = await recommendation(page);
    assert.deepEqual(again, first, 'the same recommendation after a reload');
  }
  assert.deepEqual(pageErrors, []);
});

test('failed downloads say why with a Retry, never "Paused"; Retry completes once the server is fixed', async () => {
  const page = await openModels('en-US', 'light');
  const row = (name: string) => page.locator(`[data-testid="download-row"][data-file-name="${name}"]`).first();
  const start = async (uri: string) => {
    await page.getByTestId('download-url').fill(uri);
    await page.getByTestId('download-url-start').click();
  };
  const sawPaused: string[] = [];
  await page.exposeFunction('sawPaused', (text: string) => sawPaused.push(text));
  // Any moment a download row reads "Paused" is recorded, not only the ones the test looks at.
  await page.evaluate(() => {
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="download-state"]')) {
        if (/Paused/.test(el.textContent ?? '')) (window as unknown as { sawPaused(t: string): void }).sawPaused(el.textContent ?? '');
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  await start('http://nonexistent.invalid/files/nowhere.gguf');
  await row('nowhere.gguf').and(page.locator('[data-state="failed"]')).waitFor();
  await eventually(async () => assert.equal((await row('nowhere.gguf').getByTestId('download-state').textContent())?.trim(), 'Failed: host not found'));
  await eventually(async () => assert.match((await row('nowhere.gguf').getByTestId('download-error').textContent()) ?? '', /^host not found: nonexistent\.invalid/));
  await row('nowhere.gguf').getByTestId('download-retry').waitFor();

  server.set('flaky.gguf', { body: tiny, status: 503 });
  await start(server.url('flaky.gguf'));
  await row('flaky.gguf').and(page.locator('[data-state="failed"]')).waitFor();
  await eventually(async () => assert.equal((await row('flaky.gguf').getByTestId('download-state').textContent())?.trim(), 'Failed: server error'));
  await page.locator('#downloads').screenshot({ path: `${SHOTS}/downloads-failed-en-light.png` });
  server.update('flaky.gguf', { status: undefined });
  await row('flaky.gguf').getByTestId('download-retry').click();
  await row('flaky.gguf').and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
  assert.deepEqual(sawPaused, [], 'no download ever read "Paused"');
  assert.deepEqual(pageErrors, []);
});

test('the page in Chinese, dark: the same recommendation, reason and failure in Chinese', async () => {
  const page = await openModels('zh-CN', 'dark');
  await eventually(async () => assert.equal(await page.locator('#recommended-title').textContent(), '推荐给这台电脑'));
  const r = await recommendation(page);
  assert.match(r.speed, /^在这台电脑上约每秒 \d+(\.\d)? 个词元$/);
  assert.match(r.why, /^Qwen2-.* (Q8_0|Q6_K|Q5_K_M|Q4_K_M)：.*约每秒生成 \d+(\.\d)? 个词元。$/);
  assert.equal(r.badges, 1);
  const failed = page.locator('[data-testid="download-row"][data-file-name="nowhere.gguf"]').first();
  await eventually(async () => assert.equal((await failed.getByTestId('download-state').textContent())?.trim(), '失败：找不到主机'));
  await page.screenshot({ path: `${SHOTS}/models-zh-dark.png` });
  await page.getByTestId('recommended-card').screenshot({ path: `${SHOTS}/recommended-zh-dark.png` });
  await page.locator('#downloads').screenshot({ path: `${SHOTS}/downloads-zh-dark.png` });
});

test('no console errors or uncaught exceptions on any page during this file', () => {
  assertNoConsoleErrors(browser);
});
