// Plans: one per external id in the data source, changed in place by PATCH; in insert mode a plan already
// there with other values fails.

import type { FieldDifference, RowToSend } from '../../src/contracts/sync-types';
import type { BillingRef, Destination } from '../../src/contracts/activities';
import { callApi } from '../../workflows/activities';
import {
  describeDifferences,
  onStoredRecord,
  RowFailed,
  RowRejected,
  type Calls,
  type Done,
  type ObjectProcedures,
} from '../../workflows/procedures/shared';

/** PATCHes the plan; ChartMogul changes its name and interval in place. */
async function updatePlan(target: Destination, row: RowToSend, calls: Calls, uuid: string): Promise<Done> {
  const answer = await calls.write(() => callApi('updatePlan', `update plan ${row.key}`, { target, uuid, row }));
  calls.notKept(answer?.notKept);
  return { status: 'updated', uuid };
}

/** The plan the store knows, updated; undefined when it knows none, or ChartMogul no longer has it. */
function updateStoredPlan(target: Destination, row: RowToSend, calls: Calls): Promise<Done | undefined> {
  const { uuid } = row;
  if (!uuid) return Promise.resolve(undefined);
  return onStoredRecord(calls, 'record', () => updatePlan(target, row, calls, uuid));
}

/** Looks the row's plan up by external_id (the answer says whether it holds the row already). */
async function lookupPlan(target: Destination, row: RowToSend, calls: Calls) {
  calls.read();
  const found = await callApi('lookupPlan', `look up plan ${row.key}`, { target, externalId: row.key, row });
  if (found) calls.compared(found.differences);
  return found;
}

/** Creates the row's plan; one that held the key before is unchanged when it holds the row, else `taken`
 * decides (insert: failed, naming what differs; upsert: an update). */
async function createPlan(
  target: Destination,
  row: RowToSend,
  calls: Calls,
  taken: (uuid: string, differences: FieldDifference[]) => Promise<Done>,
): Promise<Done> {
  let found: BillingRef | undefined;
  const uuid = await calls.create(async () => {
    found = await callApi('createPlan', `create plan ${row.key}`, { target, row });
    if (found.existed) calls.read();
    else calls.notKept(found.notKept);
    return found.uuid;
  });
  if (!found?.existed) return { status: 'created', uuid };
  return found.holdsRow ? { status: 'unchanged', uuid } : taken(uuid, found.differences ?? []);
}

function planNotFoundForUpdate(row: RowToSend): RowRejected {
  return new RowRejected(`plan not found for update: no plan with external_id "${row.key}" in the data source`);
}

export const PLAN_PROCEDURES: ObjectProcedures = {
  modes: {
    insert(target, row, calls) {
      // A plan that already holds the row is an earlier run's unrecorded write: unchanged. One with other
      // values is not this row's to change in insert mode: it fails with ChartMogul's refusal.
      return createPlan(target, row, calls, (_uuid, differences) =>
        Promise.reject(
          new RowFailed(
            `a plan with external_id "${row.key}" is already in the data source with other values (${describeDifferences(differences)}); insert mode changes no record: sync it in upsert or update mode to change it`,
          ),
        ),
      );
    },
    async update(target, row, calls) {
      const stored = await updateStoredPlan(target, row, calls);
      if (stored) return stored;
      if (calls.listedAll && !row.uuid) throw planNotFoundForUpdate(row);
      const found = await lookupPlan(target, row, calls);
      if (!found) throw planNotFoundForUpdate(row);
      if (found.holdsRow) return { status: 'unchanged', uuid: found.uuid };
      return updatePlan(target, row, calls, found.uuid);
    },
    async upsert(target, row, calls) {
      const stored = await updateStoredPlan(target, row, calls);
      if (stored) return stored;
      if (!calls.listedAll || row.uuid) {
        const found = await lookupPlan(target, row, calls);
        if (found?.holdsRow) return { status: 'unchanged', uuid: found.uuid };
        if (found) return updatePlan(target, row, calls, found.uuid);
      }
      return createPlan(target, row, calls, (uuid) => updatePlan(target, row, calls, uuid));
    },
  },
};
