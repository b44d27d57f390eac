// The window's layout in real Chromium against the real host and engine (tiny synthetic model): the
// app's frame never scrolls (wheel over the sidebar, the Models page's jump links, the first-run
// button), nothing is cut off at 800×600, the sidebar collapses (button, Ctrl+B, narrow windows),
// sending brings the question into view and "jump to latest" appears for text out of sight, the
// paperclip adds a document, the conversation settings ask before discarding and close after Save,
// and no console error (CSP included) over the whole run. Screenshots go to QWEN2_DESK_SCREENSHOTS
// (default /tmp/shots-layout).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Conversation, Method, Params, Results } from '../../app/contract.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { assertNoConsoleErrors, launchChromium } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { conversationFile, cutOffSideways, rootPosition, until } from '../helpers/layout.js';
import { eventually } from '../helpers/eventually.js';

const SHOTS = process.env.QWEN2_DESK_SCREENSHOTS ?? '/tmp/shots-layout';
let app: TestApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

async function call<M extends Method>(method: M, params: Params<M>): Promise<Results[M]> {
  const r = await app.core.handle(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.result as Results[M];
}

before(async () => {
  // The catalogue's listings are not reachable: estimated sizes, whose "(estimated)" is hidden text.
  app = await startTestApp({ env: { QWEN2_DESK_HF_BASE: 'http://127.0.0.1:9' } });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', colorScheme: 'light' });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.goto(app.host.url);
});
after(async () => {
  await browser?.close();
  await app?.stop();
  delete process.env.QWEN2_DESK_HF_BASE;
});

const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });
const row = (id: string) => page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`);

async function assertRootAtTop(after: string): Promise<void> {
  await eventually(async () => assert.deepEqual(await rootPosition(page), { top: 0, scrollTop: 0, scrollLeft: 0 }, `the app's frame stays put after ${after}`));
}

const settingsOf = async (id: string) => (await call('conversations.list', {})).find((c) => c.id === id)!.settings;

/** Imports a conversation and opens it in the page, with the test model picked. */
async function openSeeded(title: string, contents: string[]): Promise<Conversation> {
  const c = await call('conversations.import', { content: conversationFile(title, contents) });
  await page.getByTestId('nav-chat').click();
  if (await page.getByTestId('sidebar-toggle').getAttribute('aria-expanded') === 'false') await page.getByTestId('sidebar-toggle').click();
  await row(c.id).getByTestId('open-conversation').click();
  await page.locator(`[data-testid="conversation-item"][data-conversation-id="${c.id}"][data-current="true"]`).waitFor();
  await page.getByTestId('message').first().waitFor();
  const picker = page.getByTestId('model-select');
  if ((await picker.inputValue()) !== app.modelPath) await picker.selectOption(app.modelPath);
  return c;
}

const longTalk = (n: number) => Array.from({ length: n }, (_, i) => `Message ${i + 1}. ` + 'Some words to make the message a few lines long. '.repeat(6));

/** Scrolls the message list to its top, the way a user does, and waits until it is there. */
async function scrollMessagesToTop(): Promise<void> {
  const list = page.getByTestId('message-list');
  await until(async () => {
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    assert.equal(await list.evaluate((el) => el.scrollTop), 0);
  });
}

/** Whether the element's box lies inside the message list's visible part. */
const inView = (selector: string) =>
  page.evaluate((s) => {
    const list = document.querySelector('[data-testid="message-list"]')!.getBoundingClientRect();
    const el = document.querySelector(s)?.getBoundingClientRect();
    return !!el && el.bottom > list.top && el.top < list.bottom;
  }, selector);

test('first run: "Get the recommended model" opens the Models page without moving the window', async () => {
  const [model] = await call('models.list', {});
  await call('models.delete', { id: model!.id, deleteFile: true });
  await page.reload();
  await page.getByTestId('first-run').waitFor();
  await shot('first-run-1440-en-light');
  await page.getByTestId('first-run-models').click();
  await page.getByTestId('models-page').waitFor();
  await page.getByTestId('recommended-card').waitFor();
  // The page scrolls the card into view on the next frames (and focuses its Download button once there is one).
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await assertRootAtTop('the first-run button');
  const download = page.getByTestId('recommended-card').getByTestId('catalogue-download');
  if (await download.count()) {
    await until(async () => assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'catalogue-download'));
    await assertRootAtTop('the focus on Download');
  }

  fs.copyFileSync(await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 }), app.modelPath);
  await call('models.add', { path: app.modelPath });
  await page.getByTestId('nav-chat').click();
  await page.locator(`[data-testid="model-select"] option[value="${app.modelPath}"]`).waitFor({ state: 'attached' });
});

