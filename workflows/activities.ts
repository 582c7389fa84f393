// Activity proxies with the options that matter: which task queue, how long one attempt may take, how
// retries back off, and which failures are final. Every ChartMogul call carries a summary that names
// the row's key and the action, so Temporal Web shows what each one did.

import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';

import type { Activities } from '../activities';
import { TASK_QUEUES } from './names';

/** Failure types that are final; the names match activities/failures.ts. */
export const FINAL_FAILURES = {
  auth: 'ChartMogulAuthError',
  dataSourceNotFound: 'ChartMogulDataSourceNotFound',
  rejected: 'ChartMogulRejected',
  credentials: 'MissingCredentials',
  source: 'SourceError',
} as const;

export const API_OPTIONS: ActivityOptions = {
  taskQueue: TASK_QUEUES.api,
  // One HTTP request (30 s timeout) plus margin; a lost worker is noticed this fast.
  startToCloseTimeout: '45 seconds',
  retry: {
    initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 12,
    nonRetryableErrorTypes: Object.values(FINAL_FAILURES),
  },
};

export const IO_OPTIONS: ActivityOptions = {
  taskQueue: TASK_QUEUES.io,
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes: [FINAL_FAILURES.source] },
};

export const api = proxyActivities<Activities>(API_OPTIONS);
export const io = proxyActivities<Activities>(IO_OPTIONS);

type Api = typeof api;

/** Calls a ChartMogul activity with a summary such as `create customer C-0012`. */
export function callApi<K extends keyof Api>(name: K, summary: string, ...args: Parameters<Api[K]>): ReturnType<Api[K]> {
  const activity = api[name] as unknown as { executeWithOptions(options: ActivityOptions, args: unknown[]): ReturnType<Api[K]> };
  return activity.executeWithOptions({ ...API_OPTIONS, summary }, args);
}
