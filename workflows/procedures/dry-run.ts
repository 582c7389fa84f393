// A dry run's view of a row the procedure would write: created (every value, from nothing) or updated (each
// field from ChartMogul's value to the row's). The values come from a fresh listing (the row's `changes`), the
// procedure's own lookup, or, for a row the store knows that neither compared, a read of the record by UUID.

import {
  describeChanges,
  type FieldDifference,
  reportedChanges,
  type ReportEntry,
  type RowStatus,
  type RowToSend,
} from '../../src/contracts/sync-types';
import type { Destination } from '../../src/contracts/activities';
import { creationChanges } from '../../src/state/row';
import type { SyncMode, SyncObject } from '../../src/sync-spec/schema';
import { OBJECTS, readsOneRecord } from '../../src/objects';
import { callApi } from '../activities';

/** What a dry run reports of a row, and whether it read the record (a request). */
export interface DryRunOutcome {
  status: RowStatus;
  uuid?: string;
  issue?: ReportEntry;
  read: boolean;
}

/** A dry run's outcome for a row it would write: what it would create, or change from ChartMogul's values.
 * A row the store knows, that no listing or lookup compared, is read by its UUID here; one that turns out to
 * hold the row already is unchanged. */
export async function dryRunOutcome(
  object: SyncObject,
  mode: SyncMode,
  target: Destination,
  row: RowToSend,
  done: { status: 'created' | 'updated'; uuid: string },
  compared: FieldDifference[] | undefined,
): Promise<DryRunOutcome> {
  const entry = { key: row.key, rowNumber: row.rowNumber };
  const created = (read: boolean): DryRunOutcome => {
    const issue: ReportEntry = {
      ...entry,
      status: 'would-create',
      reason: 'would be created',
      changes: reportedChanges(creationChanges(row)),
    };
    return { status: 'created', issue, read };
  };
  if (done.status === 'created') return created(false);
  let changes: FieldDifference[] | null | undefined = row.changes ?? compared;
  let read = false;
  if (!changes && done.uuid) {
    read = true;
    changes = await callApi('compareRecord', `compare ${object} ${row.key} with ChartMogul (dry run)`, {
      object,
      target,
      uuid: done.uuid,
      row,
    });
    // The record the store knew is gone from ChartMogul: a real run creates it again, or (update) rejects it.
    // compareRecord (activities/compare.ts) reads the objects that readsOneRecord, and answers null for others.
    if (changes === null && readsOneRecord(OBJECTS[object])) {
      if (mode !== 'update') return created(true);
      const reason = `${object} not found for update: the record the state store knew (${done.uuid}) is no longer in ChartMogul`;
      return { status: 'rejected', issue: { ...entry, status: 'rejected', reason }, read };
    }
  }
  if (changes && changes.length === 0) return { status: 'unchanged', uuid: done.uuid, read };
  const issue: ReportEntry = {
    ...entry,
    status: 'would-update',
    reason: changes
      ? `would change ${describeChanges(changes)}`
      : 'would be updated (its values in ChartMogul were not read)',
    changes: reportedChanges(changes ?? []),
  };
  return { status: 'updated', uuid: done.uuid, issue, read };
}
