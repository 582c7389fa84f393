// The sync: one workflow per spec name. Checks the destination, reads the source page by page (each page
// runs as child workflows: page-pipeline.ts), keeps totals and the report, and continues as new before its
// history grows large (continue-as-new.ts). Signals pause and resume; a cancel finishes the rows in flight
// and reports totals.

import {
  ApplicationFailure,
  CancellationScope,
  condition,
  ContinueAsNew,
  isCancellation,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';

import { destinationOf, syncTargetOf, type ReadPageResult } from '../src/contracts/activities';
import { FAILURE_TYPES } from '../src/contracts/failures';
import { SYNC_NAME, syncWorkflowId } from '../src/contracts/names';
import type { SyncResult } from '../src/contracts/sync-types';
import type { SourceCursor } from '../src/sources/types';
import { parseSpec, type SyncSpec } from '../src/sync-spec/schema';
import { callApi, callIo } from './activities';
import { mayImportInBulk } from './bulk-import';
import { continueAsNewIfDue } from './continue-as-new';
import { pageProgressSignal, pauseSignal, progressQuery, resumeSignal } from './messages';
import { notifyOf } from './notify';
import { PagePipeline } from './page-pipeline';
import { prefetch } from './prefetch';
import { metricsOf } from './sync-metrics';
import { firstState, resultOf, type SyncState } from './sync-state';

export { syncWorkflowId };

/** The only argument is the spec, so a sync can be started from Temporal Web or `temporal workflow start`. */
export async function syncWorkflow(input: unknown, carried?: SyncState): Promise<SyncResult> {
  const spec = validSpec(input);
  const state = carried ?? firstState(spec);
  const metrics = metricsOf(spec.name);
  const pages = new PagePipeline(spec, state, metrics);
  setHandler(pauseSignal, () => pages.setPaused(true));
  setHandler(resumeSignal, () => pages.setPaused(false));
  setHandler(pageProgressSignal, (progress) => pages.progress(progress));
  setHandler(progressQuery, () => ({
    ...pages.totalsNow(),
    requestsPerSecond: pages.requestsPerSecond(),
    paused: state.paused,
  }));
  CancellationScope.current().cancelRequested.catch((error: unknown) => {
    if (isCancellation(error)) pages.stop();
  });
  upsertSearchAttributes([{ key: SYNC_NAME, value: spec.name }]);

  // Everything below runs to completion even when a cancel arrives: rows in flight finish and count.
  const runToEnd = () =>
    CancellationScope.nonCancellable(async (): Promise<SyncResult> => {
      if (!carried) {
        await callIo('checkSource', "check the source's columns against the mapping", { spec });
        await callApi(
          'checkDestination',
          `check the API key and data source ${spec.dataSourceUuid}`,
          destinationOf(spec),
        );
      }
      await prefetch(spec, state);
      const run = { pages: 0, bytes: 0, measured: false };
      let readCursor = state.cursor;
      let rowsHint = 0;
      // A first load's pages go in bulk imports: read larger ones while they do (across runs too, so a sync
      // whose pages cannot go in bulk reads one such page, not one a run).
      const sizedForBulk = () => mayImportInBulk(spec) && state.listedAll && state.lastPageInBulk !== false;
      for (;;) {
        await condition(() => pages.cancelled || !state.paused);
        if (pages.cancelled) break;
        const page: ReadPageResult = await callIo('readPage', `read page ${pages.nextIndex}${after(readCursor)}`, {
          spec,
          cursor: readCursor,
          columnTypes: state.columnTypes,
          ...(rowsHint > 0 ? { rowsHint } : {}),
          ...(sizedForBulk() ? { sizedForBulk: true as const } : {}),
        });
        state.columnTypes = page.columnTypes;
        readCursor = page.cursor;
        rowsHint = Math.ceil((page.rows.length + page.rejected.length) * 1.1);
        const goOn = await pages.add(page);
        state.lastPageInBulk = pages.lastPageInBulk;
        run.bytes += pages.historyCopies * (page.bytes ?? 0);
        run.measured = pages.sentInBulk;
        run.pages += 1;
        if (!goOn || page.done) break;
        if (!(await continueAsNewIfDue(spec, state, run, () => pages.drain()))) break;
      }
      await pages.drain();
      // Every write of this run is recorded now (a cancel finishes the rows in flight first).
      if (spec.options.incremental && !spec.options.dryRun) {
        await callIo('endRun', 'mark the run finished in the state store', { target: syncTargetOf(spec) });
      }
      const parts = `${state.pages} part${state.pages === 1 ? '' : 's'}`;
      const report = await callIo('finishReport', `finish the report (${parts})`, {
        reportId: state.reportId,
        pages: state.pages,
      });
      const result = resultOf(spec, state, pages.cancelled, report.path);
      metrics.finished(result);
      return result;
    });
  let result: SyncResult;
  try {
    result = await runToEnd();
  } catch (error) {
    // A continue-as-new is no end; anything else failed the run.
    if (!(error instanceof ContinueAsNew)) await notifyOf(spec, { error });
    throw error;
  }
  await notifyOf(spec, { result });
  return result;
}

/** The spec, valid and run under its own workflow id, or a final failure that says what to fix. */
function validSpec(input: unknown): SyncSpec {
  const parsed = parseSpec(input);
  if (!parsed.ok) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.spec,
      nonRetryable: true,
      message: `The sync spec is not valid:\n${parsed.problems.map((problem) => `  - ${problem}`).join('\n')}`,
    });
  }
  // One run of a spec at a time, however it is started: Temporal allows one running workflow per id, so
  // the id must be the spec's. (Schedules start it as a child with this same id.)
  const expectedId = syncWorkflowId(parsed.spec.name);
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.workflowId,
      nonRetryable: true,
      message: `A sync of spec "${parsed.spec.name}" must run as workflow id "${expectedId}" (it was started as "${workflowInfo().workflowId}"), so that two runs of one spec can never overlap. Start it with that id, or with \`chartmogul-sync start\`.`,
    });
  }
  return parsed.spec;
}

/** How a page's read names where it starts, after the first. */
function after(cursor: SourceCursor): string {
  return cursor.rowsRead > 0 ? ` after row ${cursor.rowsRead} (key ${(cursor.lastKey ?? []).join('/')})` : '';
}
