// What a schedule runs: a sync of its spec, started exactly as `chartmogul-sync start` starts one (same
// workflow id, task queue and input), as a child. A schedule cannot start the sync itself: Temporal
// appends the scheduled time to a scheduled workflow's id, and a sync must run under its spec's one id
// (`chartmogul-sync:NAME`) so that two runs of one spec can never overlap, however they were started.
// Every Nth run (`fullRefreshEvery`) compares every row with ChartMogul, finding records deleted or edited
// there behind the sync's back.

import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ApplicationFailure, ParentClosePolicy, startChild } from '@temporalio/workflow';

import type { SyncSpec } from '../src/sync-spec/schema';
import { callIo } from './activities';
import { FAILURE_TYPES } from '../src/contracts/failures';
import { syncStartOptions } from '../src/contracts/names';
import { syncWorkflow } from './sync';
import type { SyncResult } from '../src/contracts/sync-types';

export interface ScheduledSyncInput {
  /** The spec as `start` sends it (file paths made absolute). */
  spec: SyncSpec;
  /** Every Nth run of the schedule is a full refresh (0 or absent: never). */
  fullRefreshEvery?: number;
  /** The schedule's id, to count its runs. */
  scheduleId: string;
}

export type ScheduledSyncResult =
  { outcome: 'ran'; fullRefresh: boolean; result: SyncResult } | { outcome: 'skipped'; reason: string };

export async function scheduledSyncWorkflow(input: ScheduledSyncInput): Promise<ScheduledSyncResult> {
  const { spec, fullRefreshEvery = 0, scheduleId } = input;
  if (!spec || typeof spec !== 'object' || typeof spec.name !== 'string')
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.spec,
      nonRetryable: true,
      message: 'The schedule holds no spec.',
    });
  let fullRefresh = Boolean(spec.options?.fullRefresh);
  if (fullRefreshEvery > 0 && !fullRefresh) {
    const { runNumber } = await callIo('scheduleRunNumber', `count the runs of schedule ${scheduleId}`, {
      scheduleId,
    });
    fullRefresh = runNumber % fullRefreshEvery === 0;
  }
  try {
    const child = await startChild(syncWorkflow, {
      ...syncStartOptions({ ...spec, options: { ...spec.options, fullRefresh } }),
      // The sync finishes its rows in flight even if this run is terminated or the schedule deleted.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: `sync ${spec.name}${fullRefresh ? ' (full refresh)' : ''}, started by schedule ${scheduleId}`,
    });
    return { outcome: 'ran', fullRefresh, result: await child.result() };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError)
      return { outcome: 'skipped', reason: `a run of "${spec.name}" started another way was still running` };
    throw error;
  }
}
