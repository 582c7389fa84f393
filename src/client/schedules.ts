// Recurring syncs on Temporal Schedules: one schedule per spec name, never two runs of a spec at once
// (the schedule skips a run while the last one is still going, and says so), and after downtime one
// missed run, not a backlog.

import {
  WorkflowExecutionAlreadyStartedError,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleSpec,
} from '@temporalio/client';

import type { SyncSpec } from '../sync-spec/schema';
import { scheduledRunId, SYNC_NAME, syncScheduleId, TASK_QUEUES } from '../contracts/names';
import type { ScheduledSyncInput, scheduledSyncWorkflow } from '../../workflows/scheduled-sync';
import type { scheduleWatchWorkflow } from '../../workflows/notify';

/** After the server was down, a missed run within this window still runs (one, as the others would overlap it). */
export const CATCHUP_WINDOW = '1 day';

export interface Timing {
  /** `30s`, `15m`, `1h`, `1d`. */
  every?: string;
  /** Five-field cron, e.g. `0 2 * * *`. */
  cron?: string;
  /** IANA zone the cron is read in, e.g. `Europe/Berlin` (default UTC). */
  timezone?: string;
}

const EVERY = /^(\d+)(s|m|h|d)$/;

/** Checks `--every`; answers the interval as the SDK reads it. */
export function parseEvery(every: string): string {
  const match = EVERY.exec(every.trim());
  if (!match || Number(match[1]) === 0)
    throw new Error(`--every expects a number and a unit (s, m, h or d), such as 15m or 1h; got "${every}"`);
  return `${match[1]}${match[2]}`;
}

function scheduleSpec(timing: Timing): ScheduleSpec {
  if (Boolean(timing.every) === Boolean(timing.cron)) throw new Error('give one of --every or --cron');
  return {
    ...(timing.every ? { intervals: [{ every: parseEvery(timing.every) }] } : { cronExpressions: [timing.cron!] }),
    ...(timing.timezone ? { timezone: timing.timezone } : {}),
  };
}

/** Starts the watch that notifies when a scheduled sync's runs stop ending (notify.missedRunAfter); it ends
 * by itself once the schedule is deleted. */
async function watchSchedule(client: Client, spec: SyncSpec, scheduleId: string): Promise<void> {
  try {
    await client.workflow.start<typeof scheduleWatchWorkflow>('scheduleWatchWorkflow', {
      workflowId: scheduleWatchId(spec.name),
      taskQueue: TASK_QUEUES.io,
      args: [{ spec, scheduleId }],
      typedSearchAttributes: [{ key: SYNC_NAME, value: spec.name }],
      staticSummary: `watch schedule ${scheduleId}: notify when no run ended for ${spec.notify?.missedRunAfter}`,
    });
  } catch (error) {
    // The watch of a schedule deleted and made again is still there (it ends at its next look): fine.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/** The watch of a scheduled sync's runs. */
export function scheduleWatchId(name: string): string {
  return `chartmogul-sync-watch:${name}`;
}

export async function createSchedule(
  client: Client,
  spec: SyncSpec,
  timing: Timing,
  fullRefreshEvery = 0,
): Promise<ScheduleDescription> {
  const scheduleId = syncScheduleId(spec.name);
  const input: ScheduledSyncInput = { spec, fullRefreshEvery, scheduleId };
  try {
    const handle = await client.schedule.create<typeof scheduledSyncWorkflow>({
      scheduleId,
      spec: scheduleSpec(timing),
      action: {
        type: 'startWorkflow',
        workflowType: 'scheduledSyncWorkflow',
        workflowId: scheduledRunId(spec.name),
        taskQueue: TASK_QUEUES.io,
        args: [input],
        typedSearchAttributes: [{ key: SYNC_NAME, value: spec.name }],
        staticSummary: `scheduled run of sync ${spec.name}`,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW, pauseOnFailure: false },
      memo: { syncName: spec.name, fullRefreshEvery, ...timing },
    });
    if (spec.notify?.missedRunAfter) await watchSchedule(client, spec, scheduleId);
    return await handle.describe();
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning)
      throw new Error(
        `a schedule for "${spec.name}" exists already. See it with \`chartmogul-sync schedule describe ${spec.name}\`; to change it, \`chartmogul-sync schedule delete ${spec.name}\` and create it again.`,
      );
    throw error;
  }
}

export function scheduleHandle(client: Client, name: string) {
  return client.schedule.getHandle(syncScheduleId(name));
}

/** The schedule of a spec, or undefined when it has none. */
export async function describeSchedule(client: Client, name: string): Promise<ScheduleDescription | undefined> {
  try {
    return await scheduleHandle(client, name).describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}

/** Spec names that have a schedule. */
export async function listScheduledSyncs(client: Client): Promise<string[]> {
  const names: string[] = [];
  const prefix = syncScheduleId('');
  for await (const schedule of client.schedule.list())
    if (schedule.scheduleId.startsWith(prefix)) names.push(schedule.scheduleId.slice(prefix.length));
  return names.sort();
}

/** `every 1h` or `cron "0 2 * * *" (Europe/Berlin)`, from what `create` kept in the memo. */
export function timingText(description: ScheduleDescription): string {
  const memo = (description.memo ?? {}) as Timing & { fullRefreshEvery?: number };
  const when = memo.every ? `every ${memo.every}` : memo.cron ? `cron "${memo.cron}"` : 'custom';
  const zone = memo.timezone ? ` (${memo.timezone})` : '';
  const refresh = memo.fullRefreshEvery ? `, full refresh every ${memo.fullRefreshEvery} runs` : '';
  return `${when}${zone}${refresh}`;
}
