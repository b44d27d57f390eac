// The full-disk note in real Chromium against the real host and core with its data folder on a real
// tmpfs: it appears when a write finds the disk full and goes once there is room again; after a start
// on a full disk it says history is read-only (in English and in Chinese) while history is shown.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startHost, type Host } from '../../main/host/server.js';
import { projectRoot } from '../../main/host/serve.js';
import { assertNoConsoleErrors, expectConsoleErrors, launchChromium } from '../helpers/browser.js';
import { mountSmallDisk, startDiskCore, type DiskCore, type SmallDisk } from '../helpers/full-disk.js';
import { eventually } from '../helpers/eventually.js';

const rendererDir = path.join(projectRoot, 'dist', 'renderer');
let disk: SmallDisk | null = null;
let app: DiskCore | null = null;
let host: Host | null = null;
let browser: Browser | null = null;
after(async () => {
  await browser?.close();
  await host?.close();
  await app?.core.close();
  disk?.unmount();
});

/** The same port and token each time, so that the page reconnects to the restarted app. */
let address: { port?: number; token?: string } = {};
async function start(dataDir: string): Promise<void> {
  app = await startDiskCore(dataDir, { disk: { reserveBytes: 1024 * 1024, pollMs: 100 } });
  host = await startHost({ core: app.core, rendererDir, ...address });
  address = { port: host.port, token: host.token };
}
async function stop(): Promise<void> {
  await host?.close();
  await app?.core.close();
  host = null;
  app = null;
}

test('the full-disk note comes and goes with the disk, and says read-only after a start on a full disk', { timeout: 180_000 }, async (t) => {
  disk = mountSmallDisk(t, '16m');
  if (!disk) return;
  const dataDir = path.join(disk.dir, 'data');
  await start(dataDir);
  const c = await app!.call('conversations.create', {});
  await app!.call('conversations.rename', { id: c.id, title: 'Harbour plans' });

  browser = await launchChromium();
  // The app is restarted under the page on purpose: its reconnect attempts fail until it is back.
  expectConsoleErrors(browser, /WebSocket connection to .* failed: .*ERR_CONNECTION_REFUSED/);
  const english = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await english.goto(host!.url);
  await english.getByText('Harbour plans').first().waitFor();
  const note = english.locator('[data-testid="disk-full"]');
  await eventually(async () => assert.equal(await note.count(), 0));

  disk.fill();
  assert.match(await app!.failure('conversations.rename', { id: c.id, title: 'Renamed' }), /^failed: The disk is full: nothing new can be saved/);
  await note.waitFor();
  await eventually(async () => assert.match(await note.innerText(), /^The disk is full: nothing new can be saved\. Free some space/));
  disk.free();
  await note.waitFor({ state: 'detached' });
  await stop();

  // Full at start with no reserve left (the first start releases it, the second finds none): read-only.
  disk.fill();
  await start(dataDir);
  await stop();
  disk.fill();
  await start(dataDir);
  await english.goto(host!.url);
  await english.getByText('Harbour plans').first().waitFor();
  await note.waitFor();
  await eventually(async () => assert.match(await note.innerText(), /History is shown read-only/));
  const chinese = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await chinese.goto(host!.url);
  await chinese.locator('[data-testid="disk-full"]').waitFor();
  await eventually(async () => assert.match(await chinese.locator('[data-testid="disk-full"]').innerText(), /^磁盘已满：无法保存任何新内容。历史记录以只读方式显示/));
});

test('no console errors or uncaught exceptions on any page during this file', () => {
  assertNoConsoleErrors(browser);
});