test('the Models page: the wheel over the sidebar and the "Your models" link scroll only the page', async () => {
  await page.getByTestId('nav-models').click();
  await page.getByTestId('catalogue-card').first().waitFor();
  const scroller = page.locator('.models-scroll');
  const sidebar = await page.locator('#app-sidebar').boundingBox();
  await page.mouse.move(sidebar!.x + sidebar!.width / 2, sidebar!.y + sidebar!.height - 120);
  await page.mouse.wheel(0, 2000);
  // Wheel events are handled in order: once the page's own scroll has moved, the first one has been handled too.
  const box = await scroller.boundingBox();
  await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
  await page.mouse.wheel(0, 300);
  await until(async () => assert.ok((await scroller.evaluate((el) => el.scrollTop)) > 0));
  await assertRootAtTop('the wheel over the sidebar');

  await page.getByTestId('jump-library').click();
  await until(async () => {
    const settled = await scroller.evaluate((el) => {
      const section = document.getElementById('library')!.getBoundingClientRect().top - el.getBoundingClientRect().top;
      return Math.abs(section - 12) < 2 || el.scrollTop >= el.scrollHeight - el.clientHeight - 1;
    });
    assert.ok(settled, 'the page scrolled to "Your models"');
  });
  await assertRootAtTop('the "Your models" link');
  await page.getByTestId('jump-catalogue').click();
  await until(async () => assert.ok(await scroller.evaluate((el) => Math.abs(document.getElementById('catalogue')!.getBoundingClientRect().top - el.getBoundingClientRect().top - 12) < 2)));
  await assertRootAtTop('the "Catalogue" link');
});

test('the sidebar collapses with its button and Ctrl+B, and by itself in a narrow window', async () => {
  await page.getByTestId('nav-chat').click();
  const toggle = page.getByTestId('sidebar-toggle');
  await eventually(async () => assert.equal(await page.getByTestId('app').getAttribute('data-sidebar'), 'open'));
  await toggle.click();
  await page.locator('[data-testid="app"][data-sidebar="collapsed"]').waitFor();
  await page.locator('#app-sidebar').waitFor({ state: 'hidden' });
  await eventually(async () => assert.equal(await toggle.getAttribute('aria-expanded'), 'false'));
  // The button does not cover the page's title.
  const [t, title] = await Promise.all([toggle.boundingBox(), page.getByTestId('conversation-title').boundingBox()]);
  assert.ok(t!.x + t!.width <= title!.x, 'the toggle is left of the title');
  await shot('sidebar-collapsed-1440-en-light');

  await page.locator('body').click({ position: { x: 900, y: 300 } });
  await page.keyboard.press('Control+b');
  await page.locator('[data-testid="app"][data-sidebar="open"]').waitFor();
  await page.locator('#app-sidebar').waitFor();

  await page.keyboard.press('F1');
  await page.getByTestId('help-panel').locator('[data-shortcut="toggleSidebar"]').filter({ hasText: /sidebar.*Ctrl.*B/ }).waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('help-panel').waitFor({ state: 'detached' });

  await resize(page, 800, 600);
  await page.locator('[data-testid="app"][data-sidebar="collapsed"]').waitFor();
  await resize(page, 1440, 900);
  await page.locator('[data-testid="app"][data-sidebar="open"]').waitFor();

  // A narrow window starts collapsed; opened, the sidebar lies over the page and closes after a choice.
  const narrow = await context.newPage();
  await narrow.setViewportSize({ width: 800, height: 600 });
  await narrow.goto(app.host.url);
  await narrow.locator('[data-testid="app"][data-sidebar="collapsed"]').waitFor();
  await narrow.getByTestId('sidebar-toggle').click();
  await narrow.getByTestId('sidebar-backdrop').click({ position: { x: 700, y: 300 } });
  await narrow.locator('[data-testid="app"][data-sidebar="collapsed"]').waitFor();
  await narrow.getByTestId('sidebar-toggle').click();
  await narrow.getByTestId('nav-models').click();
  await narrow.getByTestId('models-page').waitFor();
  await narrow.locator('[data-testid="app"][data-sidebar="collapsed"]').waitFor();
  await narrow.close();
});

test('sending while scrolled up brings the question into view', async () => {
  await openSeeded('A long talk', longTalk(60));
  await scrollMessagesToTop();
  await page.getByTestId('composer-input').fill('Where did we start?');
  await page.getByTestId('composer-input').press('Enter');
  await page.locator('[data-testid="message"][data-role="user"]', { hasText: 'Where did we start?' }).waitFor();
  await until(async () => {
    const shown = await page.evaluate(() => {
      const list = document.querySelector('[data-testid="message-list"]')!.getBoundingClientRect();
      const mine = [...document.querySelectorAll('[data-testid="message"][data-role="user"]')].find((m) => m.textContent?.includes('Where did we start?'));
      const r = mine?.getBoundingClientRect();
      return !!r && r.top >= list.top - 1 && r.top < list.bottom;
    });
    assert.ok(shown, 'the question is in view');
  });
  await page.getByTestId('send').waitFor({ timeout: 60_000 });
});

