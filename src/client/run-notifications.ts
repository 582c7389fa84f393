// What became of the notifications a finished sync run started (workflows/notify.ts starts them and leaves
// them running): for `run`, which must not stop its worker (and its embedded server) before they are sent.

import { WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';

import {
  notificationWorkflowId,
  RUN_NOTIFICATION_KINDS,
  runEventId,
  type RunNotificationKind,
} from '../contracts/names';

export type NotificationFate =
  | { kind: RunNotificationKind; outcome: 'delivered'; attempts: number }
  | { kind: RunNotificationKind; outcome: 'gave-up'; reason: string }
  | { kind: RunNotificationKind; outcome: 'pending'; attempts: number; lastFailure?: string; waitedMs: number };

/** Waits, at most `waitMs` in all, for the notifications of a sync run (its workflow id and first run id) to
 * be delivered or to give up; answers one fate per notification the run started (none: it started none). */
export async function awaitRunNotifications(
  client: Client,
  workflowId: string,
  firstExecutionRunId: string,
  waitMs: number,
): Promise<NotificationFate[]> {
  const started = Date.now();
  const fates = await Promise.all(
    RUN_NOTIFICATION_KINDS.map(async (kind): Promise<NotificationFate | undefined> => {
      const handle = client.workflow.getHandle(
        notificationWorkflowId(runEventId(workflowId, firstExecutionRunId, kind)),
      );
      /** The attempt it is on, and why the last one failed (decoded: failures are encrypted at rest). */
      const attempts = async () => {
        const pending = (await handle.describe()).raw.pendingActivities?.[0];
        const lastFailure = await decodeOptionalFailureToOptionalError(
          client.options.loadedDataConverter,
          pending?.lastFailure,
        );
        return { attempts: pending?.attempt ?? 1, lastFailure: lastFailure?.message };
      };
      // The result's long poll is abandoned at the deadline, so none is left retrying once the connection closes.
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), Math.max(0, waitMs - (Date.now() - started)));
      try {
        const delivered = await client
          .withAbortSignal(deadline.signal, () => handle.result())
          .then(
            () => true,
            (error: unknown) => {
              if (deadline.signal.aborted) return false;
              throw error;
            },
          );
        if (delivered) {
          const history = await handle.fetchHistory();
          const tries = history.events?.filter((event) => event.activityTaskStartedEventAttributes).at(-1)
            ?.activityTaskStartedEventAttributes?.attempt;
          return { kind, outcome: 'delivered', attempts: tries ?? 1 };
        }
        return { kind, outcome: 'pending', waitedMs: Date.now() - started, ...(await attempts()) };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return undefined;
        if (error instanceof WorkflowFailedError) {
          let cause: Error = error;
          while (cause.cause instanceof Error) cause = cause.cause;
          return { kind, outcome: 'gave-up', reason: cause.message };
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return fates.filter((fate): fate is NotificationFate => fate !== undefined);
}

/** One line on a notification's fate; `stays` says what becomes of one still pending once `run` stops. */
export function formatNotificationFate(sync: string, fate: NotificationFate, stays: string): string {
  const what = `Notification "${fate.kind}" of sync "${sync}"`;
  switch (fate.outcome) {
    case 'delivered':
      return `${what} delivered${fate.attempts > 1 ? ` (on attempt ${fate.attempts})` : ''}.`;
    case 'gave-up':
      return `${what} could not be delivered: ${fate.reason}`;
    case 'pending':
      return `${what} not delivered after ${Math.round(fate.waitedMs / 1000)} s (${fate.attempts} attempt${fate.attempts === 1 ? '' : 's'}${fate.lastFailure ? `; last: ${fate.lastFailure}` : ''}): ${stays}`;
  }
}
