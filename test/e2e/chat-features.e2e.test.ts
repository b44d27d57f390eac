// The chat's features in real Chromium against the real host and engine (tiny synthetic model):
// conversation settings and presets, regenerate, edit + branch switch (< 1/2 >), copy, delete,
// Markdown / code / math rendering with raw HTML shown as text, search in Chinese with highlights
// and the jump to the message (on its branch), export and import, pin, the context overflow
// marker, and scale (a 10,000-message conversation and 5,000 conversations, virtualized).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Conversation, Method, Params, Results } from '../../app/contract.js';
import { openStore } from '../../app/store/index.js';
import { assertNoConsoleErrors, launchChromium } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { eventually } from '../helpers/eventually.js';

const SHOTS = process.env.QWEN2_DESK_SCREENSHOTS ?? '/tmp/chat-ui';
let app: TestApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const cspErrors: string[] = [];
let dialogs = 0;

async function call<M extends Method>(method: M, params: Params<M>): Promise<Results[M]> {
  const r = await app.core.handle(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.result as Results[M];
}

async function openPage(p: Page, url: string): Promise<void> {
  p.on('pageerror', (e) => pageErrors.push(e.message));
  p.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspErrors.push(m.text());
  });
  p.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await p.goto(url);
}

before(async () => {
  app = await startTestApp();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true, locale: 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.host.url).origin });
  page = await context.newPage();
  await openPage(page, app.host.url);
  fs.mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

