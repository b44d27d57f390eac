// Documents end to end in real Chromium against the headless host (the browser path: files are
// uploaded to PUT /api/documents). Drop a text file and a PDF on the chat, see their exact token
// counts and share of the context, ask, see the mode banner, then open source [1] of an answer and
// find the cited passage highlighted in the side panel. The tiny synthetic model writes random
// text, so the answer that cites [1] is written into the database (as the app stores answers).
// Test ids: document-drop-zone, document-item (data-name), document-tokens, document-remove,
// mode-banner (data-mode), citation-link (data-n), citation-panel, citation-source, citation-highlight.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { assertNoConsoleErrors, launchChromium } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { longPdf } from '../helpers/document-fixtures.js';
import { filler, NEEDLE, NEEDLE_QUESTION } from '../helpers/documents.js';
import { eventually } from '../helpers/eventually.js';

let app: TestApp;
let browser: Browser;
let page: Page;
const errors: string[] = [];
const shots = process.env.QWEN2_DESK_SCREENSHOTS;

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
  if (!shots) return;
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/${name}.png` });
}

/** Drops files on the chat area the way a browser does: dragenter, dragover, drop with a DataTransfer. */
async function dropFiles(files: Array<{ name: string; type: string; base64: string }>): Promise<void> {
  await page.getByTestId('document-drop-zone').waitFor({ timeout: 15_000 }).catch(() => {
    throw new Error('No [data-testid="document-drop-zone"] on the page: the document components (renderer/src/components/documents) are not mounted.');
  });
  await page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const f of list) transfer.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    const zone = document.querySelector('[data-testid="document-drop-zone"]')!;
    for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
  }, files);
}

const assistant = () => page.getByTestId('message').and(page.locator('[data-role="assistant"]')).last();
const item = (name: string) => page.getByTestId('document-item').and(page.locator(`[data-name="${name}"]`));
const TEXT = [NEEDLE, ...filler(120, 3)].join('\n\n');

test('drop a text file and a PDF, see their token counts, ask, see the mode banner', async () => {
  await page.getByTestId('new-conversation').click();
  await page.getByTestId('model-select').selectOption(app.modelPath);

  await dropFiles([{ name: 'lighthouse.txt', type: 'text/plain', base64: Buffer.from(TEXT).toString('base64') }]);
  await item('lighthouse.txt').waitFor();
  const pdfFile = path.join(app.dataDir, 'report.pdf');
  await longPdf(pdfFile, 3);
  await dropFiles([{ name: 'report.pdf', type: 'application/pdf', base64: fs.readFileSync(pdfFile).toString('base64') }]);
  await item('report.pdf').waitFor();

  // Exact counts with the model's tokenizer, and the share of the model's 4,096-token context.
  for (const name of ['lighthouse.txt', 'report.pdf']) {
    await page.waitForFunction((n) => {
      const el = document.querySelector(`[data-testid="document-item"][data-name="${n}"] [data-testid="document-tokens"]`);
      return /^[\d,]+ tokens · [\d.]+% of 4,096/.test(el?.textContent ?? '');
    }, name);
  }
  const tokensText = (await item('lighthouse.txt').getByTestId('document-tokens').textContent()) ?? '';
  const tokens = Number(/^([\d,]+) tokens/.exec(tokensText)![1]!.replaceAll(',', ''));
  assert.ok(tokens > 1000 && tokens < 2000, `the text file's tokens: ${tokensText}`);
  await eventually(async () => assert.match((await item('report.pdf').getByTestId('document-tokens').textContent()) ?? '', /3 pages/));
  await snap('documents-attached');

  await page.getByTestId('composer-input').fill(NEEDLE_QUESTION);
  await page.getByTestId('send').click();
  await assistant().and(page.locator('[data-status="done"], [data-status="stopped"]')).waitFor({ timeout: 120_000 });
  const banner = page.getByTestId('mode-banner');
  await banner.waitFor();
  await eventually(async () => assert.equal(await banner.getAttribute('data-mode'), 'full'));
  await eventually(async () => assert.match((await banner.textContent()) ?? '', /Full documents?: the whole text/));
  await snap('documents-mode-banner');
});

test('source [1] of an answer opens the side panel with the cited passage highlighted', async () => {
  const answerId = await assistant().getAttribute('data-message-id');
  assert.ok(answerId);
  const db = new Database(path.join(app.dataDir, 'qwen2-desk.sqlite'));
  try {
    db.prepare('UPDATE messages SET content = ? WHERE id = ?').run('The secret code is 7-4-1-9 [1].', answerId);
  } finally {
    db.close();
  }
  await page.reload();
  await page.getByTestId('conversation-item').first().click();
  const link = assistant().getByTestId('citation-link').and(page.locator('[data-n="1"]'));
  await link.waitFor();
  await link.click();
  const panel = page.getByTestId('citation-panel');
  await panel.waitFor();
  await eventually(async () => assert.match((await panel.getByTestId('citation-source').textContent()) ?? '', /lighthouse\.txt/));
  const highlighted = (await panel.getByTestId('citation-highlight').textContent()) ?? '';
  assert.ok(highlighted.startsWith(NEEDLE), `the highlighted passage: ${highlighted.slice(0, 80)}`);
  await snap('documents-citation-panel');

  // Removing a document updates the bar; the other stays.
  await item('report.pdf').getByTestId('document-remove').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="document-item"][data-name="report.pdf"]'));
  await item('lighthouse.txt').waitFor();
  assert.deepEqual(errors, [], 'no errors in the page');
});

test('a document whose tokens cannot be counted with the chosen model says why, not "counting" for ever', async () => {
  // A second model file, chosen in the picker, then damaged on disk before a document is added. It is
  // used where it is (outside the watched models folder, where the damage would be noticed at once).
  const victim = path.join(app.dataDir, 'qwen2-victim.gguf');
  fs.copyFileSync(app.modelPath, victim);
  assert.ok((await app.core.handle('models.add', { path: victim })).ok);
  await page.reload();
  await page.getByTestId('new-conversation').click();
  await page.getByTestId('model-select').selectOption(victim);
  const fd = fs.openSync(victim, 'r+');
  fs.writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, 0);
  fs.closeSync(fd);

  await dropFiles([{ name: 'uncountable.txt', type: 'text/plain', base64: Buffer.from(filler(20, 9).join('\n\n')).toString('base64') }]);
  const chip = item('uncountable.txt').and(page.locator('[data-count-failed="true"]'));
  await chip.waitFor({ timeout: 60_000 });
  await eventually(async () => assert.match((await chip.getByTestId('document-tokens').textContent()) ?? '', /^tokens not counted: Cannot count the tokens of "uncountable\.txt" with qwen2-victim\.gguf/));
  await snap('documents-count-failed');
  fs.rmSync(victim);
  assert.deepEqual(errors, []);
});

test('no console errors or uncaught exceptions on any page during this file', () => {
  assertNoConsoleErrors(browser);
});
