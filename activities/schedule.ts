// What a scheduled run asks of Temporal itself: how many runs its schedule has taken, counting this one.

import { Context } from '@temporalio/activity';

export interface ScheduleRunNumberInput {
  scheduleId: string;
}

export function scheduleActivities() {
  return {
    /** The schedule's actions taken so far, this run included (1 for its first run). */
    scheduleRunNumber: async ({ scheduleId }: ScheduleRunNumberInput): Promise<{ runNumber: number }> => {
      const description = await Context.current().client.schedule.getHandle(scheduleId).describe();
      return { runNumber: description.info.numActionsTaken };
    },
  };
}
