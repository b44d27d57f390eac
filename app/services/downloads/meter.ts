// Download speed averaged over the last few seconds, and the time left at that speed.

export class SpeedMeter {
  private samples: Array<{ t: number; bytes: number }> = [];

  constructor(private readonly windowMs = 3000) {}

  /** Records the total bytes received at time `t` (ms). */
  add(bytes: number, t: number = Date.now()): void {
    this.samples.push({ t, bytes });
    // Keep one sample older than the window, so the average spans the whole window.
    while (this.samples.length > 2 && this.samples[1]!.t <= t - this.windowMs) this.samples.shift();
  }

  /** Clears the history (after a pause, or a restart from 0). */
  reset(): void {
    this.samples = [];
  }

  bytesPerSecond(t: number = Date.now()): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last === first) return 0;
    // A stall shows as a falling speed: the window ends now, not at the last sample.
    const span = Math.max(t, last.t) - first.t;
    return span > 0 ? Math.round(((last.bytes - first.bytes) * 1000) / span) : 0;
  }

  etaSeconds(received: number, total: number | null, t: number = Date.now()): number | null {
    const speed = this.bytesPerSecond(t);
    if (total === null || speed <= 0) return null;
    return Math.max(0, Math.ceil((total - received) / speed));
  }
}
