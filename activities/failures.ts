// Turns errors into Temporal failures: final ones are non-retryable, passing ones keep Retry-After.

import { ApplicationFailure } from '@temporalio/activity';

import { MissingCredentialsError } from '../src/chartmogul/accounts';
import { ChartMogulError, FAILURE_OF } from '../src/chartmogul/errors';
import { SourceError, SourceUnavailableError } from '../src/sources/types';
import { FAILURE_TYPES, type ChartMogulFailureDetails } from '../src/contracts/failures';
import { wrapEach, type Activities } from './wrap-each';

export function toActivityFailure(error: unknown): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof SourceError) {
    // A source that cannot be read will not get better by retrying: stop the sync with the reason.
    return ApplicationFailure.create({ message: error.message, type: FAILURE_TYPES.source, nonRetryable: true });
  }
  if (error instanceof SourceUnavailableError) {
    return ApplicationFailure.create({ message: error.message, type: FAILURE_TYPES.sourceUnavailable });
  }
  if (error instanceof MissingCredentialsError) {
    return ApplicationFailure.create({ message: error.message, type: FAILURE_TYPES.credentials, nonRetryable: true });
  }
  if (error instanceof ChartMogulError) {
    const details: [ChartMogulFailureDetails] = [{ status: error.status ?? null, message: error.chartMogulMessage }];
    if (error.retryable) {
      return ApplicationFailure.create({
        message: error.message,
        type: FAILURE_TYPES.retryable,
        details,
        nextRetryDelay: error.retryAfterMs === undefined ? undefined : `${error.retryAfterMs} ms`,
      });
    }
    return ApplicationFailure.create({
      message: error.message,
      type: FAILURE_TYPES[FAILURE_OF[error.kind]],
      nonRetryable: true,
      details,
    });
  }
  return ApplicationFailure.create({
    message: error instanceof Error ? error.message : String(error),
    type: 'UnexpectedError',
  });
}

/** The row key of the input a failure came from, for the worker's one-line log (src/worker/log.ts). */
const rowKeys = new WeakMap<Error, string>();

export function rowKeyOfFailure(failure: Error): string | undefined {
  return rowKeys.get(failure);
}

/** `{ row: { key } }` (a ChartMogul write), or a lookup's `{ externalId }`. */
function rowKeyOfInput(input: unknown): string | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const { row, externalId } = input as { row?: { key?: unknown }; externalId?: unknown };
  const found = row?.key ?? externalId;
  return typeof found === 'string' ? found : undefined;
}

/** Wraps an activity so every error leaves it as a classified Temporal failure (applied to every activity
 * once, in activities/index.ts). */
export function failingClearly<A extends unknown[], R>(
  activity: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await activity(...args);
    } catch (error) {
      const failure = toActivityFailure(error);
      const key = rowKeyOfInput(args[0]);
      if (key !== undefined) rowKeys.set(failure, key);
      throw failure;
    }
  };
}

/** The same activities, each failing clearly. */
export function withClearFailures<T extends Activities>(activities: T): T {
  return wrapEach(activities, failingClearly);
}
