// The sync: one workflow per spec name. Checks the destination, reads the source page by page (each page
// runs as a child workflow), keeps totals and the report, and continues as new before its history grows
// large. Signals pause and resume; a cancel finishes the rows in flight and reports totals.

import {
  ApplicationFailure,
  CancellationScope,
  condition,
  ContinueAsNew,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  deprecatePatch,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  allHandlersFinished,
  type SignalDefinition,
} from '@temporalio/workflow';

import type { ReadPageResult } from '../activities/source';
import { RUN_HISTORY_BYTES } from '../src/limits';
import { parseSpec, type SyncSpec } from '../src/sync-spec/schema';
import { callApi, callIo } from './activities';
import { partConcurrency, partDetails, partKeys, partSummary, searchableKey, splitPageIntoParts } from './page-parts';
import {
  pageProgressSignal,
  pauseSignal,
  progressQuery,
  resumeSignal,
  stopSignal,
  type PageProgress,
} from './messages';
import { RECORD_KEYS, SYNC_NAME, syncWorkflowId, TASK_QUEUES } from '../src/contracts/names';
import { mergePartResults, pageWorkflow, type PageResult } from './page';
import { HISTORY_BYTES_PATCH, REJECTED_IN_PAGES_PATCH, RUN_MARKER_PATCH, SOURCE_CHECK_PATCH } from './patches';
import { notifyOf } from './notify';
import { prefetch } from './prefetch';
import { metricsOf } from './sync-metrics';
import { noteChanges, type SyncState } from './sync-state';
import {
  addTotals,
  isDryRunChange,
  ZERO_TOTALS,
  type ReportEntry,
  type SyncResult,
  type Totals,
} from '../src/contracts/sync-types';

const MAX_ISSUES_IN_RESULT = 1000;
/** Pages per run before continue-as-new, unless the server suggests it sooner. */
const PAGES_PER_RUN = 25;

function firstState(spec: SyncSpec): SyncState {
  const startedAt = Date.now();
  const stamp = new Date(startedAt).toISOString().replace(/[:.]/g, '-');
  return {
    cursor: { lastKey: null, readAtLastKey: 0, rowsRead: 0 },
    totals: { ...ZERO_TOTALS },
    issues: [],
    issuesTruncated: false,
    requests: 0,
    pages: 0,
    paused: false,
    startedAt,
    reportId: `${spec.name}-${stamp}`,
    prefetch: spec.options.incremental ? 'not-planned' : 'done',
    listedAll: false,
  };
}

export { syncWorkflowId };

