// Every limit and default in one place, each with why: ChartMogul's documented limits, the pace and sizes
// derived from them, and timeouts that must agree with each other. Pure data (workflows import it too);
// what comes from the environment is read in ./config.ts.

/** ChartMogul's limits per account (docs: rate limits; lists: `per_page` at most 200). */
export const CHARTMOGUL_LIMITS = { requestsPerSecond: 40, maxConnections: 20, maxPerPage: 200 } as const;

/** The pace a sync keeps by default: 38 of the 40 requests/s (pacing is strict, evenly spaced, so the margin
 * can be small), and every one of the 20 connections. */
export const DEFAULT_PACE = { requestsPerSecond: 38, maxConnections: CHARTMOGUL_LIMITS.maxConnections } as const;

/** A listing (prefetch, a customer's contacts) asks for the most ChartMogul gives per request. */
export const LIST_PAGE_SIZE = CHARTMOGUL_LIMITS.maxPerPage;

/** One ChartMogul request may take this long (headers and body) before it is retried. */
export const HTTP_TIMEOUT_MS = 20_000;

/** One api activity attempt: its turn in the account's pace plus one request (HTTP_TIMEOUT_MS), with margin. */
export const API_ATTEMPT_TIMEOUT = '30 seconds';

/** A spec's `options` when it gives none: 200 rows a page (one page workflow each), 20 rows in flight (one
 * per connection). */
export const DEFAULT_SPEC_OPTIONS = {
  pageSize: 200,
  concurrency: CHARTMOGUL_LIMITS.maxConnections,
  nulls: 'skip',
  dryRun: false,
  fullRefresh: false,
  incremental: true,
} as const;

/** Connections each process keeps to a Postgres state store (its writes are short and batched). */
export const POSTGRES_POOL_SIZE = 4;

/** Rows `validate` reads at a time (it sends nothing, so it can read more than a sync page). */
export const VALIDATE_BATCH_ROWS = 1000;
