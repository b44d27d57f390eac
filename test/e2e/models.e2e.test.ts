// The Models page in real Chromium against the real host: the machine and a recommendation, the
// catalogue (with exact sizes from a listing served on loopback), importing a dropped GGUF (uploaded
// to the host), a download with progress, pause and resume, the download indicator on the chat page,
// per-model defaults with the fit plan (YaRN above 32K), labels, and delete (refused while loaded).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { assertNoConsoleErrors, launchChromium } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startModelHost, type ModelHost } from '../helpers/model-host.js';
import { eventually } from '../helpers/eventually.js';

const SHOTS = process.env.QWEN2_DESK_SCREENSHOTS ?? '/tmp/models-ui';
let app: TestApp;
let browser: Browser;
let page: Page;
let host: ModelHost;
let base: string;
let tiny: Buffer;
const pageErrors: string[] = [];

before(async () => {
  tiny = fs.readFileSync(await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0' }));
  host = await startModelHost(tiny);
  base = host.base;
  app = await startTestApp({ env: { QWEN2_DESK_HF_BASE: base } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(app.host.url);
  fs.mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await app?.stop();
  await host?.close();
  delete process.env.QWEN2_DESK_HF_BASE;
});

const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });
const libraryModel = (name: string) => page.locator(`[data-testid="library-model"][data-name="${name}"]`);
const downloadRow = (name: string) => page.locator(`[data-testid="download-row"][data-file-name="${name}"]`).first();
const received = async (name: string) => Number((await downloadRow(name).getByTestId('download-progress').getAttribute('value')) ?? 0);

test('the Models page: this computer, a recommendation first, then the catalogue', async () => {
  await page.getByTestId('nav-models').click();
  await page.getByTestId('models-page').waitFor();
  const card = page.getByTestId('recommended-card');
  await card.getByTestId('machine-summary').waitFor();
  await eventually(async () => assert.match((await card.getByTestId('machine-ram').textContent()) ?? '', /Memory .*GiB.*free/));
  await eventually(async () => assert.match((await card.getByTestId('machine-backend').textContent()) ?? '', /Runs on/));
  // Even the smallest machine that runs these tests fits Qwen2-0.5B: there is a pick, with a verdict.
  const pick = card.getByTestId('recommended-pick');
  await pick.waitFor();
  await eventually(async () => assert.match((await pick.getByTestId('fit-badge').getAttribute('data-verdict')) ?? '', /^(gpu|cpu|split)$/));

  const cards = page.getByTestId('catalogue-card');
  await cards.nth(4).waitFor();
  await eventually(async () => assert.equal(await cards.count(), 5));
  const first = await page.locator('[data-testid="recommended-card"], [data-testid="catalogue-card"]').first().getAttribute('data-testid');
  assert.equal(first, 'recommended-card', 'the recommendation comes first');
  await shot('models-top');

  // 0.5B: its listing was read, so the sizes are exact and the file list is the listing's.
  const small = page.locator('[data-testid="catalogue-card"][data-model-id="qwen2-0.5b-instruct"]');
  await small.getByTestId('catalogue-toggle').click();
  await eventually(async () => assert.equal(await small.getByTestId('catalogue-file').count(), 2));
  await eventually(async () => assert.equal(await small.locator('[data-quant="q8_0"] [data-testid="file-size"]').getAttribute('data-exact'), 'true'));
  // 7B has no listing here: estimated sizes, nine quantisations.
  const seven = page.locator('[data-testid="catalogue-card"][data-model-id="qwen2-7b-instruct"]');
  await seven.getByTestId('catalogue-toggle').click();
  await eventually(async () => assert.equal(await seven.getByTestId('catalogue-file').count(), 9));
  await eventually(async () => assert.equal(await seven.locator('[data-quant="q4_k_m"] [data-testid="file-size"]').getAttribute('data-exact'), 'false'));
  await eventually(async () => assert.match((await seven.locator('[data-quant="q4_k_m"] [data-testid="file-size"]').textContent()) ?? '', /≈ 4\.\d GiB/));
  // The plan's explanation on demand.
  await seven.locator('[data-quant="q4_k_m"] [data-testid="fit-badge"]').click();
  await eventually(async () => assert.match((await seven.getByTestId('fit-explanation').textContent()) ?? '', /weights/));
  await shot('catalogue-7b');
  await seven.locator('[data-quant="q4_k_m"] [data-testid="fit-badge"]').click();
});

test('drop a GGUF on the page: it is uploaded and appears with its inspection', async () => {
  const name = 'dropped-tiny-q8_0.gguf';
  const dataTransfer = await page.evaluateHandle(
    ({ b64, name }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: 'application/octet-stream' }));
      return dt;
    },
    { b64: tiny.toString('base64'), name },
  );
  const target = page.getByTestId('recommended-card');
  await target.dispatchEvent('dragenter', { dataTransfer });
  await page.getByTestId('drop-overlay').waitFor();
  await shot('drop-overlay');
  await target.dispatchEvent('drop', { dataTransfer });
  await page.getByTestId('upload-row').first().waitFor();
  const model = libraryModel(name);
  await model.waitFor({ timeout: 30_000 });
  await eventually(async () => assert.match((await model.getByTestId('model-glance').textContent()) ?? '', /imported/));
  await model.getByTestId('model-details-toggle').click();
  const facts = model.getByTestId('model-inspection');
  await eventually(async () => assert.match((await facts.getByTestId('fact-architecture').textContent()) ?? '', /qwen2/));
  await eventually(async () => assert.match((await facts.getByTestId('fact-layers').textContent()) ?? '', /2$/));
  await eventually(async () => assert.match((await facts.getByTestId('fact-heads').textContent()) ?? '', /4 \/ 2/));
  await eventually(async () => assert.match((await facts.getByTestId('fact-head-size').textContent()) ?? '', /16$/));
  await eventually(async () => assert.match((await facts.getByTestId('fact-quantisation').textContent()) ?? '', /Q8_0/i));
  await model.getByTestId('chat-template').locator('summary').click();
  await eventually(async () => assert.match((await model.getByTestId('chat-template').textContent()) ?? '', /im_start/));
  await model.getByTestId('context-plan').waitFor();

  // Labels: add one, it is saved (and survives a reload), remove it.
  await model.getByTestId('label-new').click();
  await model.getByTestId('label-input').fill('tests');
  await model.getByTestId('label-add').click();
  await model.getByTestId('label').filter({ hasText: 'tests' }).waitFor();
  await model.scrollIntoViewIfNeeded();
  await shot('imported-model');
  await page.reload();
  await page.getByTestId('nav-models').click();
  await libraryModel(name).getByTestId('label').filter({ hasText: 'tests' }).waitFor();
  await libraryModel(name).getByTestId('label-remove').click();
  await page.waitForFunction((n) => !document.querySelector(`[data-name="${n}"] [data-testid="label"]`), name);
});

