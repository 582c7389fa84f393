// A sync's notification (spec `notify`): when a run fails, ends with failed rows, or rejects more rows than
// the spec allows, one message is sent. It goes out from its own workflow, started and left to run, so a
// slow or failing receiver never holds up the sync, and its id (one per sync run and kind of event) means a
// replay or a restarted worker never starts it twice. Dry runs notify nobody (they change nothing). A
// scheduled sync with `notify.missedRunAfter` is also watched for runs that stop ending (scheduleWatchWorkflow).

import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import {
  CancellationScope,
  continueAsNew,
  ParentClosePolicy,
  proxyActivities,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';

import type { IoActivities } from '../activities';
import { FINAL_FAILURE_TYPES } from '../src/contracts/failures';
import { notificationWorkflowId, runEventId, TASK_QUEUES, type RunNotificationKind } from '../src/contracts/names';
import type { ReportEntry, SyncResult } from '../src/contracts/sync-types';
import { type NotificationEvent, REASONS_IN_MESSAGE, type SendNotificationInput } from '../src/notifications/message';
import { durationMs, type SyncSpec } from '../src/sync-spec/schema';
import { NOTIFICATION_ATTEMPT_TIMEOUT, NOTIFICATION_RETRY, SCHEDULE_CHECKS_PER_RUN } from '../src/limits';
import { IO_OPTIONS } from './activities';

/** Sends one notification, retrying for about a day while the receiver is down or refuses with a 5xx or 429. */
export async function notifyWorkflow(input: SendNotificationInput): Promise<void> {
  const { sendNotification } = proxyActivities<IoActivities>({
    ...IO_OPTIONS,
    startToCloseTimeout: NOTIFICATION_ATTEMPT_TIMEOUT,
    retry: { ...NOTIFICATION_RETRY, nonRetryableErrorTypes: FINAL_FAILURE_TYPES },
  });
  await sendNotification(input);
}

export type RunOutcome = { result: SyncResult } | { error: unknown };

function reasonsOf(issues: readonly ReportEntry[], status: ReportEntry['status']) {
  return issues
    .filter((entry) => entry.status === status)
    .slice(0, REASONS_IN_MESSAGE)
    .map(({ key, rowNumber, status: rowStatus, reason }) => ({ key, rowNumber, status: rowStatus, reason }));
}

function errorText(error: unknown): string {
  let cause = error instanceof Error ? error : new Error(String(error));
  while (cause.cause instanceof Error) cause = cause.cause;
  return cause.message;
}

/** The event a finished run calls for, if any: a failure first, then failed rows, then rejected rows. */
export function notificationEventOf(spec: SyncSpec, outcome: RunOutcome): NotificationEvent | undefined {
  if (!spec.notify || spec.options.dryRun) return undefined;
  const info = workflowInfo();
  const base = { sync: spec.name, workflowId: info.workflowId, runId: info.runId, at: new Date().toISOString() };
  const event = (kind: RunNotificationKind, rest: Partial<NotificationEvent>): NotificationEvent => ({
    id: runEventId(info.workflowId, info.firstExecutionRunId, kind),
    kind,
    status: 'completed',
    reasons: [],
    ...base,
    ...rest,
  });
  if ('error' in outcome) return event('sync-failed', { status: 'failed', error: errorText(outcome.error) });
  const { result } = outcome;
  if (result.status !== 'completed') return undefined;
  const common = { totals: result.totals, reportPath: result.reportPath };
  if (result.totals.failed > 0) return event('rows-failed', { ...common, reasons: reasonsOf(result.issues, 'failed') });
  const threshold = spec.notify.rejectedRowsOver;
  if (threshold !== undefined && result.totals.rejected > threshold)
    return event('rejected-over-threshold', {
      ...common,
      rejectedRowsOver: threshold,
      reasons: reasonsOf(result.issues, 'rejected'),
    });
  return undefined;
}

/** Starts the notification for a finished run, if it calls for one, and leaves it running. */
export async function notifyOf(spec: SyncSpec, outcome: RunOutcome): Promise<void> {
  const event = notificationEventOf(spec, outcome);
  if (event) await startNotification(spec, event);
}

/** Starts an event's notification workflow (once per event id) and leaves it running. */
async function startNotification(spec: SyncSpec, event: NotificationEvent): Promise<void> {
  if (!spec.notify) return;
  const input: SendNotificationInput = { url: spec.notify.url, event };
  await CancellationScope.nonCancellable(async () => {
    try {
      await startChild(notifyWorkflow, {
        workflowId: notificationWorkflowId(event.id),
        taskQueue: TASK_QUEUES.io,
        args: [input],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // An event's notification, once sent, is never sent again under its id.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        staticSummary: `notify: ${event.kind} of sync ${spec.name}`,
      });
    } catch (error) {
      // Started already (this run's notification, from an earlier attempt): once is enough.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  });
}

export interface ScheduleWatchInput {
  spec: SyncSpec;
  scheduleId: string;
  /** The quiet spell last notified (when it began), carried through continue-as-new. */
  notifiedSpell?: number;
}

/** Watches a scheduled sync (`notify.missedRunAfter`): when no run has ended for that long (runs missed,
 * skipped behind one still going, the schedule paused), one message per quiet spell. Ends when the schedule
 * is deleted. */
export async function scheduleWatchWorkflow(input: ScheduleWatchInput): Promise<void> {
  const { spec, scheduleId } = input;
  const allowed = spec.notify?.missedRunAfter;
  if (!allowed) return;
  const allowedMs = durationMs(allowed);
  const { scheduleSilence } = proxyActivities<IoActivities>({ ...IO_OPTIONS, startToCloseTimeout: '1 minute' });
  let notifiedSpell = input.notifiedSpell;
  for (let check = 0; check < SCHEDULE_CHECKS_PER_RUN; check++) {
    const silence = await scheduleSilence({ scheduleId, syncName: spec.name });
    if (!silence) return;
    const quietFor = Date.now() - silence.quietSince;
    if (quietFor > allowedMs && notifiedSpell !== silence.quietSince) {
      notifiedSpell = silence.quietSince;
      const info = workflowInfo();
      await startNotification(spec, {
        // One per quiet spell: the spell is named by when it began.
        id: `${scheduleId}/missed/${silence.quietSince}`,
        kind: 'schedule-missed',
        status: 'missed',
        sync: spec.name,
        quietSince: new Date(silence.quietSince).toISOString(),
        missedRunAfter: allowed,
        reasons: [],
        workflowId: info.workflowId,
        runId: info.runId,
        at: new Date().toISOString(),
      });
    }
    // Look again when the spell would next run over (at most every allowed span, at least every second).
    await sleep(Math.max(1_000, quietFor > allowedMs ? allowedMs : allowedMs - quietFor + 1_000));
  }
  await continueAsNew<typeof scheduleWatchWorkflow>({ ...input, notifiedSpell });
}
