// One page of rows (one part of a page: see page-parts.ts): runs each row's procedure, at most `concurrency`
// at a time, and reports the rows rejected before any request. Its search attribute lists every key it
// holds, so Temporal Web finds any row's history by its key.

import { condition, setHandler, getExternalWorkflowHandle, metricMeter, workflowInfo } from '@temporalio/workflow';

import {
  addTotals,
  type ReportEntry,
  type RowToSend,
  type SentRecord,
  type Totals,
  ZERO_TOTALS,
} from '../src/contracts/sync-types';
import type { Destination } from '../src/contracts/activities';
import { attributeKeysAfterSend } from '../src/state/row';
import { textField, type RejectedRow } from '../src/sync-spec/mapping';
import type { InvoiceChanges, SyncMode, SyncObject } from '../src/sync-spec/schema';
import { pageProgressSignal, pauseSignal, resumeSignal, stopSignal } from './messages';
import { METRIC_NAMES, syncNameOf } from '../src/contracts/names';
import { runRow, type RowOutcome } from './procedures';
import { OBJECTS } from '../src/objects';

export interface PageInput {
  object: SyncObject;
  mode: SyncMode;
  target: Destination;
  concurrency: number;
  dryRun: boolean;
  /** The sync listed the whole data source: rows it did not find are new. */
  listedAll: boolean;
  /** options.incremental (absent from pages started before it was passed: then true). */
  incremental?: boolean;
  /** options.invoiceChanges (absent from pages started before invoices: then fail). */
  invoiceChanges?: InvoiceChanges;
  /** options.contactKey, on contacts pages keyed by external_id (absent: by customer and email). */
  contactKey?: 'external_id';
  rows: RowToSend[];
  /** Rows of the part rejected before any request: counted and reported here, so a search for their key
   * finds this workflow and its reason. */
  rejected: RejectedRow[];
  paused: boolean;
}

export interface PageResult {
  totals: Totals;
  /** Rows ChartMogul confirmed, for the state store. */
  sent: SentRecord[];
  /** Keys whose stored record ChartMogul no longer has, and (contacts) parent customer keys likewise. */
  forgotten: string[];
  forgottenParents: string[];
  issues: ReportEntry[];
  requests: number;
  /** Rows not started because the sync was cancelled. */
  skipped: number;
}

const PROGRESS_EVERY = 25;