test('a download with progress, pause and resume; the indicator shows on the chat page', async () => {
  await page.getByTestId('download-url').fill(`${base}/file.gguf`);
  await page.getByTestId('download-url-start').click();
  const row = downloadRow('file.gguf');
  await row.and(page.locator('[data-state="downloading"]')).waitFor();
  await page.waitForFunction(() => Number(document.querySelector('[data-file-name="file.gguf"] [data-testid="download-progress"]')?.getAttribute('value')) > 5);
  await eventually(async () => assert.match((await row.getByTestId('download-details').textContent()) ?? '', /B of [\d.]+ MiB · [\d.]+ [KM]iB\/s · \d+ (s|min) left/));
  await row.scrollIntoViewIfNeeded();
  await shot('downloading');

  await page.getByTestId('nav-chat').click();
  const indicator = page.getByTestId('download-indicator');
  await eventually(async () => assert.match((await indicator.textContent()) ?? '', /1 download · \d+%/));
  await shot('chat-with-indicator');
  await indicator.click();
  await row.waitFor();

  await row.getByTestId('download-pause').click();
  await row.and(page.locator('[data-state="paused"]')).waitFor();
  const atPause = await received('file.gguf');
  await new Promise((r) => setTimeout(r, 700));
  assert.equal(await received('file.gguf'), atPause, 'nothing arrives while paused');
  await eventually(async () => assert.match((await indicator.textContent()) ?? '', /paused/));
  await row.getByTestId('download-resume').click();
  await row.and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
  assert.ok(host.ranges.some((r) => /^bytes=[1-9]\d*-$/.test(r)), 'resumed with a Range request');
  await libraryModel('file.gguf').waitFor();
  await indicator.waitFor({ state: 'detached' });
});

