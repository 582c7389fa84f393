// A lookup inside a larger activity (a create's "is it there already?", an invoice's plans) retries its own
// passing faults, so they do not cost the activity an attempt: a 429, a 5xx or a dropped connection on a GET
// is waited out here, for as long as the attempt's time allows, and only then handed to Temporal's retry.

import { Context } from '@temporalio/activity';

import { ChartMogulError } from '../src/chartmogul/errors';
import { LOOKUP_RETRY } from '../src/limits';

/** Runs `lookup`, again after each retryable ChartMogul error (honouring `Retry-After`), until it answers or
 * the attempt's deadline is near; then the last error is thrown. */
export async function retryLookup<T>(lookup: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const { startToCloseTimeoutMs, currentAttemptScheduledTimestampMs } = context.info;
  const deadline = currentAttemptScheduledTimestampMs + startToCloseTimeoutMs - LOOKUP_RETRY.marginMs;
  let delay: number = LOOKUP_RETRY.initialMs;
  for (;;) {
    try {
      return await lookup();
    } catch (error) {
      if (!(error instanceof ChartMogulError && error.retryable)) throw error;
      const wait = Math.max(delay, error.retryAfterMs ?? 0);
      if (Date.now() + wait > deadline) throw error;
      await context.sleep(wait);
      delay = Math.min(delay * 2, LOOKUP_RETRY.maximumMs);
    }
  }
}