export async function pageWorkflow(input: PageInput): Promise<PageResult> {
  let paused = input.paused;
  let stopping = false;
  setHandler(pauseSignal, () => {
    paused = true;
  });
  setHandler(resumeSignal, () => {
    paused = false;
  });
  setHandler(stopSignal, () => {
    stopping = true;
  });

  // Rows by outcome as each finishes, on the worker's metrics endpoint (never counted again on replay).
  const rowsDone = metricMeter
    .withTags({ sync: syncNameOf(workflowInfo().workflowId) ?? '' })
    .createCounter(METRIC_NAMES.rows, 'rows', 'Rows by sync and outcome');
  const rejected = input.rejected;
  if (rejected.length > 0) rowsDone.add(rejected.length, { outcome: 'rejected' });
  const totals: Totals = { ...ZERO_TOTALS, read: rejected.length, rejected: rejected.length };
  const issues: ReportEntry[] = rejected.map((row) => ({
    key: row.key,
    rowNumber: row.rowNumber,
    status: 'rejected',
    reason: row.reasons.join('; '),
  }));
  const sent: SentRecord[] = [];
  const forgotten: string[] = [];
  const forgottenParents: string[] = [];
  let requests = 0;
  let inFlight = 0;
  let started = 0;
  const parent = workflowInfo().parent;
  const parentField = OBJECTS[input.object].parent?.field ?? '';
  const running: Promise<void>[] = [];
  let fatal: Error | undefined;

  /** Counts a row's outcome, reports it, and keeps what the state store learns. */
  const count = (row: RowToSend, outcome: RowOutcome): void => {
    totals.read += 1;
    totals[outcome.status] = (totals[outcome.status] ?? 0) + 1;
    rowsDone.add(1, { outcome: outcome.status });
    requests += outcome.requests;
    if (outcome.issue) issues.push(outcome.issue);
    // A row a bulk import created may be recorded without its UUID, which the next listing tells.
    const confirmed = outcome.uuid || row.createdInBulk !== undefined;
    if (
      confirmed &&
      row.hash &&
      (outcome.status === 'created' ||
        outcome.status === 'updated' ||
        outcome.status === 'unchanged' ||
        outcome.status === 'partial')
    ) {
      // A partial row is recorded with what ChartMogul did not keep, so an unchanged row does not resend it.
      sent.push({
        key: row.key,
        uuid: outcome.uuid ?? '',
        hash: row.hash,
        status: outcome.status,
        attributeKeys: attributeKeysAfterSend(row),
        ...(outcome.notKept ? { notKept: outcome.notKept } : {}),
      });
    }
    if (outcome.forgotten) forgotten.push(row.key);
    if (outcome.forgottenParent) forgottenParents.push(textField(row, parentField));
  };
  /** Counts a row's outcome, and tells the sync every PROGRESS_EVERY rows. */
  const settle = async (row: RowToSend, outcome: RowOutcome): Promise<void> => {
    count(row, outcome);
    if (parent && totals.read % PROGRESS_EVERY === 0) {
      await getExternalWorkflowHandle(parent.workflowId).signal(pageProgressSignal, {
        ...totals,
        requests,
        pageId: workflowInfo().workflowId,
      });
    }
  };

  // Rows the page's bulk import created are counted at once (their progress comes with the page's end).
  const oneByOne: RowToSend[] = [];
  for (const row of input.rows) {
    if (row.createdInBulk === undefined) oneByOne.push(row);
    else count(row, { status: 'created', uuid: row.createdInBulk, requests: 0 });
  }
  started += input.rows.length - oneByOne.length;

  for (const row of oneByOne) {
    await condition(() => stopping || (!paused && inFlight < input.concurrency));
    if (stopping) break;
    inFlight += 1;
    started += 1;
    running.push(
      runRow(input.object, input.mode, input.target, row, {
        dryRun: input.dryRun,
        listedAll: input.listedAll,
        incremental: input.incremental ?? true,
        invoiceChanges: input.invoiceChanges ?? 'fail',
        contactKey: input.contactKey,
      }).then(
        async (outcome) => {
          inFlight -= 1;
          await settle(row, outcome);
        },
        (error: unknown) => {
          // An auth or data-source failure: start no more rows, let the others finish, then fail the page.
          inFlight -= 1;
          fatal ??= error instanceof Error ? error : new Error(String(error));
          stopping = true;
        },
      ),
    );
  }
  await Promise.all(running);
  if (fatal) throw fatal;
  issues.sort((a, b) => a.rowNumber - b.rowNumber);
  return { totals, sent, forgotten, forgottenParents, issues, requests, skipped: input.rows.length - started };
}

/** The results of a page's parts (its page workflows) as one. */
export function mergePartResults(parts: PageResult[]): PageResult {
  return parts.reduce<PageResult>(
    (sum, part) => ({
      totals: addTotals(sum.totals, part.totals),
      issues: [...sum.issues, ...part.issues],
      sent: [...sum.sent, ...part.sent],
      forgotten: [...sum.forgotten, ...(part.forgotten ?? [])],
      forgottenParents: [...sum.forgottenParents, ...(part.forgottenParents ?? [])],
      requests: sum.requests + part.requests,
      skipped: sum.skipped + part.skipped,
    }),
    { totals: { ...ZERO_TOTALS }, issues: [], sent: [], forgotten: [], forgottenParents: [], requests: 0, skipped: 0 },
  );
}
