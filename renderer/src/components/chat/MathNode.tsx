// One formula, rendered by KaTeX straight into the DOM: KaTeX sets its styles through the CSSOM,
// which the strict CSP (style-src 'self') allows, where parsing its HTML (style attributes) is
// blocked. `trust` stays off: no \href, \url, \includegraphics or \html… commands.
import { useLayoutEffect, useRef } from 'react';
import katex from 'katex';
import 'katex/dist/katex.min.css';

/**
 * Runs `work` (synchronous) with setAttribute('style', …) applied through the CSSOM instead. A few
 * KaTeX outputs (an error's colour, \fcolorbox's border and \pmb's shadow in MathML) set a style
 * attribute, which the CSP blocks with a console error; the same declarations through
 * element.style are allowed.
 */
function withStylesThroughCssom<T>(work: () => T): T {
  const original = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
    if (name.toLowerCase() === 'style' && 'style' in this) {
      (this as HTMLElement).style.cssText = value;
      return;
    }
    original.call(this, name, value);
  };
  try {
    return work();
  } finally {
    Element.prototype.setAttribute = original;
  }
}

export function MathNode({ tex, display }: { tex: string; display: boolean }) {
  const host = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    try {
      withStylesThroughCssom(() =>
        katex.render(tex, el, { displayMode: display, throwOnError: false, strict: 'ignore', output: 'htmlAndMathml', trust: false, maxExpand: 1000 }),
      );
    } catch {
      // throwOnError is off; anything else still leaves the source readable.
      el.textContent = tex;
    }
  }, [tex, display]);
  return <span ref={host} className={display ? 'math math-display' : 'math math-inline'} data-testid="math" />;
}
