// Settings, languages, themes, shortcuts and the first-run screen in real Chromium against the real
// host: the UI follows the system language (a zh-CN Chromium starts in Chinese), switching to 中文
// changes the strings everywhere and persists; the dark theme changes the colours and persists; the
// help panel opens with ? and F1 and lists the shortcuts; Ctrl+Shift+O, Ctrl+L, Esc, Alt+↑/↓ and
// Ctrl+, work; threads saved on the Settings page reach the engine at the next answer; an empty
// library shows the first-run screen, which leads to the Models page or adds a file. Screenshots of
// chat, models and settings in both languages and both themes go to /tmp/ui-themes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Method, Params, Results } from '../../app/contract.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { STRINGS } from '../../renderer/src/i18n/strings/index.js';
import { assertNoConsoleErrors, launchChromium } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { eventually } from '../helpers/eventually.js';

const SHOTS = process.env.QWEN2_DESK_SCREENSHOTS ?? '/tmp/ui-themes';
let app: TestApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

async function call<M extends Method>(method: M, params: Params<M>): Promise<Results[M]> {
  const r = await app.core.handle(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.result as Results[M];
}

before(async () => {
  // The catalogue's listings are not reachable: it answers at once with estimated sizes.
  app = await startTestApp({ env: { QWEN2_DESK_HF_BASE: 'http://127.0.0.1:9' } });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US', colorScheme: 'light' });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  fs.mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await app?.stop();
  delete process.env.QWEN2_DESK_HF_BASE;
});

/** The status line's engine state, in the language given. */
async function engineStateIs(language: 'en' | 'zh-CN', p: Page = page): Promise<void> {
  const status = p.getByTestId('engine-status');
  await status.waitFor();
  // The state and its text are read together: the state may change between two reads.
  await eventually(async () => {
    const [state, shown] = await status.evaluate((el) => [el.getAttribute('data-state'), el.textContent ?? '']);
    assert.equal(shown.trim(), STRINGS[language][`app.status.${state}`]);
  });
}

const text = async (testId: string, p: Page = page) => ((await p.getByTestId(testId).first().textContent()) ?? '').trim();
const bodyBackground = (p: Page = page) => p.evaluate(() => getComputedStyle(document.body).backgroundColor);
const mainBackground = (p: Page = page) => p.evaluate(() => getComputedStyle(document.querySelector('.main')!).backgroundColor);
const focusedTestId = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? null);
const currentConversation = () => page.evaluate(() => document.querySelector('[data-testid="conversation-item"][data-current="true"]')?.getAttribute('data-conversation-id') ?? null);

test('system language: a Chromium in zh-CN starts in Chinese, one in en-US in English', async () => {
  assert.equal((await call('settings.get', {})).language, 'system');
  const zh = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
  const zhPage = await zh.newPage();
  await zhPage.goto(app.host.url);
  await zhPage.getByTestId('nav-chat').filter({ hasText: '对话' }).waitFor();
  await eventually(async () => assert.equal(await text('nav-models', zhPage), '模型'));
  await eventually(async () => assert.equal(await text('nav-settings', zhPage), '设置'));
  await eventually(async () => assert.equal(await zhPage.evaluate(() => document.documentElement.lang), 'zh-CN'));
  await engineStateIs('zh-CN', zhPage);
  await zh.close();

  await page.goto(app.host.url);
  await page.getByTestId('nav-chat').filter({ hasText: 'Chat' }).waitFor();
  await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.lang), 'en'));
});

test('an empty library shows the first-run screen; it leads to the Models page, or adds a file', async () => {
  const [model] = await call('models.list', {});
  await call('models.delete', { id: model!.id, deleteFile: true });
  await page.reload();
  const firstRun = page.getByTestId('first-run');
  await firstRun.waitFor();
  await eventually(async () => assert.match((await firstRun.textContent()) ?? '', /What is a model\?/));
  await eventually(async () => assert.equal(await page.getByTestId('composer-input').count(), 0, 'no message box without a model'));
  await firstRun.getByTestId('first-run-pick').filter({ hasText: /Recommended for this computer: Qwen2/ }).waitFor();
  await page.screenshot({ path: `${SHOTS}/first-run-en-light.png` });
  await call('settings.update', { language: 'zh-CN', theme: 'dark' });
  await page.reload();
  await firstRun.getByTestId('first-run-pick').filter({ hasText: /推荐给这台电脑：Qwen2/ }).waitFor();
  await page.screenshot({ path: `${SHOTS}/first-run-zh-CN-dark.png` });
  await call('settings.update', { language: 'system', theme: 'system' });
  await page.reload();
  await firstRun.getByTestId('first-run-pick').filter({ hasText: /Recommended/ }).waitFor();

  await firstRun.getByTestId('first-run-models').click();
  await page.getByTestId('models-page').waitFor();
  await page.getByTestId('recommended-pick').waitFor();
  await eventually(async () => assert.equal(await focusedTestId(), 'catalogue-download', "the recommendation's Download button has the focus"));

  // "I already have a GGUF file": the path of one on this computer.
  await page.getByTestId('nav-chat').click();
  await firstRun.waitFor();
  const file = await ensureSyntheticModel({ preset: 'tiny', arch: 'qwen2', type: 'q8_0', seed: 1 });
  await firstRun.getByTestId('add-model').click();
  await firstRun.getByTestId('add-model-path').fill(file);
  await firstRun.getByTestId('add-model-submit').click();
  await firstRun.waitFor({ state: 'detached' });
  await page.getByTestId('composer-input').waitFor();
});

