// Contacts: created on their customer, updated by UUID, upserted by email within the customer; or, with
// options.contactKey "external_id", decided as any record keyed by external id (../../workflows/procedures/
// keyed-record.ts), found among their customer's contacts.

import type { RowToSend } from '../../src/contracts/sync-types';
import type { ContactRef, Destination } from '../../src/contracts/activities';
import { textField } from '../../src/sync-spec/mapping';
import { callApi } from '../../workflows/activities';
import { keyedRecordProcedures } from '../../workflows/procedures/keyed-record';
import { withParent } from '../../workflows/procedures/parents';
import {
  onStoredRecord,
  RowRejected,
  type Calls,
  type Done,
  type ObjectProcedures,
  type Procedure,
} from '../../workflows/procedures/shared';
import type { SyncMode } from '../../src/sync-spec/schema';

function createContact(target: Destination, row: RowToSend, calls: Calls, parent: string): Promise<string> {
  return calls.create(async () => {
    const ref: ContactRef = await callApi('createContact', `create contact ${row.key}`, {
      target,
      customerUuid: parent,
      row,
    });
    calls.notKept(ref.notKept);
    return ref.uuid;
  });
}

async function patchContact(target: Destination, row: RowToSend, calls: Calls, uuid: string): Promise<void> {
  const answer = await calls.write(() => callApi('updateContact', `update contact ${row.key}`, { target, uuid, row }));
  calls.notKept(answer?.notKept);
}

/** Updates a contact by its UUID; false when ChartMogul no longer has it (its store entry is then forgotten). */
async function updateContact(target: Destination, row: RowToSend, calls: Calls, uuid: string): Promise<boolean> {
  const updated = await onStoredRecord(calls, 'record', async () => {
    await patchContact(target, row, calls, uuid);
    return true;
  });
  return updated ?? false;
}

const BY_EXTERNAL_ID = keyedRecordProcedures({
  noun: 'contact',
  lookup: (target, row, calls) =>
    withParent('contacts', row, calls, (customerUuid) =>
      callApi('findContactByExternalId', `find contact ${row.key}`, {
        target,
        customerUuid,
        externalId: row.key,
        row,
      }),
    ),
  create: (target, row, calls) =>
    withParent('contacts', row, calls, (customerUuid) =>
      callApi('createContact', `create contact ${row.key}`, { target, customerUuid, row, keyedBy: 'external_id' }),
    ),
  update: (target, row, uuid) => callApi('updateContact', `update contact ${row.key}`, { target, uuid, row }),
}).modes;

const BY_EMAIL: ObjectProcedures['modes'] = {
  async insert(target, row, calls) {
    return {
      status: 'created',
      uuid: await withParent('contacts', row, calls, (parent) => createContact(target, row, calls, parent)),
    };
  },
  async update(target, row, calls) {
    const uuid = textField(row, 'uuid') || row.key;
    if (!(await updateContact(target, row, calls, uuid)))
      throw new RowRejected(`contact not found for update: no contact with uuid "${uuid}" in ChartMogul`);
    return { status: 'updated', uuid };
  },
  async upsert(target, row, calls) {
    if (row.uuid && (await updateContact(target, row, calls, row.uuid))) return { status: 'updated', uuid: row.uuid };
    return withParent('contacts', row, calls, async (parent): Promise<Done> => {
      // After a complete listing a contact the store did not know is new; one it knew but ChartMogul lost is looked for.
      let uuid: string | null = null;
      if (!calls.listedAll || row.uuid) {
        calls.read();
        const found: { uuid: string } | null = await callApi('findContactByEmail', `find contact ${row.key}`, {
          target,
          customerUuid: parent,
          email: textField(row, 'email'),
        });
        uuid = found?.uuid ?? null;
      }
      if (!uuid) return { status: 'created', uuid: await createContact(target, row, calls, parent) };
      await patchContact(target, row, calls, uuid);
      return { status: 'updated', uuid };
    });
  },
};

/** By email, unless the spec keys contacts by their own external id. */
function byKey(mode: SyncMode): Procedure {
  return (target, row, calls) => {
    const procedure = (calls.contactKey === 'external_id' ? BY_EXTERNAL_ID : BY_EMAIL)[mode];
    if (!procedure) throw new RowRejected(`contacts have no ${mode} mode`);
    return procedure(target, row, calls);
  };
}

export const CONTACT_PROCEDURES: ObjectProcedures = {
  modes: { insert: byKey('insert'), update: byKey('update'), upsert: byKey('upsert') },
};
