// The failure model: one table of failure kinds (retry? stop the sync?), and the typed details a ChartMogul
// failure carries. Shared by the HTTP client, the failure decider, workflows and the log. Pure.

/** The one table of failures: each kind → the failure type it is raised as, whether a retry can help, and
 * whether it stops the whole sync (else it fails only its row, or only its notification). The HTTP client
 * turns ChartMogul's status into a kind (src/chartmogul/errors.ts), the one decider maps any error to a kind
 * (src/failures.ts: failureOf, applied to every activity by the worker's interceptor), and the workflows'
 * retry policies and procedures read the rest. */
export const FAILURES = {
  /** 401/403: a bad or read-only key, an expired account. */
  auth: { type: 'ChartMogulAuthError', retryable: false, stopsSync: true },
  /** The spec's data source does not exist. */
  dataSourceNotFound: { type: 'ChartMogulDataSourceNotFound', retryable: false, stopsSync: true },
  /** 400/404/422: ChartMogul refused this row's request, with its message (the row ends `failed`; a row
   * `rejected` is bad input, refused before any request). The type keeps its first name: histories hold it. */
  refused: { type: 'ChartMogulRejected', retryable: false, stopsSync: false },
  /** 404: the record asked for is not (or no longer) in ChartMogul (deleted or merged away behind the sync's
   * back). The row's procedure forgets the store's entry and carries on; else the row fails. */
  notFound: { type: 'ChartMogulNotFound', retryable: false, stopsSync: false },
  /** 422 to a create: how ChartMogul refuses a key its data source holds already, whatever its message says
   * (and also bad values): a lookup settles which (activities/create-once.ts); else the row fails. */
  duplicateKey: { type: 'ChartMogulDuplicateKey', retryable: false, stopsSync: false },
  /** 429, 5xx, timeouts, dropped connections: passing trouble. */
  retryable: { type: 'ChartMogulUnavailable', retryable: true, stopsSync: false },
  /** No API key for the spec's account on the worker. */
  credentials: { type: 'MissingCredentials', retryable: false, stopsSync: true },
  /** The source cannot be read. */
  source: { type: 'SourceError', retryable: false, stopsSync: true },
  /** The source did not answer this time (a warehouse's network timeout): retried; if it never answers, the
   * sync stops with the reason. */
  sourceUnavailable: { type: 'SourceUnavailable', retryable: true, stopsSync: true },
  /** The spec is not valid, or a sync was started under another workflow id than its spec's. */
  spec: { type: 'InvalidSpec', retryable: false, stopsSync: true },
  workflowId: { type: 'WrongWorkflowId', retryable: false, stopsSync: true },
  /** A notification's webhook URL is not set on the worker; the receiver refused it (4xx); or it could not be
   * reached or answered 408, 429 or 5xx (retried for about a day). A notification never fails its sync. */
  notificationNotConfigured: { type: 'NotifyNotConfigured', retryable: false, stopsSync: false },
  notificationRefused: { type: 'NotifyRefused', retryable: false, stopsSync: false },
  notificationUnavailable: { type: 'NotifyUnavailable', retryable: true, stopsSync: false },
  /** Anything else (a bug, or trouble nobody foresaw): retried, as Temporal would, and logged with its message. */
  unexpected: { type: 'UnexpectedError', retryable: true, stopsSync: false },
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

/** Whether a recorded ChartMogul failure (its type and details) says the record is not there. Failures
 * recorded before 0.5 named a 404 by status under the refusal's type: a replay must read them alike. */
export function isNotFoundFailure(
  type: string | null | undefined,
  details: ChartMogulFailureDetails | undefined,
): boolean {
  return type === FAILURES.notFound.type || (type === FAILURES.refused.type && details?.status === 404);
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