const shot = (name: string, p: Page = page) => p.screenshot({ path: `${SHOTS}/${name}.png` });
const messages = () => page.getByTestId('message');
const byRole = (role: 'user' | 'assistant') => page.locator(`[data-testid="message"][data-role="${role}"]`);
const lastOf = (role: 'user' | 'assistant') => byRole(role).last();
const conversationRow = (id: string) => page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`);

/** Waits until no answer is being written (the Send button is back and nothing streams). */
async function idle(): Promise<void> {
  try {
    await page.waitForFunction(
      () => !document.querySelector('[data-testid="message"][data-status="streaming"]') && !!document.querySelector('[data-testid="send"]'),
      undefined,
      { timeout: 60_000 },
    );
  } catch (error) {
    await shot('failed-idle');
    console.log('page errors:', pageErrors);
    throw error;
  }
}

async function sendText(text: string): Promise<void> {
  const input = page.getByTestId('composer-input');
  await input.fill(text);
  await input.press('Enter');
  await page.locator('[data-testid="message"][data-role="user"]:not([data-pending])', { hasText: text.slice(0, 30) }).last().waitFor();
  await idle();
}

function currentId(): Promise<string> {
  return page.locator('[data-testid="conversation-item"][data-current="true"]').getAttribute('data-conversation-id') as Promise<string>;
}

/** A conversation written straight through the core (as an import), for the page to show. */
function exportFile(title: string, list: Array<{ id: string; parentId: string | null; role: 'user' | 'assistant'; content: string }>, activeLeafId?: string): string {
  const now = Date.now();
  return JSON.stringify({
    format: 'qwen2-desk.conversation',
    version: 1,
    exportedAt: now,
    conversation: { title, createdAt: now, updatedAt: now, pinned: false, settings: {}, activeLeafId: activeLeafId ?? list.at(-1)?.id ?? null },
    messages: list.map((m, i) => ({
      ...m,
      status: 'done',
      error: null,
      model: m.role === 'assistant' ? 'seeded' : null,
      createdAt: now - (list.length - i) * 1000,
      stats: m.role === 'assistant' ? { tokens: 42, tokensPerSecond: 12.5, timeToFirstTokenMs: 340, promptTokens: 30, contextTokens: 120, contextSize: 4096 } : null,
      droppedMessages: 0,
      sampling: null,
    })),
  });
}

async function seed(title: string, list: Parameters<typeof exportFile>[1], activeLeafId?: string): Promise<Conversation> {
  return call('conversations.import', { content: exportFile(title, list, activeLeafId) });
}

async function openSeeded(c: Conversation): Promise<void> {
  await conversationRow(c.id).waitFor();
  await conversationRow(c.id).getByTestId('open-conversation').click();
  await page.locator(`[data-testid="conversation-item"][data-conversation-id="${c.id}"][data-current="true"]`).waitFor();
  await page.getByTestId('message').first().waitFor();
}

test('conversation settings: Qwen2 defaults shown, a preset saved and deleted, sampling stored', async () => {
  await page.getByTestId('new-conversation').click();
  const picker = page.getByTestId('model-select');
  if (await picker.count()) await picker.selectOption(app.modelPath);
  await page.getByTestId('conversation-settings').click();
  const panel = page.getByTestId('settings-panel');
  await panel.waitFor();
  const placeholders = await Promise.all(
    ['temperature', 'topP', 'topK', 'repeatPenalty'].map((k) => page.getByTestId(`sampling-${k}`).getAttribute('placeholder')),
  );
  assert.deepEqual(placeholders, ['0.7', '0.8', '20', '1.05']);
  await eventually(async () => assert.equal(await page.getByTestId('system-prompt').getAttribute('placeholder'), 'You are a helpful assistant.'));

  // A preset from the prompt typed here.
  await page.getByTestId('system-prompt').fill('You answer in one short sentence.');
  await page.getByTestId('preset-save').click();
  await page.getByTestId('preset-name').fill('Short answers');
  await page.getByTestId('preset-save-confirm').click();
  await page.locator('[data-testid="preset-select"] option', { hasText: 'Short answers' }).waitFor({ state: 'attached' });
  const presets = await call('presets.list', {});
  const saved = presets.find((p) => p.name === 'Short answers');
  assert.equal(saved?.systemPrompt, 'You answer in one short sentence.');
  await eventually(async () => assert.equal(await page.getByTestId('preset-select').inputValue(), saved!.id));

  // Sampling: an out-of-range value is refused plainly; good ones are saved with the preset.
  await page.getByTestId('sampling-temperature').fill('5');
  await page.getByTestId('sampling-error').waitFor();
  await eventually(async () => assert.equal(await page.getByTestId('settings-save').isDisabled(), true));
  await page.getByTestId('sampling-temperature').fill('0');
  await page.getByTestId('sampling-maxTokens').fill('12');
  await page.getByTestId('sampling-seed').fill('7');
  await shot('settings-panel');
  // Save stores the settings and closes the panel.
  await page.getByTestId('settings-save').click();
  await panel.waitFor({ state: 'detached' });
  const conversation = (await call('conversations.list', {})).find((c) => c.settings.presetId === saved!.id);
  assert.deepEqual(conversation?.settings, { presetId: saved!.id, sampling: { temperature: 0, maxTokens: 12, seed: 7 } });

  // A second preset, deleted again (with a confirmation).
  await page.getByTestId('conversation-settings').click();
  await panel.waitFor();
  await page.getByTestId('preset-save').click();
  await page.getByTestId('preset-name').fill('Throwaway');
  await page.getByTestId('preset-save-confirm').click();
  await page.locator('[data-testid="preset-select"] option', { hasText: 'Throwaway' }).waitFor({ state: 'attached' });
  await page.getByTestId('preset-delete').click();
  await page.getByTestId('preset-delete-confirm').click();
  await page.locator('[data-testid="preset-select"] option', { hasText: 'Throwaway' }).waitFor({ state: 'detached' });
  assert.deepEqual((await call('presets.list', {})).map((p) => p.name), ['Short answers']);
  // The deleted preset was an unsaved change of this panel: closing asks before discarding it.
  await page.getByTestId('settings-close').click();
  await page.getByTestId('settings-discard-confirm').click();
  await panel.waitFor({ state: 'detached' });
});

test('send, the honest numbers, regenerate and switch between the answers (< 1/2 >)', async () => {
  await sendText('Hello there');
  const answer = lastOf('assistant');
  const stats = answer.getByTestId('message-stats');
  await eventually(async () => assert.match((await stats.textContent()) ?? '', /ms to first token|s to first token/));
  await eventually(async () => assert.match((await stats.textContent()) ?? '', /tokens\/s/));
  await eventually(async () => assert.ok(Number(await stats.getAttribute('data-tokens')) > 0));
  const meter = page.getByTestId('context-meter');
  await eventually(async () => assert.ok(Number(await meter.getAttribute('data-used')) > 0, 'the context meter shows the tokens used'));
  await eventually(async () => assert.equal(await meter.getAttribute('data-size'), '4096'));
  const first = await answer.getByTestId('message-content').textContent();

  await answer.hover();
  await answer.getByTestId('regenerate').click();
  await page.locator('[data-testid="message"][data-role="assistant"] [data-testid="branch-position"]').filter({ hasText: '2/2' }).waitFor();
  await idle();
  await eventually(async () => assert.equal(await byRole('assistant').count(), 1, 'the old answer is on its own branch, not on screen'));
  await eventually(async () => assert.equal(await lastOf('assistant').getByTestId('branch-position').textContent(), '2/2'));
  await shot('regenerated');

  await lastOf('assistant').getByTestId('branch-prev').click();
  await lastOf('assistant').getByTestId('branch-position').filter({ hasText: '1/2' }).waitFor();
  await eventually(async () => assert.equal(await lastOf('assistant').getByTestId('message-content').textContent(), first, 'the first answer is back'));
  await lastOf('assistant').getByTestId('branch-next').click();
  await lastOf('assistant').getByTestId('branch-position').filter({ hasText: '2/2' }).waitFor();
});

test('edit a question: a new branch, both kept, switch with < >', async () => {
  const question = lastOf('user');
  await question.hover();
  await question.getByTestId('edit-message').click();
  await page.getByTestId('edit-input').fill('Hello again, edited');
  await shot('editing');
  await page.getByTestId('edit-submit').click();
  await byRole('user').filter({ hasText: 'Hello again, edited' }).waitFor();
  await idle();
  await eventually(async () => assert.equal(await lastOf('user').getByTestId('branch-position').textContent(), '2/2'));
  await eventually(async () => assert.equal(await messages().count(), 2, 'the new question and its answer'));
  await shot('edited-branch');

  await lastOf('user').getByTestId('branch-prev').click();
  await byRole('user').filter({ hasText: 'Hello there' }).waitFor();
  await eventually(async () => assert.equal(await lastOf('user').getByTestId('branch-position').textContent(), '1/2'));
  // The original question keeps its two answers.
  await eventually(async () => assert.equal(await lastOf('assistant').getByTestId('branch-position').textContent(), '2/2'));
  await lastOf('user').getByTestId('branch-next').click();
  await byRole('user').filter({ hasText: 'Hello again, edited' }).waitFor();
});

test('copy a message, delete a message (after a confirmation)', async () => {
  const answer = lastOf('assistant');
  await answer.hover();
  await answer.getByTestId('copy-message').click();
  await answer.locator('[data-testid="copy-message"][data-state="copied"]').waitFor();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  const id = await answer.getAttribute('data-message-id');
  const stored = (await call('messages.page', { conversationId: await currentId() })).messages.find((m) => m.id === id)!;
  assert.equal(clip, stored.content);

  await sendText('This one will be deleted');
  const before = await messages().count();
  const doomed = byRole('user').filter({ hasText: 'This one will be deleted' });
  await doomed.hover();
  await doomed.getByTestId('delete-message').click();
  await page.getByTestId('confirm-delete-message').waitFor();
  await shot('confirm-delete');
  await page.getByTestId('confirm-delete-message').click();
  await doomed.waitFor({ state: 'detached' });
  await eventually(async () => assert.equal(await messages().count(), before - 2, 'the question and its answer are gone'));
  const page1 = await call('messages.page', { conversationId: await currentId() });
  assert.equal(page1.messages.length, 2);
});

test('Markdown, code with highlighting and copy, math; raw HTML is shown as text, never run', async () => {
  const answer = [
    '## Results',
    '',
    'A **bold** claim, a [link](https://example.com/docs) and `inline code`.',
    '',
    '| Model | Params |',
    '| --- | --- |',
    '| Qwen2-7B | 7.6B |',
    '',
    '- one',
    '- two',
    '',
    '> a quote',
    '',
    '```python',
    'def add(a, b):',
    '    return a + b  # sum',
    '```',
    '',
    'Euler: $e^{i\\pi}+1=0$, LaTeX style \\(a^2+b^2\\) and',
    '',
    '$$\\int_0^1 x\\,dx = \\frac{1}{2}$$',
    '',
    'Raw: <img src=x onerror="window.__xss=1;alert(1)"> and <script>window.__xss=2</script> <b>not bold</b>',
  ].join('\n');
  const c = await seed('Rendering', [
    { id: 'q', parentId: null, role: 'user', content: 'Show me everything <i>and</i> $x$' },
    { id: 'a', parentId: 'q', role: 'assistant', content: answer },
  ]);
  await openSeeded(c);
  const content = lastOf('assistant').getByTestId('message-content');
  await content.locator('table').waitFor();
  await eventually(async () => assert.equal(await content.locator('h2').textContent(), 'Results'));
  await eventually(async () => assert.equal(await content.locator('td').first().textContent(), 'Qwen2-7B'));
  await eventually(async () => assert.equal(await content.locator('ul > li').count(), 2));
  await eventually(async () => assert.equal(await content.locator('blockquote').count(), 1));
  const link = content.locator('a', { hasText: 'link' });
  await eventually(async () => assert.equal(await link.getAttribute('target'), '_blank'));
  await eventually(async () => assert.equal(await link.getAttribute('rel'), 'noopener noreferrer'));
  // Code: highlighted spans, a copy button that copies the code.
  const code = content.getByTestId('code-block');
  await eventually(async () => assert.equal(await code.getAttribute('data-language'), 'python'));
  await eventually(async () => assert.ok((await code.locator('.hljs-keyword').count()) >= 2, 'keywords are highlighted'));
  await code.getByTestId('code-copy').click();
  await eventually(async () => assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'def add(a, b):\n    return a + b  # sum'));
  // Math: KaTeX, with its stylesheet and fonts from the app itself (the CSP allows nothing else).
  await eventually(async () => assert.ok((await content.locator('.katex').count()) >= 3));
  await eventually(async () => assert.equal(await content.locator('.katex-display').count(), 1));
  const mathFont = await content.locator('.katex').first().evaluate((el) => getComputedStyle(el).fontFamily);
  assert.match(mathFont, /KaTeX_Main/);
  await page.evaluate(() => document.fonts.ready);
  await eventually(async () => assert.ok(await page.evaluate(() => document.fonts.check('16px KaTeX_Main')), 'the KaTeX font loaded'));
  // Raw HTML: the text, not elements; nothing ran.
  const text = (await content.textContent()) ?? '';
  assert.match(text, /<img src=x onerror="window.__xss=1;alert\(1\)">/);
  assert.match(text, /<script>window.__xss=2<\/script>/);
  assert.match(text, /<b>not bold<\/b>/);
  await eventually(async () => assert.equal(await content.locator('img, script, b').count(), 0));
  await eventually(async () => assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? null), null));
  assert.equal(dialogs, 0);
  // A user's own text is shown as written (no Markdown, no HTML).
  await eventually(async () => assert.equal(await lastOf('user').getByTestId('message-content').textContent(), 'Show me everything <i>and</i> $x$'));
  assert.deepEqual(cspErrors, [], 'no Content Security Policy violations');
  await shot('markdown');
});

