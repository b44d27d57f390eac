// Progress reports at most every `intervalMs`, so that reporting costs nothing per token or per
// batch: the first and the last report (done = total) always go out, the ones between only when
// `intervalMs` has passed since the last one sent.
export class ProgressThrottle {
  private lastSent = -Infinity;
  private startedAt: number | null = null;
  private finished = false;

  constructor(
    private readonly send: (done: number, total: number, etaMs: number | null) => void,
    private readonly intervalMs = 150,
  ) {}

  report(done: number, total: number): void {
    const now = performance.now();
    if (this.startedAt === null) this.startedAt = now;
    const last = done >= total;
    if (this.finished) return;
    if (!last && this.lastSent !== -Infinity && now - this.lastSent < this.intervalMs) return;
    this.lastSent = now;
    this.finished = last;
    this.send(done, total, etaOf(done, total, now - this.startedAt));
  }
}

/** The time left at the speed measured so far; null before anything was measured. */
export function etaOf(done: number, total: number, elapsedMs: number): number | null {
  if (done >= total) return 0;
  if (done <= 0 || elapsedMs <= 0) return null;
  return Math.round((elapsedMs / done) * (total - done));
}
