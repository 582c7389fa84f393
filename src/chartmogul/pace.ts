// How requests to one ChartMogul account take turns: at most N requests per second, evenly spaced, and at
// most M in flight. `LocalPace` holds within one process; the shared pace (src/state/shared-pace.ts) holds
// across every process that shares the state store, which is what an account's limits need.

import type { PaceLimits } from '../limits';

export interface AccountPace {
  /** Waits for a turn to send one request; answers the release to call once its answer has arrived. */
  acquire(): Promise<() => void>;
}

/** Within one process: a strict spacing of requests (no burst) and a bound on requests in flight. */
export class LocalPace implements AccountPace {
  private nextSlot = 0;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limits: PaceLimits) {}

  async acquire(): Promise<() => void> {
    // A release hands its place straight to the next in line, so no newcomer can slip in between.
    if (this.limits.maxConnections > 0 && this.inFlight >= this.limits.maxConnections) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.inFlight += 1;
    }
    if (this.limits.requestsPerSecond > 0) {
      const now = Date.now();
      const slot = Math.max(now, this.nextSlot);
      this.nextSlot = slot + 1000 / this.limits.requestsPerSecond;
      if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight -= 1;
    };
  }
}
