// A per-process pace limiter: requests are spaced evenly, so a process never bursts past its rate.

export class PaceLimiter {
  private nextSlot = 0;

  /** `perSecond` of 0 or less switches pacing off. */
  constructor(private readonly perSecond: number) {}

  /** Resolves when the caller may send its request. */
  async take(): Promise<void> {
    if (this.perSecond <= 0) return;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / this.perSecond;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}