test('"Jump to latest" appears when new text arrives out of sight, and goes there', async () => {
  const c = await openSeeded('Another long talk', longTalk(40));
  await scrollMessagesToTop();
  await eventually(async () => assert.equal(await page.getByTestId('jump-to-latest').count(), 0));
  // A question from elsewhere (another window): its answer arrives while this view is at the top.
  const sent = await call('chat.send', { conversationId: c.id, text: 'One more question, please.', modelPath: app.modelPath, sampling: { maxTokens: 24 } });
  const jump = page.getByTestId('jump-to-latest');
  await jump.waitFor();
  await eventually(async () => assert.equal(await page.getByTestId('message-list').evaluate((el) => el.scrollTop), 0, 'the view stayed where the user put it'));
  await shot('jump-to-latest-1440-en-light');
  await jump.click();
  await until(async () => assert.ok(await inView(`[data-message-id="${sent.assistantMessage.id}"]`), 'the latest answer is in view'));
  await jump.waitFor({ state: 'detached' });
});

test('the paperclip adds a document, from the empty chat and next to the message box', async () => {
  await page.getByTestId('new-conversation').click();
  const empty = page.getByTestId('empty-documents');
  await empty.filter({ hasText: /drop files/i }).waitFor();
  await shot('empty-chat-1440-en-light');
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('empty-attach').click();
  await (await chooser).setFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('The lighthouse keeper wrote notes every night.\n'.repeat(20)) });
  await page.locator('[data-testid="document-item"][data-name="notes.txt"]').waitFor();

  const attach = page.getByTestId('attach');
  await eventually(async () => assert.equal(await attach.getAttribute('aria-label'), 'Add a document'));
  await eventually(async () => assert.match((await attach.getAttribute('title')) ?? '', /PDF/));
  const second = page.waitForEvent('filechooser');
  await attach.click();
  await (await second).setFiles({ name: 'more.md', mimeType: 'text/markdown', buffer: Buffer.from('# More\n\nA second document.\n') });
  await page.locator('[data-testid="document-item"][data-name="more.md"]').waitFor();
});

test('conversation settings: asks before discarding edits, Esc from anywhere, closes after Save', async () => {
  const c = await openSeeded('Settings talk', ['Hello', 'Hi there.']);
  const button = page.getByTestId('conversation-settings');
  await eventually(async () => assert.match((await button.textContent()) ?? '', /Conversation settings/));
  const panel = page.getByTestId('settings-panel');

  // Nothing changed: Esc on the close button closes at once.
  await button.click();
  await page.getByTestId('settings-close').focus();
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });

  // Changed: Esc, the close button and the bar's button ask first.
  await button.click();
  await page.getByTestId('system-prompt').fill('You are a pirate.');
  await page.keyboard.press('Escape');
  await page.getByTestId('settings-discard').waitFor();
  await shot('settings-discard-1440-en-light');
  await page.getByTestId('settings-keep-editing').click();
  await page.getByTestId('settings-discard').waitFor({ state: 'detached' });
  await eventually(async () => assert.equal(await page.getByTestId('system-prompt').inputValue(), 'You are a pirate.', 'keeping on editing keeps the text'));
  await page.getByTestId('sampling-topK').focus();
  await page.keyboard.press('Escape');
  await page.getByTestId('settings-discard').waitFor();
  await page.getByTestId('settings-discard-confirm').click();
  await panel.waitFor({ state: 'detached' });
  await eventually(async () => assert.deepEqual(await settingsOf(c.id), { sampling: { maxTokens: 16 } }, 'nothing was saved'));

  await button.click();
  await eventually(async () => assert.equal(await page.getByTestId('system-prompt').inputValue(), '', 'the discarded text is gone'));
  await page.getByTestId('system-prompt').fill('You are a pirate.');
  await button.click();
  await page.getByTestId('settings-discard').waitFor();
  await page.getByTestId('settings-keep-editing').click();
  await page.getByTestId('settings-save').click();
  await panel.waitFor({ state: 'detached' });
  await until(async () => assert.equal((await settingsOf(c.id)).systemPrompt, 'You are a pirate.'));
  await until(async () => assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'conversation-settings'));
});

