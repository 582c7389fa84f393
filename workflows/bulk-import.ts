// A part's new rows as one ChartMogul bulk import (2026, `json_imports`): sent once (its external id is the
// page workflow's id and run, looked up before anything is sent: ../activities/bulk-import.ts), then waited
// for with durable timers that back off, so a long import costs few requests and survives worker restarts;
// then each row's fate. The page workflow counts and reports them as it does its other rows.

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

/** Runs one bulk import of `rows`; answers each row's outcome by key, and the requests it cost. */
export async function runBulkImport(
  object: SyncObject,
  target: Destination,
  rows: readonly RowToSend[],
): Promise<{ outcomes: Map<string, RowOutcome>; requests: number }> {
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
  requests += 1 + fates.filter((fate) => fate.uuid !== undefined || fate.status === 'failed').length;
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const outcomes = new Map<string, RowOutcome>();
  for (const fate of fates) {
    const row = byKey.get(fate.key);
    if (!row) continue;
    outcomes.set(
      fate.key,
      fate.status === 'created'
        ? { status: 'created', uuid: fate.uuid ?? '', requests: 0 }
        : {
            status: 'failed',
            requests: 0,
            issue: { key: row.key, rowNumber: row.rowNumber, status: 'failed', reason: fate.reason ?? 'not imported' },
          },
    );
  }
  return { outcomes, requests };
}