test('search in Chinese and English: highlighted matches, the jump opens the branch and the message', async () => {
  const zh = await seed('机器学习笔记', [
    { id: 'q1', parentId: null, role: 'user', content: '什么是上下文窗口？' },
    { id: 'a1', parentId: 'q1', role: 'assistant', content: '上下文窗口是模型一次能看到的最大 token 数。超过上下文的内容会被略去。' },
    // Another answer on a branch that is not active: the jump must switch to it.
    { id: 'a2', parentId: 'q1', role: 'assistant', content: '另一个回答：长文档需要更大的上下文，比如 32K。' },
    { id: 'q2', parentId: 'a1', role: 'user', content: '谢谢，明白了。' },
  ], 'q2');
  await seed('Shopping list', [
    { id: 'q1', parentId: null, role: 'user', content: 'Apples and pears, 上下文 not here' },
    { id: 'a1', parentId: 'q1', role: 'assistant', content: 'Buy three apples.' },
  ]);
  await page.getByTestId('search-input').fill('上下文');
  await page.getByTestId('search-result').first().waitFor();
  const results = page.getByTestId('search-result');
  await eventually(async () => assert.equal(await results.count(), 4, 'the question, both answers and the other conversation'));
  const highlights = await page.getByTestId('search-highlight').allTextContents();
  assert.ok(highlights.length >= 5 && highlights.every((h) => h === '上下文'), `highlights: ${highlights.join(',')}`);
  await eventually(async () => assert.equal(await page.locator('[data-testid="search-result"] mark script').count(), 0));
  const titles = await page.getByTestId('search-result-title').allTextContents();
  assert.ok(titles.includes('机器学习笔记') && titles.includes('Shopping list'));
  await shot('search-chinese');

  // The answer on the inactive branch: the conversation opens on that branch, the message in view, highlighted.
  const target = results.filter({ hasText: '另一个回答' });
  const messageId = await target.getAttribute('data-message-id');
  await target.click();
  const found = page.locator(`[data-testid="message"][data-message-id="${messageId}"]`);
  await found.waitFor();
  await eventually(async () => assert.equal(await found.getAttribute('data-focused'), 'true'));
  await eventually(async () => assert.ok(await found.isVisible()));
  await eventually(async () => assert.equal(await page.getByTestId('conversation-title').textContent(), zh.title));
  await eventually(async () => assert.equal(await found.getByTestId('branch-position').textContent(), '2/2'));
  await shot('search-jump');

  // English, case-insensitive, two terms.
  await page.getByTestId('search-input').fill('buy APPLES');
  await page.getByTestId('search-result').filter({ hasText: 'Buy three apples.' }).waitFor();
  await eventually(async () => assert.deepEqual(await page.getByTestId('search-result').first().getByTestId('search-highlight').allTextContents(), ['Buy', 'apples']));
  await page.getByTestId('search-input').fill('zzzz-nothing');
  await page.getByTestId('search-summary').filter({ hasText: 'Nothing found' }).waitFor();
  await page.getByTestId('search-clear').click();
  await page.getByTestId('conversation-list').waitFor();
});

