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

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium).`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  if (slowdown > 1) {
    const newContext = browser.newContext.bind(browser);
    browser.newContext = async (...args) => {
      const context = await newContext(...args);
      const newPage = context.newPage.bind(context);
      context.newPage = async () => {
        const page = await newPage();
        await throttle(page);
        return page;
      };
      return context;
    };
  }
  return browser;
}