/** The only argument is the spec, so a sync can be started from Temporal Web or `temporal workflow start`. */
export async function syncWorkflow(input: unknown, carried?: SyncState): Promise<SyncResult> {
  const parsed = parseSpec(input);
  if (!parsed.ok) {
    throw ApplicationFailure.create({
      type: 'InvalidSpec',
      nonRetryable: true,
      message: `The sync spec is not valid:\n${parsed.problems.map((problem) => `  - ${problem}`).join('\n')}`,
    });
  }
  const spec = parsed.spec;
  // One run of a spec at a time, however it is started: Temporal allows one running workflow per id, so
  // the id must be the spec's. (Schedules start it as a child with this same id.)
  const expectedId = syncWorkflowId(spec.name);
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: 'WrongWorkflowId',
      nonRetryable: true,
      message: `A sync of spec "${spec.name}" must run as workflow id "${expectedId}" (it was started as "${workflowInfo().workflowId}"), so that two runs of one spec can never overlap. Start it with that id, or with \`chartmogul-sync start\`.`,
    });
  }
  const target = { account: spec.account, dataSourceUuid: spec.dataSourceUuid };
  const storeTarget = { ...target, object: spec.object, syncName: spec.name };
  const state = carried ?? firstState(spec);
  const metrics = metricsOf(spec.name);
  /** Progress of the page workflows running now, by workflow id. */
  const pagesInFlight = new Map<string, PageProgress>();
  let cancelled = false;

  /** Passes pause, resume and stop on to the page workflows running now. */
  const forward = (signal: SignalDefinition) => {
    for (const pageId of pagesInFlight.keys()) {
      void CancellationScope.nonCancellable(() => getExternalWorkflowHandle(pageId).signal(signal)).catch(
        () => undefined,
      );
    }
  };
  setHandler(pauseSignal, () => {
    state.paused = true;
    forward(pauseSignal);
    showDetails();
  });
  setHandler(resumeSignal, () => {
    state.paused = false;
    forward(resumeSignal);
    showDetails();
  });
  let lastProgressAt = Date.now();
  /** Totals so far: finished pages and the rows done in the pages running now. */
  const totalsNow = () => [...pagesInFlight.values()].reduce<Totals>((sum, page) => addTotals(sum, page), state.totals);
  /** The short text Temporal Web shows on the sync: what it is doing and when it last moved. */
  const showDetails = () => {
    const time = new Date(lastProgressAt).toISOString().slice(11, 19);
    const pages = pagesInFlight.size;
    setCurrentDetails(
      `${state.paused ? 'paused: ' : ''}${pages} page${pages === 1 ? '' : 's'} running, ${totalsNow().read} rows done, last progress ${time} UTC`,
    );
  };
  const moved = () => {
    lastProgressAt = Date.now();
    showDetails();
  };
  setHandler(pageProgressSignal, (progress) => {
    if (!pagesInFlight.has(progress.pageId)) return;
    pagesInFlight.set(progress.pageId, progress);
    moved();
  });
  const requestsPerSecond = () => {
    const requests = [...pagesInFlight.values()].reduce((sum, page) => sum + page.requests, state.requests);
    const seconds = Math.max(1, (Date.now() - state.startedAt) / 1000);
    return Math.round((requests / seconds) * 10) / 10;
  };
  setHandler(progressQuery, () => ({ ...totalsNow(), requestsPerSecond: requestsPerSecond(), paused: state.paused }));
  CancellationScope.current().cancelRequested.catch((error: unknown) => {
    if (!isCancellation(error)) return;
    cancelled = true;
    forward(stopSignal);
  });

  upsertSearchAttributes([{ key: SYNC_NAME, value: spec.name }]);

  const record = (entries: ReportEntry[]) => {
    // A dry run's changes are counted by field, with a short sample: the report file holds every one.
    const changes = entries.filter((entry) => isDryRunChange(entry.status));
    if (changes.length > 0) noteChanges(state, changes);
    const issues = changes.length > 0 ? entries.filter((entry) => !isDryRunChange(entry.status)) : entries;
    const room = MAX_ISSUES_IN_RESULT - state.issues.length;
    state.issues.push(...issues.slice(0, Math.max(0, room)));
    if (issues.length > room) state.issuesTruncated = true;
  };

  interface RunningPage {
    page: ReadPageResult;
    index: number;
    results: Promise<PageResult[]>;
    childIds: string[];
  }

  /** Starts a page's rows as page workflows (several when their keys need more than one search attribute). */
  const startPage = async (page: ReadPageResult, index: number): Promise<RunningPage> => {
    deprecatePatch(REJECTED_IN_PAGES_PATCH);
    const indexed = (key: string) => page.searchKeys?.[key] ?? key;
    const parts = splitPageIntoParts(page.rows, page.rejected, indexed);
    const children = await Promise.all(
      parts.map((part, number) => {
        const label = `page-${index}${parts.length > 1 ? `.${number + 1}` : ''}`;
        const workflowId = `${workflowInfo().workflowId}:${label}`;
        const { rows, rejected } = part;
        pagesInFlight.set(workflowId, { ...ZERO_TOTALS, requests: 0, pageId: workflowId });
        return startChild(pageWorkflow, {
          workflowId,
          taskQueue: TASK_QUEUES.io,
          args: [
            {
              object: spec.object,
              mode: spec.mode,
              target,
              dryRun: spec.options.dryRun,
              rows,
              rejected,
              paused: state.paused,
              listedAll: state.listedAll,
              incremental: spec.options.incremental,
              // Only invoice pages need it; older specs (carried through continue-as-new) have none.
              ...(spec.object === 'invoices' ? { invoiceChanges: spec.options.invoiceChanges ?? 'fail' } : {}),
              concurrency: partConcurrency(spec.options.concurrency, rows.length, page.rows.length),
            },
          ],
          staticSummary: partSummary(label.replace('-', ' '), part),
          staticDetails: partDetails(part),
          typedSearchAttributes: [
            { key: RECORD_KEYS, value: partKeys(part).map((key) => searchableKey(indexed(key))) },
            { key: SYNC_NAME, value: spec.name },
          ],
        });
      }),
    );
    if (cancelled) forward(stopSignal);
    showDetails();
    return {
      page,
      index,
      results: Promise.all(children.map((child) => child.result())),
      childIds: children.map((child) => child.workflowId),
    };
  };

  let cutShort = false;
  /** Waits for a page, then counts it, reports it and moves the cursor past it. False when it was cut short. */
  const finishPage = async ({ page, index, results, childIds }: RunningPage): Promise<boolean> => {
    // Its page workflows counted and reported the rows rejected before any request.
    const result = mergePartResults(await results);
    // The page leaves the rows in flight as its totals join the sync's, in one step: progress never dips.
    for (const id of childIds) pagesInFlight.delete(id);
    const pageTotals = {
      ...result.totals,
      read: result.totals.read + page.unchanged,
      unchanged: result.totals.unchanged + page.unchanged,
    };
    state.totals = addTotals(state.totals, pageTotals);
    moved();
    metrics.rowsDone('unchanged', page.unchanged);
    const storeChanges = result.sent.length + result.forgotten.length + result.forgottenParents.length;
    if (spec.options.incremental && !spec.options.dryRun && storeChanges > 0) {
      await callIo('recordSent', `record ${result.sent.length} synced rows of page ${index}`, {
        target: storeTarget,
        sent: result.sent,
        forgotten: result.forgotten,
        forgottenParents: result.forgottenParents,
      });
    }
    const issues = [...result.issues].sort((a, b) => a.rowNumber - b.rowNumber);
    await callIo('writeReportPart', `write report part ${index} (${issues.length} rows)`, {
      reportId: state.reportId,
      page: index,
      entries: issues,
    });
    record(issues);
    state.requests += result.requests;
    state.pages = index + 1;
    metrics.pace(requestsPerSecond());
    // Once a page was cut short (a cancel), the cursor stays before it, whatever later pages did.
    if (result.skipped > 0) cutShort = true;
    if (!cutShort) state.cursor = page.cursor;
    return !cutShort;
  };

  // Everything below runs to completion even when a cancel arrives: rows in flight finish and count.
  const runToEnd = () =>
    CancellationScope.nonCancellable(async (): Promise<SyncResult> => {
      if (!carried) {
        deprecatePatch(SOURCE_CHECK_PATCH);
        await callIo('checkSource', "check the source's columns against the mapping", { spec });
      }
      if (!carried)
        await callApi('checkDestination', `check the API key and data source ${spec.dataSourceUuid}`, target);
      await prefetch(spec, state);
      // Two pages at a time: the next page is read and started while the last one finishes its slowest rows,
      // so the request rate does not dip at every page boundary. Totals and the cursor move only when a page
      // has finished, in order, so a resumed or cancelled sync never skips a row.
      let pagesThisRun = 0;
      /** What this run's pages put in its history: each read's result, and the same rows as page inputs. */
      let bytesThisRun = 0;
      let running: RunningPage | undefined;
      let readCursor = state.cursor;
      let stopped = false;
      for (;;) {
        await condition(() => cancelled || !state.paused);
        if (cancelled) break;
        const after =
          readCursor.rowsRead > 0
            ? ` after row ${readCursor.rowsRead} (key ${(readCursor.lastKey ?? []).join('/')})`
            : '';
        const page: ReadPageResult = await callIo('readPage', `read page ${state.pages + (running ? 1 : 0)}${after}`, {
          spec,
          cursor: readCursor,
          columnTypes: state.columnTypes,
        });
        state.columnTypes = page.columnTypes;
        readCursor = page.cursor;
        bytesThisRun += 2 * (page.bytes ?? 0);
        const started = await startPage(page, state.pages + (running ? 1 : 0));
        if (running) stopped = !(await finishPage(running));
        running = started;
        pagesThisRun += 1;
        if (stopped || page.done) break;
        const historyFull = bytesThisRun >= RUN_HISTORY_BYTES && patched(HISTORY_BYTES_PATCH);
        if (pagesThisRun >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested || historyFull) {
          stopped = !(await finishPage(running));
          running = undefined;
          if (stopped) break;
          await condition(allHandlersFinished);
          await continueAsNew<typeof syncWorkflow>(spec, state);
        }
      }
      if (running) await finishPage(running);
      // Every write of this run is recorded now (a cancel finishes the rows in flight first).
      if (spec.options.incremental && !spec.options.dryRun) {
        deprecatePatch(RUN_MARKER_PATCH);
        await callIo('endRun', 'mark the run finished in the state store', { target: storeTarget });
      }
      const report: { path: string } = await callIo(
        'finishReport',
        `finish the report (${state.pages} part${state.pages === 1 ? '' : 's'})`,
        { reportId: state.reportId, pages: state.pages },
      );
      const reportPath = report.path;
      const result: SyncResult = {
        status: cancelled ? 'cancelled' : 'completed',
        totals: state.totals,
        issues: state.issues,
        issuesTruncated: state.issuesTruncated,
        reportPath,
        requests: state.requests,
        durationMs: Date.now() - state.startedAt,
        ...(spec.options.dryRun
          ? { changedFields: state.changedFields ?? {}, changeSample: state.changeSample ?? [] }
          : {}),
      };
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