test('export to Markdown and JSON, import the JSON back: the same messages; a bad file is refused plainly', async () => {
  // The conversation with branches from the tests above.
  const branched = (await call('conversations.list', {})).find((c) => c.title.startsWith('Hello'))!;
  await conversationRow(branched.id).getByTestId('open-conversation').click();
  await page.locator(`[data-testid="conversation-item"][data-conversation-id="${branched.id}"][data-current="true"]`).waitFor();

  const [md] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-markdown').click()]);
  assert.match(md.suggestedFilename(), /\.md$/);
  const markdown = fs.readFileSync((await md.path())!, 'utf8');
  assert.match(markdown, /^# Hello/);
  assert.match(markdown, /Hello again, edited/);

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  assert.match(json.suggestedFilename(), /\.json$/);
  const file = path.join(os.tmpdir(), `chat-export-${Date.now()}.json`);
  await json.saveAs(file);
  const exported = JSON.parse(fs.readFileSync(file, 'utf8')) as { messages: Array<{ role: string; content: string }> };
  assert.equal(exported.messages.length, 5, 'every branch is in the JSON (two questions, three answers)');

  const countBefore = (await call('conversations.list', {})).length;
  await page.getByTestId('import-json-file').setInputFiles(file);
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="conversation-scroll"]')?.getAttribute('data-count')) === n + 1, countBefore);
  const imported = (await call('conversations.list', {})).find((c) => c.id !== branched.id && c.title === branched.title)!;
  assert.ok(imported, 'a new conversation with the same title');
  await page.locator(`[data-testid="conversation-item"][data-conversation-id="${imported.id}"][data-current="true"]`).waitFor();
  const again = JSON.parse((await call('conversations.export', { id: imported.id, format: 'json' })).content) as typeof exported;
  const shape = (list: typeof exported.messages) => list.map((m) => `${m.role}:${m.content}`);
  assert.deepEqual(shape(again.messages), shape(exported.messages), 'the same messages, every branch');
  // The same branch is on screen.
  await eventually(async () => assert.equal(await lastOf('user').textContent().then((t) => /Hello again, edited/.test(t ?? '')), true));

  const bad = path.join(os.tmpdir(), `not-an-export-${Date.now()}.json`);
  fs.writeFileSync(bad, '{"hello": "world"}');
  await page.getByTestId('import-json-file').setInputFiles(bad);
  const error = page.getByTestId('import-error');
  await error.waitFor();
  await eventually(async () => assert.match((await error.textContent()) ?? '', /Import failed: .*not a Qwen2 Desk conversation export/));
  await shot('import-error');
  assert.equal((await call('conversations.list', {})).length, countBefore + 1, 'the bad file changed nothing');
});

