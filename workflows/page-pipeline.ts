// A sync's pages in flight: starts each page's rows as page workflows, keeps their progress, and finishes
// pages in order (counts, records and reports them, and moves the cursor past them). Two pages at a time:
// the next page is read and started while the last one finishes its slowest rows, so the request rate does
// not dip at every page boundary. Totals and the cursor move only when a page has finished, so a resumed or
// cancelled sync never skips a row.

import {
  CancellationScope,
  getExternalWorkflowHandle,
  patched,
  setCurrentDetails,
  startChild,
  workflowInfo,
  type SignalDefinition,
} from '@temporalio/workflow';

import { syncTargetOf, type ReadPageResult } from '../src/contracts/activities';
import { RECORD_KEYS, SYNC_NAME, TASK_QUEUES } from '../src/contracts/names';
import { OBJECTS } from '../src/objects';
import { addTotals, ZERO_TOTALS, type RowToSend, type Totals } from '../src/contracts/sync-types';
import { BULK_MIN_ROWS } from '../src/limits';
import { textField } from '../src/sync-spec/mapping';
import type { SyncSpec } from '../src/sync-spec/schema';
import { callIo } from './activities';
import { BULK_IMPORT_PATCH } from './patches';
import { pauseSignal, resumeSignal, stopSignal, type PageProgress } from './messages';
import { mergePartResults, pageWorkflow, type PageInput, type PageResult } from './page';
import {
  partConcurrency,
  partDetails,
  partKeys,
  partSummary,
  searchableKey,
  splitBulkPageIntoParts,
  splitPageIntoParts,
} from './page-parts';
import type { metricsOf } from './sync-metrics';
import { recordIssues, type SyncState } from './sync-state';

/** A page whose page workflows run: finished (in order) by `finishOldest`. */
interface RunningPage {
  page: ReadPageResult;
  index: number;
  results: Promise<PageResult[]>;
  childIds: string[];
  /** Some of its rows went in bulk imports. */
  bulk: boolean;
}

export class PagePipeline {
  /** Progress of the page workflows running now, by workflow id. */
  private readonly inFlight = new Map<string, PageProgress>();
  /** The page started last and not finished yet (at most one waits while the next is read). */
  private running: RunningPage | undefined;
  /** A page was cut short (a cancel): the cursor stays before it, whatever later pages did. */
  private cutShort = false;
  private lastProgressAt = Date.now();
  cancelled = false;

  constructor(
    private readonly spec: SyncSpec,
    private readonly state: SyncState,
    private readonly metrics: ReturnType<typeof metricsOf>,
  ) {}

  /** The index of the next page read: computed here only. */
  get nextIndex(): number {
    return this.state.pages + (this.running ? 1 : 0);
  }

  /** Totals so far: finished pages and the rows done in the pages running now. */
  totalsNow(): Totals {
    return [...this.inFlight.values()].reduce<Totals>((sum, page) => addTotals(sum, page), this.state.totals);
  }

  requestsPerSecond(): number {
    const requests = [...this.inFlight.values()].reduce((sum, page) => sum + page.requests, this.state.requests);
    const seconds = Math.max(1, (Date.now() - this.state.startedAt) / 1000);
    return Math.round((requests / seconds) * 10) / 10;
  }

  /** A page workflow's progress signal. */
  progress(progress: PageProgress): void {
    if (!this.inFlight.has(progress.pageId)) return;
    this.inFlight.set(progress.pageId, progress);
    this.moved();
  }

  setPaused(paused: boolean): void {
    this.state.paused = paused;
    this.forward(paused ? pauseSignal : resumeSignal);
    this.showDetails();
  }

  /** A cancel: the pages running now finish the rows in flight and start no more. */
  stop(): void {
    this.cancelled = true;
    this.forward(stopSignal);
  }

  /** Starts a page (finishing the one before it). False when a page was cut short: read no more. A page that
   * sends rows in bulk starts only once the page before it has finished: a customer's records may be in both,
   * and ChartMogul takes a customer's next request only once its last import has been processed. */
  async add(page: ReadPageResult): Promise<boolean> {
    const rows = this.withBulk(page.rows);
    let goOn = true;
    if (this.running && (this.running.bulk || rows.some((row) => row.bulk))) {
      goOn = await this.finish(this.running);
      this.running = undefined;
      if (!goOn) return false;
    }
    const started = await this.start({ ...page, rows }, this.nextIndex);
    if (this.running) goOn = await this.finish(this.running);
    this.running = started;
    return goOn;
  }

  /** The page's rows, the new ones marked to go in bulk when the spec and the count allow it: rows the
   * complete listing did not find (so not in ChartMogul), whose parent it found, that the object takes in bulk. */
  private withBulk(rows: RowToSend[]): RowToSend[] {
    const { spec, state } = this;
    const definition = OBJECTS[spec.object];
    if (!definition.bulkEntries || spec.options.bulkImport === 'never' || spec.options.dryRun) return rows;
    if (!state.listedAll || spec.mode === 'update') return rows;
    const eligible = (row: RowToSend) =>
      !row.uuid && !!row.parentUuid && definition.bulkEntries?.(row.key, row.fields) !== undefined;
    if (rows.filter(eligible).length < BULK_MIN_ROWS || !patched(BULK_IMPORT_PATCH)) return rows;
    return rows.map((row) => (eligible(row) ? { ...row, bulk: true as const } : row));
  }

