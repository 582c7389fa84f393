// Counters the emulator keeps for tests and benchmarks, served at /_emulator/stats.

/** Requests seen in a sliding one-second window; keeps its peak. */
export class SlidingWindow {
  private readonly times: number[] = [];
  peak = 0;

  /** Counts the requests within the last second, without adding one. */
  count(now: number): number {
    while (this.times.length > 0 && (this.times[0] ?? 0) <= now - 1000) this.times.shift();
    return this.times.length;
  }

  add(now: number): void {
    this.count(now);
    this.times.push(now);
    this.peak = Math.max(this.peak, this.times.length);
  }

  clear(): void {
    this.times.length = 0;
    this.peak = 0;
  }
}

export interface StatsSnapshot {
  /** Every /v1 request, whatever its answer. */
  total: number;
  /** `"GET /v1/customers": {"200": 3, "429": 1}`; a dropped connection counts as status `dropped`. */
  byRoute: Record<string, Record<string, number>>;
  byStatus: Record<string, number>;
  /** The most requests that arrived within any one second. */
  peakRequestsPerSecond: number;
  /** The most requests being handled at the same time. */
  peakInFlight: number;
  inFlight: number;
  /** Answers the limits gave: `rateLimited` (429) and `tooManyConnections` (503). */
  rateLimited: number;
  tooManyConnections: number;
  /** Injected faults by kind: 429, 500, 502, 503, reset, lostStatus500, lostReset, lostHang. */
  faults: Record<string, number>;
  /** When the first and last /v1 requests arrived (ms since the epoch), for rates over a run. */
  firstRequestAt: number | null;
  lastRequestAt: number | null;
  /** The longest time between two requests in a row (ms): how long a sync stalled. */
  longestGapMs: number;
}

export class EmulatorStats {
  private snapshotData: StatsSnapshot = EmulatorStats.empty();
  readonly arrivals = new SlidingWindow();

  private static empty(): StatsSnapshot {
    return {
      total: 0,
      byRoute: {},
      byStatus: {},
      peakRequestsPerSecond: 0,
      peakInFlight: 0,
      inFlight: 0,
      rateLimited: 0,
      tooManyConnections: 0,
      faults: {},
      firstRequestAt: null,
      lastRequestAt: null,
      longestGapMs: 0,
    };
  }

  arrived(now: number, inFlight: number): void {
    const data = this.snapshotData;
    data.total += 1;
    data.firstRequestAt ??= now;
    if (data.lastRequestAt !== null) data.longestGapMs = Math.max(data.longestGapMs, now - data.lastRequestAt);
    data.lastRequestAt = now;
    this.arrivals.add(now);
    data.peakInFlight = Math.max(data.peakInFlight, inFlight);
  }

  answered(route: string, status: number | 'dropped'): void {
    const perRoute = (this.snapshotData.byRoute[route] ??= {});
    perRoute[status] = (perRoute[status] ?? 0) + 1;
    this.snapshotData.byStatus[status] = (this.snapshotData.byStatus[status] ?? 0) + 1;
  }

  limited(kind: 'rateLimited' | 'tooManyConnections'): void {
    this.snapshotData[kind] += 1;
  }

  fault(kind: string): void {
    this.snapshotData.faults[kind] = (this.snapshotData.faults[kind] ?? 0) + 1;
  }

  snapshot(inFlight: number): StatsSnapshot {
    return structuredClone({ ...this.snapshotData, inFlight, peakRequestsPerSecond: this.arrivals.peak });
  }

  reset(): void {
    this.snapshotData = EmulatorStats.empty();
    this.arrivals.clear();
  }
}
