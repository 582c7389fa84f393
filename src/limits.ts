// Every limit and default in one place, each with why: ChartMogul's documented limits, the pace and sizes
// derived from them, and timeouts that must agree with each other. Pure data (workflows import it too);
// what comes from the environment is read in ./config.ts.

/** ChartMogul's limits per account (docs: rate limits; lists: `per_page` at most 200; a bulk import's body at
 * most 5 MB). */
export const CHARTMOGUL_LIMITS = {
  requestsPerSecond: 40,
  maxConnections: 20,
  maxPerPage: 200,
  maxBulkBytes: 5 * 1024 * 1024,
} as const;

/** How requests to one account take turns: the one shape of a pace, for workers, clients and the shared pace. */
export interface PaceLimits {
  /** Requests per second (0 or less: no pacing). */
  requestsPerSecond: number;
  /** Requests in flight at once (0 or less: no bound). */
  maxConnections: number;
}

/** The pace a sync keeps by default: 37 of the 40 requests/s, and every one of the 20 connections. Pacing is
 * strict and evenly spaced, so the margin can be small, but not smaller: at 38, one second's window can hold 39
 * turns at its edges, and a receiver that reads two requests late by a few tens of ms (a busy machine; on the
 * real API, the network) counts 41 and answers 429 (seen in CI, 2026-12-04). Everything that paces requests
 * defaults to it. */
export const DEFAULT_PACE: PaceLimits = { requestsPerSecond: 37, maxConnections: CHARTMOGUL_LIMITS.maxConnections };

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
  invoiceChanges: 'auto',
  contactKey: 'email',
  bulkImport: 'auto',
} as const;

/** A page with at least this many new rows sends them as one bulk import (options.bulkImport `auto`):
 * ChartMogul's own advice is bulk above 100 objects. Fewer rows go one request each, which at 37 a second
 * takes under 3 seconds, less than a bulk import's wait for its processing. An import holds one page: at most
 * MAX_SPEC_PAGE_SIZE customers (the docs advise 100 to 1,000) and MAX_PAGE_BYTES (far under ChartMogul's 5 MB). */
export const BULK_MIN_ROWS = 100;

/** Pages that send in bulk run this many at once when no two hold one customer (ChartMogul takes a customer's
 * next request only once its last import has been processed): their imports overlap, which is where a first
 * load's speed comes from (bench: 8 kept the sync's reads busy where 4 left them waiting). Each holds its rows
 * in the sync's memory until it starts its page workflows. */
export const BULK_PAGES_IN_FLIGHT = 8;

/** Temporal refuses a payload over 2 MB and warns from 512 KB. The rows of one page (the read activity's
 * result, the page workflows' inputs) take at most this much as JSON, so every payload stays well under the
 * warning, encrypted or not (encryption adds tens of bytes); a row that cannot fit on its own is rejected. */
export const MAX_PAGE_BYTES = 256 * 1024;

/** A page the sync expects to go in one bulk import (a first load's) may hold this much: three times as many
 * rows a page (up to `pageSize`) cost a third of the pages' workflow tasks, reads and imports, which is what a
 * first load waits on. Its payloads are stored compressed (src/privacy/compression-codec.ts; rows as JSON
 * shrink about sevenfold), so they stay far under Temporal's 512 KB warning too; an import of it is far under
 * ChartMogul's 5 MB. A row on its own is still bounded by MAX_PAGE_BYTES, however the page is sized. */
export const MAX_BULK_PAGE_BYTES = 768 * 1024;

/** Once rows come back unchanged, the read activity reads the source this many rows at a time (a page of
 * rows to send is still at most `pageSize`): unchanged rows never travel, so reading many is cheap. */
export const SCAN_CHUNK_ROWS = 5_000;

/** The read activity hands on what it has at least this often, so progress moves and a pause is heard. */
export const SCAN_MAX_MS = 10_000;

/** A sync run continues as new once its pages carried this many bytes through its history (read results and
 * page inputs, counted as raw JSON; a run with bulk pages, whose rows are stored compressed, once the server
 * measures its history this size: what its pages in flight add after that stays far under the rest), far below
 * Temporal's 50 MB limit and its 10 MB warning, and under the 4 MB a client takes in one gRPC message when it
 * reads a history (measured: a run of 5 MB could not be read back). */
export const RUN_HISTORY_BYTES = 2 * 1024 * 1024;

/** Connections each process keeps to a Postgres state store (its writes are short and batched). */
export const POSTGRES_POOL_SIZE = 4;

/** Rows `validate` reads at a time (it sends nothing, so it can read more than a sync page). */
export const VALIDATE_BATCH_ROWS = 1000;

/** The largest `pageSize` and `concurrency` a spec may ask for: a page's rows travel as one payload, and
 * more rows in flight than this only wait for the account's connections. */
export const MAX_SPEC_PAGE_SIZE = 1000;
export const MAX_SPEC_CONCURRENCY = 100;

/** Every activity heartbeats this often (./worker/activity-interceptor.ts); one that misses ACTIVITY_HEARTBEAT_TIMEOUT
 * is retried, so a task on a worker that died moves on within seconds. */
export const HEARTBEAT_EVERY_MS = 2_000;
export const ACTIVITY_HEARTBEAT_TIMEOUT = '10 seconds';

/** A ChartMogul request's retries: 429s and 5xx pass within seconds, and a gentle backoff keeps one unlucky
 * row from holding up its page. Twenty attempts span about two and a half minutes before the row is
 * reported as failed. */
export const API_RETRY = {
  initialInterval: '500 milliseconds',
  backoffCoefficient: 1.5,
  maximumInterval: '10 seconds',
  maximumAttempts: 20,
} as const;

/** A source read or store write: the first page of a large file sorts it once (a million rows: about half a
 * minute); the heartbeat, not this bound, is what notices a worker that died. */
export const IO_ATTEMPT_TIMEOUT = '10 minutes';
export const IO_RETRY = { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 } as const;

/** A notification's POST: each attempt may wait this long for the receiver, and a receiver that is down is
 * tried again for about a day (60 attempts, backing off to every 30 minutes). */
export const NOTIFICATION_SEND_TIMEOUT_MS = 10_000;
export const NOTIFICATION_ATTEMPT_TIMEOUT = '30 seconds';
export const NOTIFICATION_RETRY = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '30 minutes',
  maximumAttempts: 60,
} as const;

/** `checkDestinationWorkflow`'s one request: a few quick tries, then the operator hears why. */
export const CHECK_DESTINATION_ATTEMPT_TIMEOUT = '1 minute';
export const CHECK_DESTINATION_RETRY = { maximumAttempts: 5, initialInterval: '1 second' } as const;

/** Pages a sync run starts before it continues as new, unless its history's bytes or the server call for it
 * sooner. */
export const PAGES_PER_RUN = 25;

/** Rows with an issue a sync's result carries (the report file holds every one), and the changes a dry
 * run's result shows as a sample. */
export const MAX_ISSUES_IN_RESULT = 1000;
export const CHANGE_SAMPLE_SIZE = 10;

/** A schedule's watch (notify.missedRunAfter) checks this many times per run before it continues as new. */
export const SCHEDULE_CHECKS_PER_RUN = 100;

/** The shared pace (./state/shared-pace.ts): a connection's lease outlives the longest request (HTTP_TIMEOUT_MS)
 * with margin, so a lease of a process that died is free again after it; a turn missed by more than
 * PACE_LATE_MS is given up for a new one; while every connection is held, a process asks again this often. */
export const PACE_LEASE_MS = 30_000;
export const PACE_LATE_MS = 10;
export const PACE_LEASE_POLL_MS = 15;
