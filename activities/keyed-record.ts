// The three activities of a record keyed by external id in its data source and changed in place (a plan, a
// subscription event): look it up, create it exactly once (./create-once.ts), update it. Each object gives
// only its requests; what a lookup or a write answers is read here, from the object's definition.

import type { ChartMogulClient } from '../src/chartmogul/client';
import type {
  BillingRef,
  CreateRecordInput,
  Destination,
  LookupByKeyInput,
  RecordWriteInput,
  WriteAnswer,
} from '../src/contracts/activities';
import { OBJECTS, recordIdOf, type SyncObject } from '../src/objects';
import { fieldDifferences, notKept } from '../src/state/diff';
import type { MappedRow } from '../src/sync-spec/mapping';
import { createOnce, findByExternalId } from './create-once';
import type { ActivityDependencies } from './dependencies';

type Record = { [key: string]: unknown; external_id?: unknown };

/** An object's own requests; each answers the record as ChartMogul does. */
export interface KeyedRecordRequests {
  create(client: ChartMogulClient, target: Destination, row: MappedRow): Promise<Record>;
  /** `id`: the record's id as the state store keeps it (a plan's UUID, an event's number). */
  update(client: ChartMogulClient, target: Destination, id: string, row: MappedRow): Promise<Record | undefined>;
}

export function keyedRecordActivities(deps: ActivityDependencies, object: SyncObject, requests: KeyedRecordRequests) {
  const definition = OBJECTS[object];
  const keyFields = definition.keyFields('upsert');

  function refOf(record: Record, row: MappedRow): BillingRef {
    const differences = fieldDifferences(row, definition.remoteValues(record), keyFields, { object });
    return { uuid: recordIdOf(definition, record), holdsRow: differences.length === 0, differences };
  }

  function notKeptOf(record: Record | undefined, row: MappedRow): WriteAnswer {
    const found = record ? notKept(object, row, definition.remoteValues(record), keyFields) : [];
    return found.length > 0 ? { notKept: found } : {};
  }

  const find = (target: Destination, externalId: string) =>
    findByExternalId<Record>(deps.clientFor(target.account), target, object, externalId);

  return {
    /** Finds the record by its key; says whether it holds the row already. */
    lookup: async ({ target, externalId, row }: LookupByKeyInput): Promise<BillingRef | null> => {
      const found = await find(target, externalId);
      if (!found) return null;
      return row ? refOf(found, row) : { uuid: recordIdOf(definition, found) };
    },

    /** Creates the record, exactly once; one whose key was taken before is answered with `existed` and
     * whether it holds the row, for the procedure to decide. */
    create: async ({ target, row }: CreateRecordInput): Promise<BillingRef> => {
      const created = await createOnce(
        () => requests.create(deps.clientFor(target.account), target, row),
        () => find(target, row.key),
      );
      if (created.existed) return { ...refOf(created.record, row), existed: true };
      return { uuid: recordIdOf(definition, created.record), ...notKeptOf(created.record, row) };
    },

    /** Changes the record in place (safe to repeat); answers what of the row ChartMogul did not keep. */
    update: async ({ target, uuid, row }: RecordWriteInput): Promise<WriteAnswer> =>
      notKeptOf(await requests.update(deps.clientFor(target.account), target, uuid, row), row),
  };
}
