// The failure model's one table, shared by the HTTP client, the activity wrapper, workflows and logs. Pure.

/** The one table of failures: each kind → the failure type activities raise, whether a retry can help, and
 * whether it stops the whole sync (else it fails only its row). The HTTP client turns ChartMogul's status into
 * a kind (src/chartmogul/errors.ts), the activity wrapper raises its type (activities/failures.ts), and the
 * workflows' retry policies and procedures read the rest. */
export const FAILURES = {
  /** 401/403: a bad or read-only key, an expired account. */
  auth: { type: 'ChartMogulAuthError', retryable: false, stopsSync: true },
  /** The spec's data source does not exist. */
  dataSourceNotFound: { type: 'ChartMogulDataSourceNotFound', retryable: false, stopsSync: true },
  /** 400/404/422: ChartMogul refused this row's request, with its message. */
  rejected: { type: 'ChartMogulRejected', retryable: false, stopsSync: false },
  /** 429, 5xx, timeouts, dropped connections: passing trouble. */
  retryable: { type: 'ChartMogulUnavailable', retryable: true, stopsSync: false },
  /** No API key for the spec's account on the worker. */
  credentials: { type: 'MissingCredentials', retryable: false, stopsSync: true },
  /** The source cannot be read. */
  source: { type: 'SourceError', retryable: false, stopsSync: true },
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
