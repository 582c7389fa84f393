// The failure model: one table of failure kinds (retry? stop the sync?), and the typed details a ChartMogul
// failure carries. Shared by the HTTP client, the activity wrapper, workflows and the log. Pure.

/** The one table of failures: each kind → the failure type activities raise, whether a retry can help, and
 * whether it stops the whole sync (else it fails only its row). The HTTP client turns ChartMogul's status into
 * a kind (src/chartmogul/errors.ts), the activity wrapper raises its type (activities/failures.ts), and the
 * workflows' retry policies and procedures read the rest. */
export const FAILURES = {
  /** 401/403: a bad or read-only key, an expired account. */
  auth: { type: 'ChartMogulAuthError', retryable: false, stopsSync: true },
  /** The spec's data source does not exist. */
  dataSourceNotFound: { type: 'ChartMogulDataSourceNotFound', retryable: false, stopsSync: true },
  /** 400/404/422: ChartMogul refused this row's request, with its message (the row ends `failed`; a row
   * `rejected` is bad input, refused before any request). The type keeps its first name: histories hold it. */
  refused: { type: 'ChartMogulRejected', retryable: false, stopsSync: false },
  /** 429, 5xx, timeouts, dropped connections: passing trouble. */
  retryable: { type: 'ChartMogulUnavailable', retryable: true, stopsSync: false },
  /** No API key for the spec's account on the worker. */
  credentials: { type: 'MissingCredentials', retryable: false, stopsSync: true },
  /** The source cannot be read. */
  source: { type: 'SourceError', retryable: false, stopsSync: true },
  /** The source did not answer this time (a warehouse's network timeout): retried; if it never answers, the
   * sync stops with the reason. */
  sourceUnavailable: { type: 'SourceUnavailable', retryable: true, stopsSync: true },
} as const;

export type FailureKind = keyof typeof FAILURES;

const failureTypes = (keep: (failure: (typeof FAILURES)[FailureKind]) => boolean): string[] =>
  Object.values(FAILURES)
    .filter(keep)
    .map((failure) => failure.type);

/** Failure type by kind, e.g. `FAILURE_TYPES.auth`. */
export const FAILURE_TYPES = Object.fromEntries(
  Object.entries(FAILURES).map(([kind, failure]) => [kind, failure.type]),
) as { [K in FailureKind]: (typeof FAILURES)[K]['type'] };

/** Retrying these cannot help. */
export const FINAL_FAILURE_TYPES: string[] = failureTypes((failure) => !failure.retryable);

/** These stop the whole sync; every other failure fails only its row. */
export const STOPS_THE_SYNC: string[] = failureTypes((failure) => failure.stopsSync);

/** What a ChartMogul failure carries besides its message, always in this shape (activities/failures.ts
 * writes it; workflows and the worker's log read it with chartMogulDetailsOf, never by position). */
export interface ChartMogulFailureDetails {
  /** ChartMogul's HTTP status, or null when no answer came (a timeout, a dropped connection). */
  status: number | null;
  /** ChartMogul's own message. */
  message: string;
}

/** The ChartMogul details of a failure (an ApplicationFailure's first detail), or undefined. */
export function chartMogulDetailsOf(
  failure: { details?: unknown[] | null } | undefined,
): ChartMogulFailureDetails | undefined {
  const detail = failure?.details?.[0];
  if (!detail || typeof detail !== 'object') return undefined;
  const { status, message } = detail as Record<string, unknown>;
  if (typeof message !== 'string' || (status !== null && typeof status !== 'number')) return undefined;
  return { status, message };
}