test('switching to 中文 changes the strings everywhere and persists after a reload', async () => {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-page').waitFor();
  await page.getByTestId('settings-language').selectOption('zh-CN');
  // Sidebar navigation and the settings page itself, at once.
  await page.getByTestId('nav-chat').filter({ hasText: '对话' }).waitFor();
  await eventually(async () => assert.equal(await text('nav-models'), '模型'));
  await eventually(async () => assert.equal(await text('nav-settings'), '设置'));
  await eventually(async () => assert.equal(await page.locator('#settings-title').textContent(), '设置'));
  await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN'));

  // The chat: header and status line.
  await page.getByTestId('nav-chat').click();
  await page.getByTestId('conversation-title').waitFor();
  await eventually(async () => assert.equal(await text('conversation-title'), '新对话'));
  await engineStateIs('zh-CN');
  await eventually(async () => assert.match((await page.getByTestId('add-model').textContent()) ?? '', /添加文件/));

  // The Models page's headings.
  await page.getByTestId('nav-models').click();
  await page.getByTestId('models-page').waitFor();
  await eventually(async () => assert.equal(await page.locator('#models-page-title').textContent(), '模型'));
  await eventually(async () => assert.equal(await page.locator('#recommended-title').textContent(), '推荐给这台电脑'));
  await eventually(async () => assert.equal(await page.locator('#catalogue-title').textContent(), 'Qwen2 模型'));
  await eventually(async () => assert.equal(await page.locator('#downloads-title').textContent(), '下载'));
  await eventually(async () => assert.equal(await page.locator('#library-title').textContent(), '我的模型'));
  await eventually(async () => assert.match(await text('machine-ram'), /^内存 /));

  await page.reload();
  await page.getByTestId('nav-chat').filter({ hasText: '对话' }).waitFor();
  assert.equal((await call('settings.get', {})).language, 'zh-CN');
  await engineStateIs('zh-CN');
});

test('the dark theme changes the colours at once and persists after a reload', async () => {
  await page.getByTestId('nav-settings').click();
  const light = await bodyBackground();
  const lightMain = await mainBackground();
  await page.getByTestId('settings-theme').selectOption('dark');
  await page.waitForFunction((before) => getComputedStyle(document.body).backgroundColor !== before, light);
  await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark'));
  const dark = await bodyBackground();
  await eventually(async () => assert.notEqual(await mainBackground(), lightMain));
  // Dark means dark: every channel of the page background below 64.
  const channels = (dark.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  assert.ok(channels.every((c) => c < 64), `dark background: ${dark}`);

  await page.reload();
  await page.getByTestId('settings-page').waitFor({ state: 'detached' }).catch(() => {});
  await page.getByTestId('nav-chat').waitFor();
  await eventually(async () => assert.equal(await bodyBackground(), dark));
  assert.equal((await call('settings.get', {})).theme, 'dark');

  // "Follow the system" follows prefers-color-scheme (light in this context).
  await call('settings.update', { theme: 'system', language: 'en' });
  await page.reload();
  await page.getByTestId('nav-chat').filter({ hasText: 'Chat' }).waitFor();
  await eventually(async () => assert.equal(await bodyBackground(), light));
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction((before) => getComputedStyle(document.body).backgroundColor !== before, light);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction((before) => getComputedStyle(document.body).backgroundColor === before, light);
});

test('the help panel opens with ? and F1 and lists every shortcut', async () => {
  await page.locator('body').click({ position: { x: 700, y: 300 } });
  await page.keyboard.press('?');
  const panel = page.getByTestId('help-panel');
  await panel.waitFor();
  await eventually(async () => assert.equal(await panel.getAttribute('role'), 'dialog'));
  const ids = await panel.getByTestId('shortcut').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-shortcut')));
  assert.deepEqual(ids, ['newChat', 'focusInput', 'stop', 'search', 'previousConversation', 'nextConversation', 'settings', 'toggleSidebar', 'help']);
  const newChat = (await panel.locator('[data-shortcut="newChat"]').textContent()) ?? '';
  assert.match(newChat, /New chat.*Ctrl.*Shift.*O/);
  await eventually(async () => assert.equal(await focusedTestId(), 'help-close', 'the focus moves into the dialog'));
  await page.screenshot({ path: `${SHOTS}/help-en-light.png` });
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });

  // F1 works even while typing; ? there is just a character.
  await page.getByTestId('composer-input').focus();
  await page.keyboard.press('?');
  await eventually(async () => assert.equal(await panel.count(), 0));
  await eventually(async () => assert.equal(await page.getByTestId('composer-input').inputValue(), '?'));
  await page.getByTestId('composer-input').fill('');
  await page.keyboard.press('F1');
  await panel.waitFor();
  await page.getByTestId('help-close').click();
  await panel.waitFor({ state: 'detached' });
  await eventually(async () => assert.equal(await focusedTestId(), 'composer-input', 'the focus goes back where it was'));
});

