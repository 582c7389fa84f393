// A sync's pages in flight: starts each page's rows as page workflows, keeps their progress, and finishes
// pages in order (counts, records and reports them, and moves the cursor past them). Two pages at a time:
// the next page is read and started while the last one finishes its slowest rows, so the request rate does
// not dip at every page boundary. A page with new rows to send in bulk runs as one child workflow
// (bulk-import.ts): its import, then its page workflows count each row's fate, then its record and report; up
// to BULK_PAGES_IN_FLIGHT such pages run at once, but never two that write to one customer (ChartMogul's
// order). Totals and the cursor move only when a page has finished, so a resumed or cancelled sync never skips
// a row.

import {
  condition,
  executeChild,
  patched,
  setCurrentDetails,
  workflowInfo,
  type SignalDefinition,
} from '@temporalio/workflow';

import { destinationOf, type ReadPageResult } from '../src/contracts/activities';
import { SYNC_NAME, TASK_QUEUES } from '../src/contracts/names';
import { OBJECTS } from '../src/objects';
import { addTotals, ZERO_TOTALS, type RowToSend, type Totals } from '../src/contracts/sync-types';
import { BULK_MIN_ROWS, BULK_PAGES_IN_FLIGHT } from '../src/limits';
import { textField } from '../src/sync-spec/mapping';
import type { SyncSpec } from '../src/sync-spec/schema';
import { bulkImportSummary, bulkImportWorkflow, mayImportInBulk } from './bulk-import';
import { BULK_IMPORT_PATCH } from './patches';
import { pauseSignal, resumeSignal, stopSignal, type PageProgress } from './messages';
import { mergePartResults, type PageResult } from './page';
import { recordPage } from './page-record';
import { forwardSignal, startPageWorkflows, type PageStartContext } from './page-starts';
import type { metricsOf } from './sync-metrics';
import { recordIssues, type SyncState } from './sync-state';

/** A page whose page workflows run (or, sending in bulk, whose import runs first): finished in order. */
interface RunningPage {
  page: ReadPageResult;
  index: number;
  results: Promise<PageResult[]>;
  childIds: string[];
  /** Some of its rows go in a bulk import. */
  bulk: boolean;
  /** Bulk pages: the customers its requests may still touch: all its rows' until it has ended. */
  busyWith: Set<string>;
}

export class PagePipeline {
  /** Progress of the page workflows running now, by workflow id. */
  private readonly inFlight = new Map<string, PageProgress>();
  /** The pages started and not finished yet, oldest first (one waits while the next is read; bulk pages up to
   * BULK_PAGES_IN_FLIGHT). */
  private readonly running: RunningPage[] = [];
  /** The last page started sent rows in bulk. */
  lastPageInBulk = false;
  /** The copies of the last page's rows its start put in this run's history: its read's result and its page
   * workflows' inputs. None for a page sending in bulk: its run measures its history instead (`sentInBulk`). */
  get historyCopies(): number {
    return this.lastPageInBulk ? 0 : 2;
  }

  /** A page of this run sent rows in bulk: the run continues as new by its history's size as the server measures
   * it, not by counted copies of rows, which are stored compressed (src/privacy/compression-codec.ts). Only
   * runs with bulk pages, which older histories never hold, so their replays keep their counted rule. */
  sentInBulk = false;
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
    return this.state.pages + this.running.length;
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
   * sends rows in bulk starts once no page still running may write to one of its customers: ChartMogul takes a
   * customer's next request only once its last import has been processed. */
  async add(page: ReadPageResult): Promise<boolean> {
    const rows = this.withBulk(page.rows);
    this.lastPageInBulk = rows.some((row) => row.bulk);
    if (this.lastPageInBulk) {
      this.sentInBulk = true;
      return this.addBulk({ ...page, rows });
    }
    if (this.running.some((running) => running.bulk) && !(await this.drain())) return false;
    const started = await this.start(page, this.nextIndex);
    const previous = this.running.shift();
    const goOn = previous ? await this.finish(previous) : true;
    this.running.push(started);
    return goOn;
  }

  /** Starts a page that sends rows in bulk once it may: finishes the pages before it as they end, and waits
   * while BULK_PAGES_IN_FLIGHT run or one may still write to one of its customers. */
  private async addBulk(page: ReadPageResult): Promise<boolean> {
    const customers = new Set(page.rows.map((row) => this.customerOf(row)));
    const blocked = () =>
      this.running.length >= BULK_PAGES_IN_FLIGHT ||
      this.running.some((running) => [...customers].some((customer) => running.busyWith.has(customer)));
    if (this.running.some((running) => !running.bulk) && !(await this.drain())) return false;
    for (;;) {
      const oldest = this.running[0];
      if (!oldest || !blocked()) break;
      let oldestDone = false;
      void oldest.results.then(
        () => (oldestDone = true),
        () => (oldestDone = true),
      );
      await condition(() => oldestDone || !blocked());
      if (oldestDone && !(await this.finish(this.running.shift() ?? oldest))) return false;
    }
    this.running.push(this.startBulk(page, this.nextIndex));
    return true;
  }