test('the catalogue Download button fetches the file into the library', async () => {
  const small = page.locator('[data-testid="catalogue-card"][data-model-id="qwen2-0.5b-instruct"]');
  await small.locator('[data-quant="q4_k_m"] [data-testid="catalogue-download"]').click();
  await small.locator('[data-quant="q4_k_m"] [data-testid="catalogue-installed"]').waitFor({ timeout: 30_000 });
  await libraryModel('qwen2-0_5b-instruct-q4_k_m.gguf').waitFor();
});

test('defaults: a context above 32K plans YaRN; saved defaults stay', async () => {
  // A Qwen2-7B shape with one layer: the family's extended context (128K) applies.
  const seven = await ensureSyntheticModel({ preset: 'qwen2-7b', layers: 1, type: 'q8_0' });
  await page.getByTestId('add-model').click();
  await page.getByTestId('add-model-path').fill(seven);
  await page.getByTestId('add-model-submit').click();
  const model = page.locator('[data-testid="library-model"]').filter({ hasText: 'qwen2-7b' });
  await model.waitFor();
  await model.getByTestId('model-details-toggle').click();
  await model.getByTestId('default-context').selectOption('131072');
  await model.getByTestId('yarn-note').filter({ hasText: 'YaRN ×4 (128K)' }).waitFor({ timeout: 30_000 });
  await model.getByTestId('default-kv').selectOption('q8_0');
  await eventually(async () => assert.equal(await model.getByTestId('default-flash').isChecked(), true, 'a quantized KV cache turns flash attention on'));
  await model.getByTestId('default-temperature').fill('0.5');
  await model.getByTestId('default-system-prompt').fill('Answer briefly.');
  const verdict = await model.getByTestId('context-plan').getAttribute('data-verdict');
  if (verdict === 'does-not-fit') {
    await eventually(async () => assert.match((await model.getByTestId('context-refused').textContent()) ?? '', /Refused: the largest context that fits is/));
    await model.getByTestId('context-use-max').click();
  }
  await model.getByTestId('defaults-save').click();
  await model.getByTestId('defaults-saved').waitFor();
  await model.getByTestId('model-defaults').scrollIntoViewIfNeeded();
  await shot('defaults');
  const saved = (await app.core.handle('models.list', {})) as { ok: true; result: Array<{ name: string; defaults: Record<string, unknown> }> };
  const defaults = saved.result.find((m) => m.name.includes('qwen2-7b'))!.defaults;
  assert.equal(defaults.kvType, 'q8_0');
  assert.equal(defaults.systemPrompt, 'Answer briefly.');
  assert.deepEqual(defaults.sampling, { temperature: 0.5 });
});

test('delete asks first; a loaded model is refused with the reason', async () => {
  const dropped = libraryModel('dropped-tiny-q8_0.gguf');
  await dropped.getByTestId('model-delete').click();
  await dropped.getByTestId('model-delete-cancel').click();
  await dropped.getByTestId('model-delete').click();
  await dropped.getByTestId('model-delete-confirm').click();
  await dropped.waitFor({ state: 'detached' });

  // Load the test model by chatting with it, then try to delete it.
  const name = 'qwen2-tiny-q8_0.gguf';
  await libraryModel(name).getByTestId('model-use').click();
  await page.getByTestId('composer-input').fill('Hello');
  await page.getByTestId('send').click();
  // Text arriving means the engine has the model loaded.
  await page.locator('[data-testid="message"][data-role="assistant"][data-status="streaming"] [data-testid="message-content"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('stop').click();
  await page.locator('[data-testid="message"][data-role="assistant"]:not([data-status="streaming"])').waitFor();
  await page.getByTestId('nav-models').click();
  await libraryModel(name).locator('.loaded-tag').waitFor();
  await libraryModel(name).getByTestId('model-delete').click();
  await libraryModel(name).getByTestId('model-delete-confirm').click();
  await eventually(async () => assert.match((await libraryModel(name).getByTestId('delete-error').textContent()) ?? '', /loaded/));
  await libraryModel(name).scrollIntoViewIfNeeded();
  await shot('delete-refused');
  assert.deepEqual(pageErrors, []);
});

test('no console errors or uncaught exceptions on any page during this file', () => {
  assertNoConsoleErrors(browser);
});