test('shortcuts: new chat, focus the message box, switch conversations, search, settings', async () => {
  await page.getByTestId('nav-chat').click();
  const before = await page.getByTestId('conversation-item').count();
  const wasCurrent = await currentConversation();
  await page.locator('body').click({ position: { x: 700, y: 300 } });
  await page.keyboard.press('Control+Shift+O');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="conversation-item"]').length === n + 1, before);
  const created = await currentConversation();
  assert.notEqual(created, wasCurrent);

  // Ctrl+L puts the cursor in the message box, from any page.
  await page.getByTestId('nav-models').click();
  await page.getByTestId('models-page').waitFor();
  await page.keyboard.press('Control+L');
  await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.testid === 'composer-input');

  // A second new chat, then Alt+↓ / Alt+↑ move through the list.
  await page.keyboard.press('Control+Shift+O');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="conversation-item"]').length === n + 2, before);
  const newest = await currentConversation();
  await page.keyboard.press('Alt+ArrowDown');
  await page.waitForFunction((id) => document.querySelector('[data-testid="conversation-item"][data-current="true"]')?.getAttribute('data-conversation-id') === id, created);
  await page.keyboard.press('Alt+ArrowUp');
  await page.waitForFunction((id) => document.querySelector('[data-testid="conversation-item"][data-current="true"]')?.getAttribute('data-conversation-id') === id, newest);

  if (await page.getByTestId('search-input').count()) {
    await page.keyboard.press('Control+K');
    await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.testid === 'search-input');
    await page.keyboard.press('Escape');
  }
  await page.locator('body').click({ position: { x: 700, y: 300 } });
  await page.keyboard.press('Control+Comma');
  await page.getByTestId('settings-page').waitFor();
  assert.deepEqual(pageErrors, []);
});

/** Sends a message in a new chat, stops the answer with Esc once text arrives; returns when it is stopped. */
async function answerAndStop(message: string): Promise<void> {
  await page.getByTestId('new-conversation').click();
  await page.getByTestId('composer-input').fill(message);
  await page.getByTestId('composer-input').press('Enter');
  await page.locator('[data-testid="message"][data-role="assistant"][data-status="streaming"] [data-testid="message-content"]').waitFor({ timeout: 60_000 });
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="message"][data-role="assistant"][data-status="stopped"]').waitFor({ timeout: 30_000 });
}

test('threads saved on the Settings page reach the engine at the next answer; Esc stops an answer', async () => {
  // Start from 2 threads, so that saving 1 is a change the engine has to pick up.
  await call('settings.update', { engineThreads: 2 });
  await page.getByTestId('nav-chat').click();
  await answerAndStop('Count to a hundred, please.');
  await page.getByTestId('engine-backend').filter({ hasText: /CPU · 2 threads/ }).waitFor({ timeout: 30_000 });

  await page.getByTestId('nav-settings').click();
  const threads = page.getByTestId('settings-threads');
  await eventually(async () => assert.equal(await threads.inputValue(), '2'));
  await threads.fill('1');
  await page.getByTestId('settings-threads-save').click();
  await page.getByTestId('settings-saved').waitFor();
  assert.equal((await call('settings.get', {})).engineThreads, 1);
  await page.screenshot({ path: `${SHOTS}/settings-saved-en-light.png` });

  await page.getByTestId('nav-chat').click();
  await answerAndStop('Name three colours.');
  await page.getByTestId('engine-backend').filter({ hasText: /CPU · 1 thread$/ }).waitFor({ timeout: 30_000 });
  assert.equal((await call('engine.status', {})).threads, 1);

  // 0 = automatic: the count in use is shown on the Settings page.
  await page.getByTestId('nav-settings').click();
  await threads.fill('0');
  await page.getByTestId('settings-threads-save').click();
  await page.getByTestId('settings-saved').waitFor();
  await eventually(async () => assert.match(await text('settings-threads-auto'), /^Automatic/));
  assert.deepEqual(pageErrors, []);
});