test('pin a conversation: it goes first and stays there', async () => {
  const rows = page.getByTestId('conversation-item');
  const last = rows.last();
  const id = (await last.getAttribute('data-conversation-id'))!;
  await last.hover();
  await last.getByTestId('pin-conversation').click();
  await page.locator(`[data-testid="conversation-item"][data-pinned="true"][data-conversation-id="${id}"]`).waitFor();
  await eventually(async () => assert.equal(await rows.first().getAttribute('data-conversation-id'), id));
  assert.equal((await call('conversations.list', {}))[0]!.id, id);
  await shot('pinned');
  await page.reload();
  await page.locator(`[data-testid="conversation-item"][data-pinned="true"][data-conversation-id="${id}"]`).waitFor();
  await eventually(async () => assert.equal(await rows.first().getAttribute('data-conversation-id'), id));
});

test('context overflow: a marker says how many earlier messages were left out', async () => {
  const model = (await call('models.list', {})).find((m) => m.path === app.modelPath)!;
  await call('models.update', { id: model.id, defaults: { contextSize: 512, sampling: { maxTokens: 8, temperature: 0 } } });
  try {
    await page.getByTestId('new-conversation').click();
    const words = (n: number, w: string) => `${w}${` ${w}`.repeat(n - 1)}`;
    for (const w of ['apple', 'pear', 'plum', 'fig']) await sendText(words(120, w));
    const marker = lastOf('assistant').getByTestId('overflow-marker');
    await marker.waitFor();
    await eventually(async () => assert.match((await marker.textContent()) ?? '', /^6 earlier messages no longer fit in the 512-token context and were left out/));
    await eventually(async () => assert.equal(await page.getByTestId('overflow-marker').count(), 1, 'only on the answer where it happened'));
    await eventually(async () => assert.equal(await page.getByTestId('context-meter').getAttribute('data-size'), '512'));
    await shot('overflow');
  } finally {
    await call('models.update', { id: model.id, defaults: {} });
  }
  assert.deepEqual(pageErrors, []);
});

