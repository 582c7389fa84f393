// Customers: insert, update and upsert by external id in the data source.

import type { RowToSend } from '../../src/contracts/sync-types';
import type { Destination, OnDuplicate } from '../../src/contracts/activities';
import { callApi } from '../../workflows/activities';
import {
  onStoredRecord,
  RecordGone,
  RowRejected,
  type Calls,
  type Done,
  type ObjectProcedures,
} from '../../workflows/procedures/shared';

/** One PATCH when the customer already has every custom attribute key the row sets (PATCH changes only
 * existing keys); else a PATCH for the fields and a POST that creates the keys. */
async function updateCustomerFields(
  target: Destination,
  uuid: string,
  row: RowToSend,
  calls: Calls,
  existingKeys?: readonly string[],
): Promise<Done> {
  const patch = async (withCustom: boolean) => {
    const answer = await calls.write(() =>
      callApi('updateCustomer', `update customer ${row.key}`, { target, uuid, row, withCustom }),
    );
    // The PATCH answer names the customer's data sources: a UUID from elsewhere is not this sync's record.
    if (answer && !answer.dataSourceUuids.includes(target.dataSourceUuid))
      throw new RecordGone(`customer ${uuid} is not in data source ${target.dataSourceUuid}`);
    calls.notKept(answer?.notKept);
  };
  const oneRequest = row.custom.length > 0 && row.custom.every((attribute) => existingKeys?.includes(attribute.key));
  if (oneRequest) {
    await patch(true);
    return { status: 'updated', uuid };
  }
  if (Object.keys(row.fields).some((field) => field !== 'external_id')) await patch(false);
  if (row.custom.length > 0) {
    // Syncs started before answers were checked got no answer here.
    const answer = await calls.write(() =>
      callApi('setCustomAttributes', `set custom attributes of customer ${row.key}`, { target, uuid, row }),
    );
    calls.notKept(answer?.notKept);
  }
  return { status: 'updated', uuid };
}

/** Updates the customer the store knows for this row; undefined when it knows none, or ChartMogul no longer has it. */
async function updateStoredCustomer(target: Destination, row: RowToSend, calls: Calls): Promise<Done | undefined> {
  const { uuid } = row;
  if (!uuid) return undefined;
  return onStoredRecord(calls, 'record', () => updateCustomerFields(target, uuid, row, calls, row.attributeKeys));
}

/** Looks a customer up by external_id; given the row, the answer says whether it already holds the row. */
function lookupCustomer(target: Destination, key: string, summary: string, calls: Calls, row?: RowToSend) {
  calls.read();
  return callApi('lookupCustomer', summary, row ? { target, externalId: key, row } : { target, externalId: key });
}

/** Looks the row's own customer up; an incremental sync (and a dry run) also asks whether it already holds
 * the row, and where it differs. */
async function lookupRowCustomer(target: Destination, row: RowToSend, calls: Calls) {
  const found = await lookupCustomer(
    target,
    row.key,
    `look up customer ${row.key}`,
    calls,
    calls.skipsIdenticalWrites ? row : undefined,
  );
  if (found) calls.compared(found.differences);
  return found;
}

/** Creates the row's customer; `existed` when the key was taken (see OnDuplicate), after one more lookup. */
async function createCustomer(
  target: Destination,
  row: RowToSend,
  calls: Calls,
  onDuplicate: OnDuplicate,
): Promise<{ uuid: string; existed: boolean }> {
  let existed = false;
  const uuid = await calls.create(async () => {
    const ref = await callApi('createCustomer', `create customer ${row.key}`, { target, row, onDuplicate });
    existed = ref.existed ?? false;
    if (existed) calls.read();
    else calls.notKept(ref.notKept);
    return ref.uuid;
  });
  return { uuid, existed };
}

function notFoundForUpdate(row: RowToSend): RowRejected {
  return new RowRejected(`customer not found for update: no customer with external_id "${row.key}" in the data source`);
}

export const CUSTOMER_PROCEDURES: ObjectProcedures = {
  findByExternalId: (target, externalId, summary) => callApi('lookupCustomer', summary, { target, externalId }),
  modes: {
    async insert(target, row, calls) {
      // A record with this key that already holds exactly the row's values is this sync's own earlier write
      // (a run cut short before it recorded it): unchanged. One that differs fails with ChartMogul's message.
      const { uuid, existed } = await createCustomer(target, row, calls, 'keep-if-same');
      return { status: existed ? 'unchanged' : 'created', uuid };
    },
    async update(target, row, calls) {
      const stored = await updateStoredCustomer(target, row, calls);
      if (stored) return stored;
      if (calls.listedAll && !row.uuid) throw notFoundForUpdate(row);
      const found = await lookupRowCustomer(target, row, calls);
      if (!found) throw notFoundForUpdate(row);
      if (found.holdsRow) return { status: 'unchanged', uuid: found.uuid };
      return updateCustomerFields(target, found.uuid, row, calls, Object.keys(found.custom));
    },
    async upsert(target, row, calls) {
      const stored = await updateStoredCustomer(target, row, calls);
      if (stored) return stored;
      // After a complete listing a row the store did not know is new; one it knew but ChartMogul lost is looked up.
      if (!calls.listedAll || row.uuid) {
        const found = await lookupRowCustomer(target, row, calls);
        if (found?.holdsRow) return { status: 'unchanged', uuid: found.uuid };
        if (found) return updateCustomerFields(target, found.uuid, row, calls, Object.keys(found.custom));
      }
      // Created since the listing? Then the create meets the duplicate key, finds the customer, and updates it.
      const { uuid, existed } = await createCustomer(target, row, calls, 'update');
      return existed ? updateCustomerFields(target, uuid, row, calls) : { status: 'created', uuid };
    },
  },
};
