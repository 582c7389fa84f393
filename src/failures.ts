// The one failure decider: any error an activity throws becomes a kind of the failure table
// (src/contracts/failures.ts), and leaves the activity as a Temporal failure of that kind's type, final or
// retried as the table says, with ChartMogul's status and message as its details. Activities throw plainly;
// the worker's activity interceptor (src/worker/activity-interceptor.ts) applies this to every one.

import { ApplicationFailure } from '@temporalio/common';

import { MissingCredentialsError } from './chartmogul/accounts';
import { ChartMogulError } from './chartmogul/errors';
import { FAILURES, type ChartMogulFailureDetails, type FailureKind } from './contracts/failures';
import { NotificationError } from './notifications/errors';
import { SourceError, SourceUnavailableError } from './sources/types';

/** The kind of any error. */
export function failureOf(error: unknown): FailureKind {
  if (error instanceof ChartMogulError || error instanceof NotificationError) return error.kind;
  if (error instanceof SourceError) return 'source';
  if (error instanceof SourceUnavailableError) return 'sourceUnavailable';
  if (error instanceof MissingCredentialsError) return 'credentials';
  return 'unexpected';
}

/** The Temporal failure an error leaves an activity as. One raised already (by a library) passes unchanged. */
export function toApplicationFailure(error: unknown): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  const kind = failureOf(error);
  const { type, retryable } = FAILURES[kind];
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof ChartMogulError))
    return ApplicationFailure.create({ message, type, nonRetryable: !retryable });
  const details: [ChartMogulFailureDetails] = [{ status: error.status ?? null, message: error.chartMogulMessage }];
  return ApplicationFailure.create({
    message,
    type,
    nonRetryable: !retryable,
    details,
    // A Retry-After ChartMogul sent is when to try again.
    nextRetryDelay: retryable && error.retryAfterMs !== undefined ? `${error.retryAfterMs} ms` : undefined,
  });
}
