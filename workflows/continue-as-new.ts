// When a sync run hands on to a new run (continue-as-new): the one rule both of its exits use, the pages'
// loop and the prefetch's, so a history never grows past what Temporal handles well.

import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';

import { PAGES_PER_RUN, RUN_HISTORY_BYTES } from '../src/limits';
import type { SyncSpec } from '../src/sync-spec/schema';
import type { SyncState, SyncWorkflow } from './sync-state';

/** What this run has done so far: the pages it started, and the bytes they put in its history (each read's
 * result, and the same rows as page inputs or a bulk import's input). */
export interface RunSoFar {
  pages: number;
  bytes: number;
  /** The run is due by its history's size as the server measures it too (runs that sent pages in bulk). */
  measured?: boolean;
}

/** Continues as new when this run is due to (PAGES_PER_RUN pages, RUN_HISTORY_BYTES bytes, or the server's
 * suggestion): first `settle` (the page still running finishes), then every handler. Answers false when
 * `settle` did (the sync was cut short: it ends instead); true when the run is not due and goes on. */
export async function continueAsNewIfDue(
  spec: SyncSpec,
  state: SyncState,
  run: RunSoFar,
  settle: () => Promise<boolean> = () => Promise.resolve(true),
): Promise<boolean> {
  const historyFull =
    run.bytes >= RUN_HISTORY_BYTES || (run.measured === true && workflowInfo().historySize >= RUN_HISTORY_BYTES);
  if (!(run.pages >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested || historyFull)) return true;
  if (!(await settle())) return false;
  await condition(allHandlersFinished);
  return continueAsNew<SyncWorkflow>(spec, state);
}