  /** Finishes the page still running, if any. False when it was cut short. */
  async drain(): Promise<boolean> {
    const running = this.running;
    this.running = undefined;
    return running ? this.finish(running) : true;
  }

  /** Starts a page's rows as page workflows (several when their keys need more than one search attribute). */
  private async start(page: ReadPageResult, index: number): Promise<RunningPage> {
    const indexed = (key: string) => page.searchKeys?.[key] ?? key;
    const customerField = OBJECTS[this.spec.object].parent?.field ?? '';
    const parts = page.rows.some((row) => row.bulk)
      ? splitBulkPageIntoParts(page.rows, page.rejected, indexed, (row) => textField(row, customerField))
      : splitPageIntoParts(page.rows, page.rejected, indexed);
    const children = await Promise.all(
      parts.map((part, number) => {
        const label = `page-${index}${parts.length > 1 ? `.${number + 1}` : ''}`;
        const workflowId = `${workflowInfo().workflowId}:${label}`;
        this.inFlight.set(workflowId, { ...ZERO_TOTALS, requests: 0, pageId: workflowId });
        return startChild(pageWorkflow, {
          workflowId,
          taskQueue: TASK_QUEUES.io,
          args: [this.pageInput(part, page.rows.length)],
          staticSummary: partSummary(label.replace('-', ' '), part),
          staticDetails: partDetails(part),
          typedSearchAttributes: [
            { key: RECORD_KEYS, value: partKeys(part).map((key) => searchableKey(indexed(key))) },
            { key: SYNC_NAME, value: this.spec.name },
          ],
        });
      }),
    );
    if (this.cancelled) this.forward(stopSignal);
    this.showDetails();
    return {
      page,
      index,
      results: Promise.all(children.map((child) => child.result())),
      childIds: children.map((child) => child.workflowId),
      bulk: parts.some((part) => part.rows.some((row) => row.bulk)),
    };
  }

  private pageInput(part: Pick<PageInput, 'rows' | 'rejected'>, pageRows: number): PageInput {
    const { spec, state } = this;
    return {
      object: spec.object,
      mode: spec.mode,
      target: { account: spec.account, dataSourceUuid: spec.dataSourceUuid },
      dryRun: spec.options.dryRun,
      rows: part.rows,
      rejected: part.rejected,
      paused: state.paused,
      listedAll: state.listedAll,
      incremental: spec.options.incremental,
      // Only pages of records replaced on change need it; older specs (carried through continue-as-new) have none.
      ...(OBJECTS[spec.object].replacedOnChange ? { invoiceChanges: spec.options.invoiceChanges ?? 'fail' } : {}),
      ...(spec.options.contactKey === 'external_id' ? { contactKey: 'external_id' as const } : {}),
      concurrency: partConcurrency(spec.options.concurrency, part.rows.length, pageRows),
    };
  }

  /** Waits for a page, then counts it, reports it and moves the cursor past it. False when it was cut short. */
  private async finish({ page, index, results, childIds }: RunningPage): Promise<boolean> {
    const { spec, state } = this;
    // Its page workflows counted and reported the rows rejected before any request.
    const result = mergePartResults(await results);
    // The page leaves the rows in flight as its totals join the sync's, in one step: progress never dips.
    for (const id of childIds) this.inFlight.delete(id);
    state.totals = addTotals(state.totals, {
      ...result.totals,
      read: result.totals.read + page.unchanged,
      unchanged: result.totals.unchanged + page.unchanged,
    });
    this.moved();
    this.metrics.rowsDone('unchanged', page.unchanged);
    const storeChanges = result.sent.length + result.forgotten.length + result.forgottenParents.length;
    if (spec.options.incremental && !spec.options.dryRun && storeChanges > 0) {
      await callIo('recordSent', `record ${result.sent.length} synced rows of page ${index}`, {
        target: syncTargetOf(spec),
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
    recordIssues(state, issues);
    state.requests += result.requests;
    state.pages = index + 1;
    this.metrics.pace(this.requestsPerSecond());
    if (result.skipped > 0) this.cutShort = true;
    if (!this.cutShort) state.cursor = page.cursor;
    return !this.cutShort;
  }

  /** Passes pause, resume and stop on to the page workflows running now. */
  private forward(signal: SignalDefinition): void {
    for (const pageId of this.inFlight.keys()) {
      void CancellationScope.nonCancellable(() => getExternalWorkflowHandle(pageId).signal(signal)).catch(
        () => undefined,
      );
    }
  }

  private moved(): void {
    this.lastProgressAt = Date.now();
    this.showDetails();
  }

  /** The short text Temporal Web shows on the sync: what it is doing and when it last moved. */
  private showDetails(): void {
    const time = new Date(this.lastProgressAt).toISOString().slice(11, 19);
    const pages = this.inFlight.size;
    setCurrentDetails(
      `${this.state.paused ? 'paused: ' : ''}${pages} page${pages === 1 ? '' : 's'} running, ${this.totalsNow().read} rows done, last progress ${time} UTC`,
    );
  }
}
