// Fault injection: which answer a request gets instead of the real one, decided reproducibly from a seed.

import { seededRandom } from './random';

/** Rates between 0 and 1. `reset` drops the connection before the request is handled; `lost` applies a
 * write and then loses the answer (a 500 or a dropped connection, half and half). */
export interface FaultRates {
  429?: number;
  500?: number;
  502?: number;
  503?: number;
  reset?: number;
  lost?: number;
}

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'status'; status: 429 | 500 | 502 | 503 }
  | { kind: 'reset' }
  /** `hang` (scripted only): the answer never comes; the connection stays open until the client goes. */
  | { kind: 'lost'; answer: 'status500' | 'reset' | 'hang' };

export interface Latency {
  minMs: number;
  maxMs: number;
}

const FAULT_KEYS = ['429', '500', '502', '503', 'reset', 'lost'] as const;
type FaultKey = (typeof FAULT_KEYS)[number];

/** Parses `429=0.2,500=0.05,reset=0.01,lost=0.05` (a rate may also be written as a percentage: `20%`). */
export function parseFaultSpec(spec: string): FaultRates {
  const rates: FaultRates = {};
  for (const part of spec
    .split(',')
    .map((piece) => piece.trim())
    .filter(Boolean)) {
    const [rawKey, rawValue] = part.split(/[=:]/);
    const key = rawKey?.trim() as FaultKey | undefined;
    if (!key || !FAULT_KEYS.includes(key) || rawValue === undefined) {
      throw new Error(
        `bad fault "${part}": expected KEY=RATE with KEY one of ${FAULT_KEYS.join(', ')} (e.g. 429=0.2,lost=0.05)`,
      );
    }
    const text = rawValue.trim();
    const rate = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
    if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
      throw new Error(`bad fault rate "${text}" for ${key}: expected a number from 0 to 1, or a percentage`);
    }
    rates[key] = rate;
  }
  const preHandlerTotal =
    (rates[429] ?? 0) + (rates[500] ?? 0) + (rates[502] ?? 0) + (rates[503] ?? 0) + (rates.reset ?? 0);
  if (preHandlerTotal > 1)
    throw new Error(`fault rates 429+500+502+503+reset add up to ${preHandlerTotal}, more than 1`);
  return rates;
}

/** Parses `50-150` (milliseconds) or a single number. */
export function parseLatency(spec: string): Latency {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(spec);
  if (!match) throw new Error(`bad latency "${spec}": expected MIN-MAX in milliseconds, e.g. 50-150`);
  const minMs = Number(match[1]);
  const maxMs = match[2] === undefined ? minMs : Number(match[2]);
  if (maxMs < minMs) throw new Error(`bad latency "${spec}": MAX is below MIN`);
  return { minMs, maxMs };
}

/** Draws the same number of random values for every request, so that the same seed and the same
 * sequence of requests always give the same faults, whatever the faults turn out to be. */
export class FaultInjector {
  private readonly random: () => number;
  private readonly latencyRandom: () => number;

  constructor(
    private rates: FaultRates,
    private latency: Latency | undefined,
    seed: number,
  ) {
    this.random = seededRandom(seed);
    this.latencyRandom = seededRandom(seed ^ 0x5bd1e995);
  }

  configure(rates: FaultRates | undefined, latency: Latency | undefined): void {
    if (rates) this.rates = rates;
    this.latency = latency ?? this.latency;
  }

  decide(isWrite: boolean): FaultDecision {
    const pick = this.random();
    const lostDraw = this.random();
    const lostAnswer = this.random();
    let threshold = 0;
    for (const status of [429, 500, 502, 503] as const) {
      threshold += this.rates[status] ?? 0;
      if (pick < threshold) return { kind: 'status', status };
    }
    threshold += this.rates.reset ?? 0;
    if (pick < threshold) return { kind: 'reset' };
    if (isWrite && lostDraw < (this.rates.lost ?? 0)) {
      return { kind: 'lost', answer: lostAnswer < 0.5 ? 'status500' : 'reset' };
    }
    return { kind: 'none' };
  }

  latencyMs(): number {
    if (!this.latency) return 0;
    const { minMs, maxMs } = this.latency;
    return minMs + Math.floor(this.latencyRandom() * (maxMs - minMs + 1));
  }
}

/** A fault given on purpose to the next requests of one route (tests: "lose this import's answer, then fault
 * its next 25 lookups"), before any drawn at random. `query`: only requests whose query has these values. */
export interface ScriptedFault {
  /** `METHOD /path/template`, as the emulator's counters name routes (`GET /v1/invoices`). */
  route: string;
  query?: Record<string, string>;
  /** `{ kind: 'none' }`: answered as usual (to let a request through before the faults that follow). */
  fault: FaultDecision;
  /** How many matching requests get it (default 1). */
  times?: number;
}

/** The scripted faults still to give, in order; each request takes the first rule it matches. */
export class FaultScript {
  private rules: (ScriptedFault & { left: number })[] = [];

  add(rules: ScriptedFault[]): void {
    this.rules.push(...rules.map((rule) => ({ ...rule, left: rule.times ?? 1 })));
  }

  take(route: string, query: URLSearchParams): FaultDecision | undefined {
    const rule = this.rules.find(
      (candidate) =>
        candidate.route === route &&
        Object.entries(candidate.query ?? {}).every(([name, value]) => query.get(name) === value),
    );
    if (!rule) return undefined;
    rule.left -= 1;
    if (rule.left <= 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
    return rule.fault;
  }

  clear(): void {
    this.rules = [];
  }
}
