// Checks of the window's layout for the e2e tests: the app's frame at the top, elements cut off at
// the sides, conditions polled until they hold.
import type { Page } from 'playwright-core';

/** Polls `check` until it stops throwing (the last error is rethrown after `timeoutMs`). */
export async function until(check: () => Promise<void> | void, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Where the app's root is: its top on the viewport, and how far the document itself is scrolled. */
export function rootPosition(page: Page): Promise<{ top: number; scrollTop: number; scrollLeft: number }> {
  return page.evaluate(() => ({
    top: document.querySelector('[data-testid="app"]')!.getBoundingClientRect().top,
    scrollTop: document.scrollingElement!.scrollTop,
    scrollLeft: document.scrollingElement!.scrollLeft,
  }));
}

/**
 * The visible elements that stick out of the viewport at the left or the right, except inside a
 * container that scrolls sideways on purpose (code blocks, tables). One line each, for the message.
 */
export function cutOffSideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    // No named helpers in here: the test's transpiler would wrap them in a function the page lacks.
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.clipPath === 'inset(50%)') continue;
      if (r.left >= -0.5 && r.right <= width + 0.5) continue;
      let scrollsSideways = false;
      for (let p = el.parentElement; p && !scrollsSideways; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        scrollsSideways = o === 'auto' || o === 'scroll';
      }
      if (scrollsSideways) continue;
      const id = el.getAttribute('data-testid') ?? el.className.toString();
      out.push(`<${el.tagName.toLowerCase()} ${id}> ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
    }
    if (document.scrollingElement!.scrollWidth > width) out.push(`the document is ${document.scrollingElement!.scrollWidth}px wide`);
    return out;
  });
}

/** A conversation export (the import format): alternating questions and answers, short answers from here on. */
export function conversationFile(title: string, contents: string[], settings: object = { sampling: { maxTokens: 16 } }): string {
  const now = Date.now();
  return JSON.stringify({
    format: 'qwen2-desk.conversation',
    version: 1,
    exportedAt: now,
    conversation: { title, createdAt: now, updatedAt: now, pinned: false, settings, activeLeafId: `m${contents.length - 1}` },
    messages: contents.map((content, i) => ({
      id: `m${i}`,
      parentId: i ? `m${i - 1}` : null,
      role: i % 2 ? 'assistant' : 'user',
      content,
      status: 'done',
      error: null,
      model: i % 2 ? 'seeded' : null,
      createdAt: now - (contents.length - i) * 1000,
      stats: null,
      droppedMessages: 0,
      sampling: null,
    })),
  });
}
