// Finds a stop text in streamed chunks without ever showing part of it: a chunk's tail that could
// be the start of the stop text is held back until the next chunk decides.
export class StopTextFilter {
  private held = '';

  constructor(private readonly stop: string) {}

  /** The text that may be shown now, and whether the stop text was found (nothing after it is shown). */
  push(chunk: string): { text: string; stopped: boolean } {
    const all = this.held + chunk;
    const at = all.indexOf(this.stop);
    if (at >= 0) {
      this.held = '';
      return { text: all.slice(0, at), stopped: true };
    }
    const keep = this.partialTail(all);
    this.held = all.slice(all.length - keep);
    return { text: all.slice(0, all.length - keep), stopped: false };
  }

  /** What is still held back, once the answer ended without the stop text. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  /** Length of the longest tail of `text` that is a proper prefix of the stop text. */
  private partialTail(text: string): number {
    for (let n = Math.min(this.stop.length - 1, text.length); n > 0; n--) {
      if (this.stop.startsWith(text.slice(text.length - n))) return n;
    }
    return 0;
  }
}