  /** A bulk page: one child workflow runs its import, then its page workflows with each row's fate, and records
   * and reports them, so the sync spends a few workflow tasks a page (its own are what a first load waits on). */
  private startBulk(page: ReadPageResult, index: number): RunningPage {
    const { spec, state } = this;
    const bulkId = `${workflowInfo().workflowId}:page-${index}-bulk`;
    // Pause, resume and stop reach the import's workflow, which passes them on to its page workflows.
    this.inFlight.set(bulkId, { ...ZERO_TOTALS, requests: 0, pageId: bulkId });
    const results = executeChild(bulkImportWorkflow, {
      workflowId: bulkId,
      taskQueue: TASK_QUEUES.io,
      args: [
        {
          object: spec.object,
          target: destinationOf(spec),
          page: `page ${index}`,
          rows: page.rows,
          pages: {
            ...this.pageContext(),
            index,
            rejected: page.rejected,
            ...(page.searchKeys ? { searchKeys: page.searchKeys } : {}),
            reportId: state.reportId,
          },
        },
      ],
      staticSummary: bulkImportSummary(
        spec.object,
        `page ${index}`,
        page.rows.filter((row) => row.bulk),
      ),
      typedSearchAttributes: [{ key: SYNC_NAME, value: spec.name }],
    }).then((imported) => [imported]);
    const running: RunningPage = {
      page,
      index,
      results,
      childIds: [bulkId],
      bulk: true,
      busyWith: new Set(page.rows.map((row) => this.customerOf(row))),
    };
    const done = () => running.busyWith.clear();
    void running.results.then(done, done);
    return running;
  }

  /** The external id of the customer the row's records belong to (ChartMogul's order is per customer). */
  private customerOf(row: RowToSend): string {
    const { bulk, parent } = OBJECTS[this.spec.object];
    return bulk ? bulk.customerOf(row.key, row.fields) : textField(row, parent?.field ?? '');
  }

  /** The page's rows, the new ones marked to go in bulk when the spec and the count allow it: rows the
   * complete listing did not find (so not in ChartMogul), whose parent it found (objects with one), with no
   * custom attributes (an import carries none), that the object takes in bulk. */
  private withBulk(rows: RowToSend[]): RowToSend[] {
    const { spec, state } = this;
    const definition = OBJECTS[spec.object];
    const bulk = definition.bulk;
    if (!bulk || !mayImportInBulk(spec) || !state.listedAll) return rows;
    const eligible = rows.map(
      (row) =>
        !row.uuid &&
        (!definition.parent || !!row.parentUuid) &&
        row.custom.length === 0 &&
        !bulk.goesAlone?.(row.fields),
    );
    if (eligible.filter(Boolean).length < BULK_MIN_ROWS || !patched(BULK_IMPORT_PATCH)) return rows;
    return rows.map((row, index) => (eligible[index] ? { ...row, bulk: true as const } : row));
  }

  /** Finishes the pages still running, in order. False when one was cut short. */
  async drain(): Promise<boolean> {
    let goOn = true;
    for (let running = this.running.shift(); running; running = this.running.shift())
      goOn = (await this.finish(running)) && goOn;
    return goOn;
  }

  /** Starts a page's rows as page workflows (several when their keys need more than one search attribute). */
  private async start(page: ReadPageResult, index: number): Promise<RunningPage> {
    const started = await startPageWorkflows(this.pageContext(), page, index, {
      onStart: (workflowId) => this.inFlight.set(workflowId, { ...ZERO_TOTALS, requests: 0, pageId: workflowId }),
    });
    if (this.cancelled) this.forward(stopSignal);
    this.showDetails();
    return { page, index, ...started, bulk: false, busyWith: new Set() };
  }

  private pageContext(): PageStartContext {
    const { spec, state } = this;
    return { spec, syncId: workflowInfo().workflowId, paused: state.paused, listedAll: state.listedAll };
  }

  /** Waits for a page, then counts it, reports it and moves the cursor past it. False when it was cut short. */
  private async finish(running: RunningPage): Promise<boolean> {
    const { spec, state } = this;
    const { page, index } = running;
    // Its page workflows counted and reported the rows rejected before any request.
    const result = mergePartResults(await running.results);
    // The page leaves the rows in flight as its totals join the sync's, in one step: progress never dips.
    for (const id of running.childIds) this.inFlight.delete(id);
    state.totals = addTotals(state.totals, {
      ...result.totals,
      read: result.totals.read + page.unchanged,
      unchanged: result.totals.unchanged + page.unchanged,
    });
    this.moved();
    this.metrics.rowsDone('unchanged', page.unchanged);
    // A bulk page's workflow recorded and reported its rows itself.
    const issues = running.bulk
      ? [...result.issues].sort((a, b) => a.rowNumber - b.rowNumber)
      : await recordPage(spec, state.reportId, index, result, false);
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
    forwardSignal(this.inFlight.keys(), signal);
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
