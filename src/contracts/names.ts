// Names shared by workflows, workers and clients: task queues, workflow ids and search attributes.
// Pure (imports only @temporalio/common), so both the workflow sandbox and Node code may import it.

import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TASK_QUEUES = {
  /** Workflows and source reads. */
  io: 'chartmogul-sync-io',
  /** ChartMogul requests only; their pace is the account's, shared by every worker (src/state/shared-pace.ts). */
  api: 'chartmogul-sync-api',
} as const;

/** One workflow id per spec name, so two runs of one spec can never overlap. */
export function syncWorkflowId(name: string): string {
  return `chartmogul-sync:${name}`;
}

/** The schedule of a spec (one per spec name), and the id its runs start under (Temporal appends the time). */
export function syncScheduleId(name: string): string {
  return `chartmogul-sync:${name}`;
}
export function scheduledRunId(name: string): string {
  return `chartmogul-sync-scheduled:${name}`;
}

/** The workflow that sends one notification event: one per event id, so an event is never sent twice. */
export function notificationWorkflowId(eventId: string): string {
  return `chartmogul-sync-notify:${eventId}`;
}

/** What a finished sync run may notify of (workflows/notify.ts decides which, if any). */
export const RUN_NOTIFICATION_KINDS = ['sync-failed', 'rows-failed', 'rejected-over-threshold'] as const;
export type RunNotificationKind = (typeof RUN_NOTIFICATION_KINDS)[number];

/** The event id of a sync run's notification: one per chain of runs (the first run's id stays the same
 * through continue-as-new) and kind. */
export function runEventId(workflowId: string, firstExecutionRunId: string, kind: RunNotificationKind): string {
  return `${workflowId}/${firstExecutionRunId}/${kind}`;
}

/** The spec name of a sync's workflow, one of its page workflows (`chartmogul-sync:NAME:page-7.2`) or a page's
 * bulk import (`chartmogul-sync:NAME:page-7-bulk`). */
export function syncNameOf(workflowId: string): string | undefined {
  const match = /^chartmogul-sync:(.+?)(?::page-[\d.]+(?:-bulk)?)?$/.exec(workflowId);
  return match?.[1];
}

/** Record keys of the rows a workflow handles, so Temporal Web can find a row's history by its key. */
export const RECORD_KEYS = defineSearchAttributeKey('ChartMogulRecordKeys', SearchAttributeType.KEYWORD_LIST);
/** The sync spec's name. */
export const SYNC_NAME = defineSearchAttributeKey('ChartMogulSyncName', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [RECORD_KEYS, SYNC_NAME];

/** The product's metrics (beside the Temporal SDK's), served on the worker's `--metrics-port` under these
 * names (the SDK's exporter adds no `_total` to counters). */
export const METRIC_NAMES = {
  /** ChartMogul requests by the status of their answer (activities/answer-metrics.ts). */
  requests: 'chartmogul_sync_requests',
  /** Rows by sync and outcome, as pages finish (workflows/sync.ts). */
  rows: 'chartmogul_sync_rows',
  /** Activity attempts after the first, by activity type (src/worker/activity-interceptor.ts). */
  retries: 'chartmogul_sync_activity_retries',
  /** Each sync's ChartMogul requests per second so far. */
  requestsPerSecond: 'chartmogul_sync_requests_per_second',
  /** How long each finished sync took. */
  duration: 'chartmogul_sync_duration_seconds',
  /** When each sync last completed (Unix seconds), for "sync stale" alerts. */
  lastSuccess: 'chartmogul_sync_last_success_timestamp_seconds',
} as const;

/** How a sync is started, wherever that is (a client, a schedule's run, a script, a test): under its spec's
 * id, on the io queue, findable by its name. The one argument is the spec, as given. */
export function syncStartOptions<Spec extends { readonly name?: unknown }>(spec: Spec) {
  const name = String(spec.name);
  return {
    workflowId: syncWorkflowId(name),
    taskQueue: TASK_QUEUES.io,
    args: [spec] as [Spec],
    typedSearchAttributes: [{ key: SYNC_NAME, value: name }],
  };
}
