// A part's new rows as one ChartMogul bulk import (2026, `json_imports`): sent once (its external id is the
// page workflow's id and run, looked up before anything is sent: ../activities/bulk-import.ts), then waited
// for with durable timers that back off, so a long import costs few requests and survives worker restarts;
// then each row's fate: created, or handed to the row's own procedure (ChartMogul holds no valid record of it).
// The page workflow counts and reports them as it does its other rows.

import { setCurrentDetails, sleep, workflowInfo } from '@temporalio/workflow';

import type { Destination } from '../src/contracts/activities';
import type { RowToSend } from '../src/contracts/sync-types';
import { OBJECTS, type SyncObject } from '../src/objects';
import { textField } from '../src/sync-spec/mapping';
import { callApi } from './activities';
import type { RowOutcome } from './procedures';

/** The first look at an import comes soon (a small import is often done), later ones ever further apart. */
const FIRST_POLL_MS = 250;
const LONGEST_POLL_MS = 60_000;
/** The statuses of an import not done yet (the docs' `queued` and `processing`; Ruby's mock says `pending`):
 * any other is its end, and each row's fate is read from ChartMogul's records. */
const STILL_RUNNING = new Set(['queued', 'processing', 'pending']);

/** Runs one bulk import of `rows`; answers the rows it created (by key), those ChartMogul holds no valid
 * record of (for their own procedures), and the requests it cost. */
export async function runBulkImport(
  object: SyncObject,
  target: Destination,
  rows: readonly RowToSend[],
): Promise<{ created: Map<string, RowOutcome>; oneByOne: RowToSend[]; requests: number }> {
  const { workflowId, runId } = workflowInfo();
  const importId = `${workflowId}@${runId}`;
  const { noun, parent } = OBJECTS[object];
  const label = workflowId.split(':').pop() ?? workflowId;
  const count = String(rows.length).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const name = `bulk import ${count} ${noun}s of ${label.replace('-', ' ')}`;
  const range = `${rows[0]?.key ?? ''} … ${rows[rows.length - 1]?.key ?? ''}`;
  let status = await callApi('startBulkImport', `${name} (${range})`, { target, object, importId, rows: [...rows] });
  let requests = 2;
  for (let wait = FIRST_POLL_MS; STILL_RUNNING.has(status.status); wait = Math.min(wait * 2, LONGEST_POLL_MS)) {
    setCurrentDetails(`${name}: ${status.status}, ${status.processed} records processed, ${status.failed} failed`);
    await sleep(wait);
    status = await callApi('bulkImportStatus', `look at ${name}`, { target, importId });
    requests += 1;
  }
  setCurrentDetails(`${name}: ${status.status}, ${status.processed} records processed, ${status.failed} failed`);
  const customerField = parent?.field ?? '';
  const fates = await callApi('bulkImportOutcomes', `read each row's fate in ${name}`, {
    target,
    object,
    importId,
    rows: rows.map((row) => ({ key: row.key, customer: textField(row, customerField) })),
  });
  requests += 1 + fates.filter((fate) => fate.uuid !== undefined || fate.status === 'one-by-one').length;
  const created = new Map<string, RowOutcome>();
  for (const fate of fates)
    if (fate.status === 'created') created.set(fate.key, { status: 'created', uuid: fate.uuid ?? '', requests: 0 });
  const oneByOne = rows.filter((row) => !created.has(row.key));
  if (oneByOne.length > 0)
    setCurrentDetails(
      `${name}: ${status.status}; ${oneByOne.length} rows ChartMogul holds no valid record of go one by one`,
    );
  return { created, oneByOne, requests };
}
