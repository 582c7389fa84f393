// Every activity heartbeats while it runs, so a task held by a worker that died is handed to another
// worker within the heartbeat timeout (seconds), not after its whole start-to-close timeout (minutes).
// Each attempt after the first counts as a retry in the worker's metrics (tagged with the activity type).

import { Context } from '@temporalio/activity';

import { METRIC_NAMES } from '../src/contracts/names';
import { HEARTBEAT_EVERY_MS } from '../src/limits';
import { wrapEach, type Activities } from './wrap-each';

/** Well inside the shortest heartbeat timeout (workflows/activities.ts); the SDK throttles what it sends. */

function heartbeating<A extends unknown[], R>(activity: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const context = Context.current();
    if (context.info.attempt > 1)
      context.metricMeter.createCounter(METRIC_NAMES.retries, 'attempts', 'Activity attempts after the first').add(1);
    context.heartbeat();
    const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      return await activity(...args);
    } finally {
      clearInterval(timer);
    }
  };
}

/** The same activities, each heartbeating while it runs. */
export function withHeartbeats<T extends Activities>(activities: T): T {
  return wrapEach(activities, heartbeating);
}
