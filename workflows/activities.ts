// Activity proxies with the options that matter: which task queue, how long one attempt may take, how
// retries back off, and which failures are final. Every ChartMogul call carries a summary that names
// the row's key and the action, so Temporal Web shows what each one did.

import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';

import type { ApiActivities, IoActivities } from '../activities';
import { API_ATTEMPT_TIMEOUT } from '../src/limits';
import { FAILURE_TYPES, FINAL_FAILURE_TYPES, TASK_QUEUES } from './names';

export const API_OPTIONS: ActivityOptions = {
  taskQueue: TASK_QUEUES.api,
  startToCloseTimeout: API_ATTEMPT_TIMEOUT,
  // Activities heartbeat every 2 s (activities/heartbeat.ts): a task on a worker that died is retried this soon.
  heartbeatTimeout: '10 seconds',
  // 429s and 5xx pass within seconds; a gentle backoff keeps one unlucky row from holding up its page.
  // Twenty attempts span about two and a half minutes before the row is reported as failed.
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 1.5,
    maximumInterval: '10 seconds',
    maximumAttempts: 20,
    nonRetryableErrorTypes: FINAL_FAILURE_TYPES,
  },
};

export const IO_OPTIONS: ActivityOptions = {
  taskQueue: TASK_QUEUES.io,
  // The first page of a large file sorts it once (a million rows: about half a minute); the heartbeat,
  // not this bound, is what notices a worker that died.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [FAILURE_TYPES.source],
  },
};

export const api = proxyActivities<ApiActivities>(API_OPTIONS);
export const io = proxyActivities<IoActivities>(IO_OPTIONS);

type Api = typeof api;

/** Calls a ChartMogul activity with a summary such as `create customer C-0012`. */
export function callApi<K extends keyof Api>(
  name: K,
  summary: string,
  ...args: Parameters<Api[K]>
): ReturnType<Api[K]> {
  const activity = api[name] as unknown as {
    executeWithOptions(options: ActivityOptions, args: unknown[]): ReturnType<Api[K]>;
  };
  return activity.executeWithOptions({ ...API_OPTIONS, summary }, args);
}
