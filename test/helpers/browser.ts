// Debian's Chromium driven by playwright-core (no browser download: `npx playwright install`
// cannot work on these machines).
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * QWEN2_DESK_E2E_CPU_SLOWDOWN=N runs every page's JavaScript N times slower (Chromium's CPU
 * throttling), the way a busy machine does: a test that reads the page before it has updated fails
 * this way on any machine, not only under load.
 */
const slowdown = Number(process.env.QWEN2_DESK_E2E_CPU_SLOWDOWN ?? 0);

async function throttle(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
}

/** Console errors and uncaught page errors seen on a browser's pages, and the ones a test expects. */
interface PageErrors {
  seen: string[];
  expected: RegExp[];
}
const errorsOf = new WeakMap<Browser, PageErrors>();

/** Errors a test provokes on purpose (a refused upload logs "Failed to load resource: ... 413"). */
export function expectConsoleErrors(browser: Browser, ...patterns: RegExp[]): void {
  errorsOf.get(browser)?.expected.push(...patterns);
}

/** Fails with the list of console errors and uncaught exceptions seen so far that no test expected. */
export function assertNoConsoleErrors(browser: Browser | null | undefined): void {
  const errors = browser && errorsOf.get(browser);
  if (!errors) throw new Error('no browser was started by launchChromium');
  const unexpected = errors.seen.filter((e) => !errors.expected.some((p) => p.test(e)));
  if (unexpected.length) throw new Error(`the pages logged ${unexpected.length} console error(s):\n${unexpected.slice(0, 20).join('\n')}`);
}

/**
 * Every page of the browser is watched for console errors (a CSP violation among them) and uncaught
 * exceptions; each e2e file ends with a test that calls assertNoConsoleErrors.
 */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium).`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const errors: PageErrors = { seen: [], expected: [] };
  errorsOf.set(browser, errors);
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    context.on('page', (page) => {
      page.on('console', (m) => {
        if (m.type() === 'error') errors.seen.push(`console: ${m.text()} (${page.url()})`);
      });
      page.on('pageerror', (e) => errors.seen.push(`uncaught: ${e.message} (${page.url()})`));
    });
    if (slowdown > 1) {
      const newPage = context.newPage.bind(context);
      context.newPage = async () => {
        const page = await newPage();
        await throttle(page);
        return page;
      };
    }
    return context;
  };
  return browser;
}