test('scale: a 10,000-message conversation and 5,000 conversations stay virtual and quick', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-e2e-scale-'));
  const store = openStore(path.join(dataDir, 'qwen2-desk.sqlite'));
  let longId = '';
  store.db.transaction(() => {
    for (let i = 0; i < 5000; i++) {
      const c = store.conversations.create(`Conversation ${i}`, 1_000_000 + i);
      store.messages.insert({ conversationId: c.id, role: 'user', content: `question ${i}` });
    }
    const long = store.conversations.create('Long conversation', Date.now());
    longId = long.id;
    for (let i = 0; i < 10_000; i++) {
      const role = i % 2 ? 'assistant' : 'user';
      const content = i % 7 === 0 ? `message ${i}\n\n- a list item\n- and **another**\n\n\`\`\`js\nconst x = ${i};\n\`\`\`` : `message ${i}`;
      store.messages.insert({ conversationId: long.id, role, content, status: 'done', createdAt: 2_000_000 + i });
    }
  })();
  store.close();
  const big = await startTestApp({ dataDir });
  const p = await context.newPage();
  try {
    let started = performance.now();
    await openPage(p, big.host.url);
    await p.locator('[data-testid="message"]', { hasText: 'message 9999' }).waitFor({ timeout: 30_000 });
    const firstScreen = performance.now() - started;
    console.log(`10,000 messages, 5,001 conversations: first screen in ${firstScreen.toFixed(0)} ms (page load to the newest message)`);
    await eventually(async () => assert.equal(await p.locator('[data-testid="conversation-item"][data-current="true"]').getAttribute('data-conversation-id'), longId));

    const inDom = () => p.getByTestId('message').count();
    const loaded = async () => Number(await p.getByTestId('message-list').getAttribute('data-count'));
    await eventually(async () => assert.ok((await inDom()) < 40, `only a window of messages is in the DOM (${await inDom()})`));
    await eventually(async () => assert.equal(await loaded(), 100, 'one page read'));
    const sidebarRows = await p.getByTestId('conversation-item').count();
    assert.ok(sidebarRows < 80, `only a window of conversations is in the DOM (${sidebarRows})`);
    await shot('scale-first-screen', p);

    // Scrolling up reads older pages and keeps the view in place.
    started = performance.now();
    for (let i = 0; i < 6; i++) {
      const before = await loaded();
      await p.getByTestId('message-list').evaluate((el) => el.scrollBy(0, -el.scrollTop));
      await p.waitForFunction((n) => Number(document.querySelector('[data-testid="message-list"]')?.getAttribute('data-count')) > n, before);
    }
    console.log(`6 older pages read while scrolling up in ${(performance.now() - started).toFixed(0)} ms`);
    await eventually(async () => assert.equal(await loaded(), 700));
    await eventually(async () => assert.ok((await inDom()) < 40, `still a window (${await inDom()})`));
    const top = await p.getByTestId('message').first().textContent();
    assert.match(top ?? '', /message (9[0-3]\d\d)/, `the view stays near where it was: ${top}`);
    await shot('scale-scrolled-up', p);

    // The sidebar scrolls to its end quickly: the oldest conversation is there.
    started = performance.now();
    await p.getByTestId('conversation-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await p.getByTestId('open-conversation').filter({ hasText: /^Conversation 0$/ }).waitFor();
    console.log(`sidebar scrolled through 5,001 conversations in ${(performance.now() - started).toFixed(0)} ms`);
    await eventually(async () => assert.ok((await p.getByTestId('conversation-item').count()) < 80));
    await shot('scale-sidebar-end', p);
  } finally {
    await p.close();
    await big.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('no console errors or uncaught exceptions on any page during this file', () => {
  assertNoConsoleErrors(browser);
});
