// Scrolling an element into view inside its own scroll container only. Element.scrollIntoView moves
// every scrollable ancestor up to the window, which must never scroll (the app's frame would move).

/** The nearest ancestor of `el` that scrolls vertically. */
export function scrollContainerOf(el: Element): HTMLElement | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const overflow = getComputedStyle(p).overflowY;
    if (overflow === 'auto' || overflow === 'scroll') return p;
  }
  return null;
}

/** Puts the top of `el` at the top of its scroll container (less its scroll-margin-top). */
export function scrollToTopOfContainer(el: HTMLElement, behavior: ScrollBehavior = 'auto'): void {
  const box = scrollContainerOf(el);
  if (!box) return;
  const margin = parseFloat(getComputedStyle(el).scrollMarginTop) || 0;
  const top = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - margin;
  box.scrollTo({ top: Math.max(0, top), behavior });
}
