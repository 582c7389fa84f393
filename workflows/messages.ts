// Signals and queries, defined once so clients and workflows share them.

import { defineQuery, defineSignal } from '@temporalio/workflow';

import type { Progress, Totals } from '../src/contracts/sync-types';

export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** To a page workflow: finish the rows in flight, start no more (sent when the sync is cancelled). */
export const stopSignal = defineSignal('stop');
/** From a page workflow to its sync: its totals so far, so `progress` moves within a page. */
export const pageProgressSignal = defineSignal<[PageProgress]>('pageProgress');

export interface PageProgress extends Totals {
  pageId: string;
  requests: number;
}

export const progressQuery = defineQuery<Progress>('progress');
