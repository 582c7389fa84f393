// The decision table of a record keyed by external id in its data source and changed in place (a plan, a
// subscription event, a contact keyed by its own external id): one record per key; insert creates, and fails on a record already there with other
// values; update changes one that exists; upsert does either. An object gives its three activity calls.

import type { BillingRef, Destination, WriteAnswer } from '../../src/contracts/activities';
import type { FieldDifference, RowToSend } from '../../src/contracts/sync-types';
import {
  describeDifferences,
  onStoredRecord,
  RowFailed,
  RowRejected,
  type Calls,
  type Done,
  type ObjectProcedures,
} from './shared';

/** The object's activities, each called with a summary that names the row (`create plan PL-1`). */
export interface KeyedRecordCalls {
  /** One record, in messages: `plan`. */
  noun: string;
  lookup(target: Destination, row: RowToSend, calls: Calls): Promise<BillingRef | null>;
  create(target: Destination, row: RowToSend, calls: Calls): Promise<BillingRef>;
  update(target: Destination, row: RowToSend, id: string): Promise<WriteAnswer>;
}

export function keyedRecordProcedures(activities: KeyedRecordCalls): ObjectProcedures {
  const { noun } = activities;

  async function update(target: Destination, row: RowToSend, calls: Calls, id: string): Promise<Done> {
    const answer = await calls.write(() => activities.update(target, row, id));
    calls.notKept(answer?.notKept);
    return { status: 'updated', uuid: id };
  }

  /** The record the store knows, updated; undefined when it knows none, or ChartMogul no longer has it. */
  function updateStored(target: Destination, row: RowToSend, calls: Calls): Promise<Done | undefined> {
    const { uuid } = row;
    if (!uuid) return Promise.resolve(undefined);
    return onStoredRecord(calls, 'record', () => update(target, row, calls, uuid));
  }

  /** Looks the row's record up by external_id (the answer says whether it holds the row already). */
  async function lookup(target: Destination, row: RowToSend, calls: Calls) {
    calls.read();
    const found = await activities.lookup(target, row, calls);
    if (found) calls.compared(found.differences);
    return found;
  }

  /** Creates the row's record; one that held the key before is unchanged when it holds the row, else
   * `taken` decides (insert: failed, naming what differs; upsert: an update). */
  async function create(
    target: Destination,
    row: RowToSend,
    calls: Calls,
    taken: (id: string, differences: FieldDifference[]) => Promise<Done>,
  ): Promise<Done> {
    let found: BillingRef | undefined;
    const uuid = await calls.create(async () => {
      found = await activities.create(target, row, calls);
      if (found.existed) calls.read();
      else calls.notKept(found.notKept);
      return found.uuid;
    });
    if (!found?.existed) return { status: 'created', uuid };
    return found.holdsRow ? { status: 'unchanged', uuid } : taken(uuid, found.differences ?? []);
  }

  const notFoundForUpdate = (row: RowToSend) =>
    new RowRejected(`${noun} not found for update: no ${noun} with external_id "${row.key}" in the data source`);

  return {
    modes: {
      insert(target, row, calls) {
        // A record that already holds the row is an earlier run's unrecorded write: unchanged. One with other
        // values is not this row's to change in insert mode: it fails with what differs.
        return create(target, row, calls, (_id, differences) =>
          Promise.reject(
            new RowFailed(
              `a ${noun} with external_id "${row.key}" is already in the data source with other values (${describeDifferences(differences)}); insert mode changes no record: sync it in upsert or update mode to change it`,
            ),
          ),
        );
      },
      async update(target, row, calls) {
        const stored = await updateStored(target, row, calls);
        if (stored) return stored;
        if (calls.listedAll && !row.uuid) throw notFoundForUpdate(row);
        const found = await lookup(target, row, calls);
        if (!found) throw notFoundForUpdate(row);
        if (found.holdsRow) return { status: 'unchanged', uuid: found.uuid };
        return update(target, row, calls, found.uuid);
      },
      async upsert(target, row, calls) {
        const stored = await updateStored(target, row, calls);
        if (stored) return stored;
        if (!calls.listedAll || row.uuid) {
          const found = await lookup(target, row, calls);
          if (found?.holdsRow) return { status: 'unchanged', uuid: found.uuid };
          if (found) return update(target, row, calls, found.uuid);
        }
        return create(target, row, calls, (id) => update(target, row, calls, id));
      },
    },
  };
}
