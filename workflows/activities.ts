// Activity proxies with the options that matter: which task queue, how long one attempt may take, how
// retries back off, and which failures are final. Every call carries a summary (a ChartMogul call names the
// row's key and the action), so Temporal Web shows what each one did.

import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';

import type { ApiActivities, IoActivities } from '../activities';
import {
  ACTIVITY_HEARTBEAT_TIMEOUT,
  API_ATTEMPT_TIMEOUT,
  API_RETRY,
  IO_ATTEMPT_TIMEOUT,
  IO_RETRY,
} from '../src/limits';
import { TASK_QUEUES } from '../src/contracts/names';
import { FINAL_FAILURE_TYPES } from '../src/contracts/failures';

export const API_OPTIONS: ActivityOptions = {
  taskQueue: TASK_QUEUES.api,
  startToCloseTimeout: API_ATTEMPT_TIMEOUT,
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: { ...API_RETRY, nonRetryableErrorTypes: FINAL_FAILURE_TYPES },
};

export const IO_OPTIONS: ActivityOptions = {
  taskQueue: TASK_QUEUES.io,
  startToCloseTimeout: IO_ATTEMPT_TIMEOUT,
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: { ...IO_RETRY, nonRetryableErrorTypes: FINAL_FAILURE_TYPES },
};

export const api = proxyActivities<ApiActivities>(API_OPTIONS);
export const io = proxyActivities<IoActivities>(IO_OPTIONS);

/** Calls an activity with a summary Temporal Web shows on its events, e.g. `create customer C-0012`. */
function withSummary<P, K extends keyof P>(
  proxy: P,
  options: ActivityOptions,
  name: K,
  summary: string,
  args: unknown[],
): P[K] extends (...args: never[]) => infer R ? R : never {
  const activity = proxy[name] as unknown as {
    executeWithOptions(
      options: ActivityOptions,
      args: unknown[],
    ): P[K] extends (...args: never[]) => infer R ? R : never;
  };
  return activity.executeWithOptions({ ...options, summary }, args);
}

type Api = typeof api;
type Io = typeof io;

/** A ChartMogul request, e.g. `callApi('createCustomer', 'create customer C-0012', input)`. */
export function callApi<K extends keyof Api>(
  name: K,
  summary: string,
  ...args: Parameters<Api[K]>
): ReturnType<Api[K]> {
  return withSummary(api, API_OPTIONS, name, summary, args) as ReturnType<Api[K]>;
}

/** A source read, state store write or report write, e.g. `callIo('writeReportPart', 'write report part 3 (2 rows)', input)`. */
export function callIo<K extends keyof Io>(name: K, summary: string, ...args: Parameters<Io[K]>): ReturnType<Io[K]> {
  return withSummary(io, IO_OPTIONS, name, summary, args) as ReturnType<Io[K]>;
}
