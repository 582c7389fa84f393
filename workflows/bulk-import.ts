// One ChartMogul bulk import (2026, `json_imports`) of a page's new rows, as a child workflow of the sync
// (`…:page-7-bulk`): sent once (its external id is this workflow's id and run, looked up before anything is
// sent again: ../activities/bulk-import.ts), then waited for with durable timers that back off, so a long
// import costs few requests and survives worker restarts; then each row's fate: created, or handed to the
// row's own procedure (ChartMogul holds no valid record of it). Its details show the import's status while it
// runs. It then starts the page's page workflows, which count and report each row as they do any other (the
// rows the import created carry no fields), records and reports the page, and answers their results: the sync
// spends a few workflow tasks on the whole page. Pause, resume and stop reach them through it.

import { setCurrentDetails, setHandler, sleep, workflowInfo, type SignalDefinition } from '@temporalio/workflow';

import type { BulkRowOutcome, Destination, ReadPageResult } from '../src/contracts/activities';
import type { RowToSend } from '../src/contracts/sync-types';
import { OBJECTS, type SyncObject } from '../src/objects';
import type { SyncSpec } from '../src/sync-spec/schema';
import { callApi } from './activities';
import { pageProgressSignal, pauseSignal, resumeSignal, stopSignal } from './messages';
import { mergePartResults, type PageResult } from './page';
import { recordPage } from './page-record';
import { forwardSignal, startPageWorkflows, type PageStartContext } from './page-starts';

/** The spec may send new rows in bulk: its object goes in imports, bulk is not turned off, and it writes new
 * records. */
export function mayImportInBulk(spec: SyncSpec): boolean {
  return (
    OBJECTS[spec.object].bulk !== undefined &&
    spec.options.bulkImport !== 'never' &&
    !spec.options.dryRun &&
    spec.mode !== 'update'
  );
}

/** The first look at an import comes at once, in the activity that sends it (a small import is often done by
 * then), the next after a second (Temporal fires a shorter timer about a second late anyway), later ones ever
 * further apart. */
const SECOND_POLL_MS = 1_000;
const LONGEST_POLL_MS = 60_000;

export interface BulkImportWorkflowInput {
  object: SyncObject;
  target: Destination;
  /** The page's name in the summaries: `page 7`. */
  page: string;
  /** The page's rows: those marked `bulk` go in the import. */
  rows: RowToSend[];
  /** What the page's page workflows are started with, and where it is recorded and reported. */
  pages: PageStartContext &
    Pick<ReadPageResult, 'rejected' | 'searchKeys'> & {
      index: number;
      reportId: string;
    };
}

/** What the sync hears of a bulk page: its totals, issues, requests and rows cut short. Its confirmed rows are
 * recorded already, so they stay out of the sync's history. */
export type BulkImportResult = PageResult;

/** The import's name in Temporal Web: `bulk import 1,000 invoices of page 7 (INV-0001 … INV-1000)`. */
export function bulkImportSummary(object: SyncObject, page: string, rows: readonly RowToSend[]): string {
  const count = String(rows.length).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const range = `${rows[0]?.key ?? ''} … ${rows[rows.length - 1]?.key ?? ''}`;
  return `bulk import ${count} ${OBJECTS[object].noun}s of ${page} (${range})`;
}

export async function bulkImportWorkflow(input: BulkImportWorkflowInput): Promise<BulkImportResult> {
  const { object, target, page, pages } = input;
  // Passed on to its page workflows once they run; until then, what they start with.
  const pageIds: string[] = [];
  const forward = (signal: SignalDefinition) => forwardSignal(pageIds, signal);
  let stopping = false;
  setHandler(pauseSignal, () => {
    pages.paused = true;
    forward(pauseSignal);
  });
  setHandler(resumeSignal, () => {
    pages.paused = false;
    forward(resumeSignal);
  });
  setHandler(stopSignal, () => {
    stopping = true;
    forward(stopSignal);
  });
  // Its page workflows' progress: the sync hears the page's totals when it ends.
  setHandler(pageProgressSignal, () => undefined);

  const rows = input.rows.filter((row) => row.bulk);
  const { fates, requests } = await runImport(object, target, page, rows);
  const created = new Map(fates.filter((fate) => fate.status === 'created').map((fate) => [fate.key, fate.uuid ?? '']));
  // A created row's page workflow only counts and records it: what else the row holds stays out of its history.
  const pageRows = input.rows.map(({ bulk: _bulk, ...row }): RowToSend => {
    const uuid = created.get(row.key);
    if (uuid === undefined) return row;
    const { key, rowNumber, custom, hash } = row;
    return { key, rowNumber, fields: {}, custom, ...(hash === undefined ? {} : { hash }), createdInBulk: uuid };
  });
  const started = await startPageWorkflows(
    pages,
    { rows: pageRows, rejected: pages.rejected, searchKeys: pages.searchKeys },
    pages.index,
    { importedBy: workflowInfo().workflowId, onStart: (pageId) => pageIds.push(pageId) },
  );
  // A pause or stop heard while they were starting may have missed them: both may be heard twice.
  if (pages.paused) forward(pauseSignal);
  if (stopping) forward(stopSignal);
  const result = mergePartResults(await started.results);
  await recordPage(pages.spec, pages.reportId, pages.index, result, true);
  return { ...result, requests: result.requests + requests, sent: [], forgotten: [], forgottenParents: [] };
}

/** Sends the rows' import and waits for its end: each row's fate, and the requests it took. */
async function runImport(
  object: SyncObject,
  target: Destination,
  page: string,
  rows: RowToSend[],
): Promise<{ fates: BulkRowOutcome[]; requests: number }> {
  const { workflowId, runId } = workflowInfo();
  const importId = `${workflowId}@${runId}`;
  const name = bulkImportSummary(object, page, rows);
  const { bulk } = OBJECTS[object];
  const keys = rows.map((row) => ({ key: row.key, customer: bulk?.customerOf(row.key, row.fields) ?? '' }));
  // The import, and a first look at once.
  let status = await callApi('startBulkImport', name, { target, object, importId, rows });
  let requests = status.requests;
  for (let wait = SECOND_POLL_MS; !status.fates; wait = Math.min(wait * 2, LONGEST_POLL_MS)) {
    setCurrentDetails(`${status.status}: ${status.processed} records processed, ${status.failed} failed`);
    await sleep(wait);
    status = await callApi('bulkImportStatus', `look at ${name.replace(/ \(.*$/, '')}`, {
      target,
      object,
      importId,
      rows: keys,
    });
    requests += status.requests;
  }
  const oneByOne = status.fates.filter((fate) => fate.status === 'one-by-one');
  setCurrentDetails(
    [
      `${status.status}: ${status.processed} records processed, ${status.failed} failed`,
      ...(oneByOne.length > 0 ? [`${oneByOne.length} rows ChartMogul holds no valid record of go one by one:`] : []),
      ...oneByOne.slice(0, 50).map((fate) => `- ${fate.key}: ${fate.reason ?? ''}`),
    ].join('\n'),
  );
  return { fates: status.fates, requests };
}