test('the data folder for the next start: shown, saved, refused when relative, back to the default', async () => {
  await page.getByTestId('nav-settings').click();
  await eventually(async () => assert.equal(await text('settings-data-dir'), app.dataDir));
  const modelsField = page.getByTestId('settings-models-dir');
  await eventually(async () => assert.equal(await modelsField.inputValue(), (await call('app.info', {})).modelsDir));
  // The models folder changes at once: the library follows it.
  await modelsField.fill('relative/models');
  await page.getByTestId('settings-models-dir-save').click();
  await page.getByTestId('settings-models-dir-error').filter({ hasText: /absolute/ }).waitFor();
  const otherModels = `${app.dataDir}-models`;
  await modelsField.fill(otherModels);
  await page.getByTestId('settings-models-dir-save').click();
  for (let i = 0; i < 50 && (await call('settings.get', {})).modelsDir !== otherModels; i++) await page.waitForTimeout(100);
  assert.equal((await call('app.info', {})).modelsDir, otherModels);
  await page.getByTestId('settings-models-dir-default').click();
  const defaultModels = `${app.dataDir}/models`;
  for (let i = 0; i < 50 && (await modelsField.inputValue()) !== defaultModels; i++) await page.waitForTimeout(100);
  await eventually(async () => assert.equal(await modelsField.inputValue(), defaultModels));
  assert.equal((await call('app.info', {})).modelsDir, defaultModels);
  const field = page.getByTestId('settings-next-data-dir');
  await field.fill('relative/folder');
  await page.getByTestId('settings-data-dir-save').click();
  await page.getByTestId('settings-error').filter({ hasText: /absolute/ }).waitFor();
  const next = `${app.dataDir}-next`;
  await field.fill(next);
  await page.getByTestId('settings-data-dir-save').click();
  await page.getByTestId('settings-next-note').filter({ hasText: `From the next start, Qwen2 Desk uses ${next}.` }).waitFor();
  assert.equal((await call('settings.get', {})).nextDataDir, next);
  await page.getByTestId('settings-data-dir-default').click();
  await page.getByTestId('settings-next-note').filter({ hasText: 'The next start uses the same folder as now.' }).waitFor();
  assert.equal((await call('settings.get', {})).nextDataDir, null);
  await eventually(async () => assert.equal(await field.inputValue(), ''));
});

test('screenshots: chat, models and settings in both languages and both themes', async () => {
  // A conversation of its own with a finished answer, so that this test needs nothing from the others.
  const shown = await call('conversations.create', { title: 'Screenshot conversation' });
  const finished = new Promise<void>((resolve) => {
    const off = app.core.onEvent((e) => {
      if (e.type === 'chat.finished' && e.conversationId === shown.id) {
        off();
        resolve();
      }
    });
  });
  const usable = (await call('models.list', {})).find((m) => !m.problem);
  assert.ok(usable, 'a usable model in the library');
  await call('chat.send', { conversationId: shown.id, text: 'Say hello.', modelPath: usable.path, sampling: { maxTokens: 24 } });
  await finished;
  for (const language of ['en', 'zh-CN'] as const) {
    for (const theme of ['light', 'dark'] as const) {
      await call('settings.update', { language, theme });
      await page.reload();
      await page.waitForFunction(([l, th]) => document.documentElement.lang === l && document.documentElement.dataset.theme === th, [language, theme] as const);
      const tag = `${language}-${theme}`;
      await page.locator(`[data-testid="conversation-item"][data-conversation-id="${shown.id}"]`).getByTestId('open-conversation').click();
      await page.locator('[data-testid="message"][data-role="assistant"]').first().waitFor();
      await page.screenshot({ path: `${SHOTS}/chat-${tag}.png` });
      await page.getByTestId('nav-models').click();
      await page.getByTestId('recommended-pick').waitFor();
      await page.screenshot({ path: `${SHOTS}/models-${tag}.png` });
      await page.getByTestId('jump-library').click();
      await page.getByTestId('library-model').first().getByTestId('model-details-toggle').click();
      await page.getByTestId('context-plan').waitFor();
      await page.getByTestId('model-defaults').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/models-library-${tag}.png` });
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('settings-threads').waitFor();
      await page.screenshot({ path: `${SHOTS}/settings-${tag}.png` });
      await page.getByTestId('settings-section-help').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/settings-bottom-${tag}.png` });
      await page.keyboard.press('F1');
      await page.getByTestId('help-panel').waitFor();
      await page.screenshot({ path: `${SHOTS}/help-${tag}.png` });
      await page.keyboard.press('Escape');
      await page.getByTestId('nav-chat').click();
    }
  }
  await call('settings.update', { language: 'system', theme: 'system' });
  assert.deepEqual(pageErrors, []);
});

test('no console errors or uncaught exceptions on any page during this file', () => {
  assertNoConsoleErrors(browser);
});
