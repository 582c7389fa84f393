// What every activity gets from the worker, installed once as an interceptor: a heartbeat while it runs (a
// task held by a worker that died moves to another within the heartbeat timeout, not its whole
// start-to-close timeout), a count of its retries, the one failure decider (src/failures.ts: the activity
// throws plainly), and its row's key on the worker's log lines (an input's `row.key`, or a lookup's
// `externalId`).

import type { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { ActivityInterceptors, ActivityInterceptorsFactory } from '@temporalio/worker';

import { METRIC_NAMES } from '../contracts/names';
import { toApplicationFailure } from '../failures';
import { HEARTBEAT_EVERY_MS } from '../limits';

/** `{ row: { key } }` (a ChartMogul write), or a lookup's `{ externalId }`. */
function rowKeyOfInput(input: unknown): string | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const { row, externalId } = input as { row?: { key?: unknown }; externalId?: unknown };
  const found = row?.key ?? externalId;
  return typeof found === 'string' ? found : undefined;
}

export const activityInterceptor: ActivityInterceptorsFactory = (context: Context): ActivityInterceptors => {
  let rowKey: string | undefined;
  return {
    inbound: {
      async execute(input, next) {
        rowKey = rowKeyOfInput(input.args[0]);
        if (context.info.attempt > 1)
          context.metricMeter
            .createCounter(METRIC_NAMES.retries, 'attempts', 'Activity attempts after the first')
            .add(1);
        context.heartbeat();
        const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
        try {
          return await next(input);
        } catch (error) {
          // A cancellation stays one, so the SDK reports the activity cancelled rather than failed.
          if (error instanceof CancelledFailure) throw error;
          throw toApplicationFailure(error);
        } finally {
          clearInterval(timer);
        }
      },
    },
    outbound: {
      getLogAttributes(input, next) {
        return rowKey === undefined ? next(input) : { ...next(input), rowKey };
      },
    },
  };
};
