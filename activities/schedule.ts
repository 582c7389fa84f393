// What a scheduled run asks of Temporal itself: how many runs its schedule has taken, counting this one.

import { Context } from '@temporalio/activity';
import { ScheduleNotFoundError } from '@temporalio/client';

import { syncWorkflowId } from '../src/contracts/names';

export interface ScheduleRunNumberInput {
  scheduleId: string;
}

export interface ScheduleSilenceInput {
  scheduleId: string;
  syncName: string;
}

/** When the sync last ended (any run, however started; a run still going does not count), or, before its
 * first, when its schedule was made. Null when the schedule is gone. */
export type ScheduleSilence = { quietSince: number } | null;

/** Runs of one sync looked at: the newest come first, and one ended run is enough. */
const RUNS_LOOKED_AT = 50;

export function scheduleActivities() {
  return {
    scheduleSilence: async ({ scheduleId, syncName }: ScheduleSilenceInput): Promise<ScheduleSilence> => {
      const client = Context.current().client;
      let createdAt: number;
      try {
        createdAt = (await client.schedule.getHandle(scheduleId).describe()).info.createdAt.getTime();
      } catch (error) {
        if (error instanceof ScheduleNotFoundError) return null;
        throw error;
      }
      let lastEnd = createdAt;
      let seen = 0;
      for await (const run of client.workflow.list({ query: `WorkflowId = "${syncWorkflowId(syncName)}"` })) {
        const ended = run.status.name !== 'RUNNING' && run.status.name !== 'CONTINUED_AS_NEW';
        if (ended && run.closeTime) lastEnd = Math.max(lastEnd, run.closeTime.getTime());
        if (++seen >= RUNS_LOOKED_AT) break;
      }
      return { quietSince: lastEnd };
    },

    /** The schedule's actions taken so far, this run included (1 for its first run). */
    scheduleRunNumber: async ({ scheduleId }: ScheduleRunNumberInput): Promise<{ runNumber: number }> => {
      const description = await Context.current().client.schedule.getHandle(scheduleId).describe();
      return { runNumber: description.info.numActionsTaken };
    },
  };
}
