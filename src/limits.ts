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

/** A lookup inside an activity (./activities/retry-lookup.ts) retries its own faults: soon at first, at most
 * every 2 s, and stops this long before the attempt's timeout, leaving room for one quick request. */
export const LOOKUP_RETRY = { initialMs: 200, maximumMs: 2_000, marginMs: 3_000 } as const;

/** A spec's `options` when it gives none: 200 rows a page (one page workflow each), 20 rows in flight (one
 * per connection). */
export const DEFAULT_SPEC_OPTIONS = {
  pageSize: 200,
  concurrency: CHARTMOGUL_LIMITS.maxConnections,
  nulls: 'skip',
  dryRun: false,
  fullRefresh: false,
  incremental: true,
  invoiceChanges: 'fail',
} as const;

/** Temporal refuses a payload over 2 MB and warns from 512 KB. The rows of one page (the read activity's
 * result, the page workflows' inputs) take at most this much as JSON, so every payload stays well under the
 * warning, encrypted or not (encryption adds tens of bytes); a row that cannot fit on its own is rejected. */
export const MAX_PAGE_BYTES = 256 * 1024;

/** Once rows come back unchanged, the read activity reads the source this many rows at a time (a page of
 * rows to send is still at most `pageSize`): unchanged rows never travel, so reading many is cheap. */
export const SCAN_CHUNK_ROWS = 5_000;

/** The read activity hands on what it has at least this often, so progress moves and a pause is heard. */
export const SCAN_MAX_MS = 10_000;

/** A sync run continues as new once its pages carried this many bytes through its history (read results and
 * page inputs), far below Temporal's 50 MB limit and its 10 MB warning. */
export const RUN_HISTORY_BYTES = 2 * 1024 * 1024;

/** Connections each process keeps to a Postgres state store (its writes are short and batched). */
export const POSTGRES_POOL_SIZE = 4;

/** Rows `validate` reads at a time (it sends nothing, so it can read more than a sync page). */
export const VALIDATE_BATCH_ROWS = 1000;