test('math that KaTeX styles with attributes and switching conversations: no CSP error', async () => {
  const math = await openSeeded('Formulas', ['Some math?', 'Boxed: $$\\fcolorbox{red}{white}{x}$$ bold $\\pmb{\\alpha}$ and a broken $\\frac{1$ one.']);
  await page.locator('.katex-error').first().waitFor();
  const other = await openSeeded('Plain', ['Hello', 'Hello to you.']);
  for (const id of [math.id, other.id, math.id]) {
    await row(id).getByTestId('open-conversation').click();
    await page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"][data-current="true"]`).waitFor();
    await page.getByTestId('message').first().waitFor();
  }
  await page.locator('.katex-error').first().waitFor();
  // The colour KaTeX gives a formula it cannot read arrived (through the CSSOM).
  await eventually(async () => assert.notEqual(await page.locator('.katex-error').first().evaluate((el) => (el as HTMLElement).style.color), ''));
});

/**
 * Resizes the page and waits for the layout to follow: crossing the narrow width collapses or opens
 * the sidebar in a resize handler, after setViewportSize has returned; reading the toggle before that
 * handler ran would see the old state.
 */
async function resize(p: Page, width: number, height: number): Promise<void> {
  const wasNarrow = await p.evaluate(() => window.innerWidth < 900);
  await p.setViewportSize({ width, height });
  await p.waitForFunction((w) => window.innerWidth === w, width);
  if (wasNarrow !== width < 900) await p.locator(`[data-testid="app"][data-sidebar="${width < 900 ? 'collapsed' : 'open'}"]`).waitFor();
}

async function screens(tag: string, width: number, height: number): Promise<void> {
  await resize(page, width, height);
  const pages: Array<[string, string]> = [['chat', 'composer-input'], ['models', 'catalogue-card'], ['settings', 'settings-page']];
  for (const [name, ready] of pages) {
    if (await page.getByTestId('sidebar-toggle').getAttribute('aria-expanded') === 'false') {
      await page.keyboard.press('Control+b');
      await page.locator('[data-testid="app"][data-sidebar="open"]').waitFor();
    }
    await page.getByTestId(`nav-${name}`).click();
    await page.getByTestId(ready).first().waitFor();
    if (width < 900) await page.locator('[data-testid="app"][data-sidebar="collapsed"]').waitFor();
    await until(async () => assert.deepEqual(await cutOffSideways(page), [], `${name} at ${width}×${height}`));
    await assertRootAtTop(`opening ${name} at ${width}×${height}`);
    await shot(`${name}-${width}-${tag}`);
  }
  if (width < 900) {
    await page.getByTestId('sidebar-toggle').click();
    await page.locator('#app-sidebar').waitFor();
    await until(async () => assert.deepEqual(await cutOffSideways(page), [], `the open sidebar at ${width}×${height}`));
    await shot(`sidebar-open-${width}-${tag}`);
    await page.getByTestId('sidebar-toggle').click();
    await page.locator('#app-sidebar').waitFor({ state: 'hidden' });
  }
}

test('nothing is cut off at 800×600 (chat, models, settings); screenshots in English/light and Chinese/dark', async () => {
  const talk = await openSeeded('Screens', longTalk(6));
  const reopen = async () => {
    if ((await page.getByTestId('sidebar-toggle').getAttribute('aria-expanded')) === 'false') await page.getByTestId('sidebar-toggle').click();
    await page.getByTestId('nav-chat').click();
    if ((await page.getByTestId('sidebar-toggle').getAttribute('aria-expanded')) === 'false') await page.getByTestId('sidebar-toggle').click();
    await row(talk.id).getByTestId('open-conversation').click();
    await page.getByTestId('message').first().waitFor();
  };
  await screens('en-light', 1440, 900);
  await screens('en-light', 800, 600);
  await call('settings.update', { language: 'zh-CN', theme: 'dark' });
  await page.reload();
  await page.locator('html[lang="zh-CN"][data-theme="dark"]').waitFor({ state: 'attached' });
  await reopen();
  await screens('zh-CN-dark', 1440, 900);
  await reopen();
  await screens('zh-CN-dark', 800, 600);
  await resize(page, 1440, 900);
  await reopen();
  await page.getByTestId('conversation-settings').click();
  await page.getByTestId('settings-panel').waitFor();
  await shot('settings-panel-1440-zh-CN-dark');
  await resize(page, 800, 600);
  await until(async () => assert.deepEqual(await cutOffSideways(page), [], 'the settings panel at 800×600'));
  await shot('settings-panel-800-zh-CN-dark');
  await page.keyboard.press('Escape');
  await page.getByTestId('settings-panel').waitFor({ state: 'detached' });
  await call('settings.update', { language: 'system', theme: 'system' });
  await resize(page, 1440, 900);
});

test('no console errors over the run (CSP violations included)', () => {
  assert.deepEqual(consoleErrors, []);
});

test('no console errors or uncaught exceptions on any page during this file', () => {
  assertNoConsoleErrors(browser);
});
