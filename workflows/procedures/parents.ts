// A row's parent record (its object's definition names it: `parent`): a contact's or an invoice's customer, a
// transaction's invoice: the one the store knows, else one looked up by its external id (through the parent
// object's own `findByExternalId`, which runRow hands in as `calls.findParent`); a missing one rejects the row.

import type { RowToSend } from '../../src/contracts/sync-types';
import { OBJECTS, type SyncObject } from '../../src/objects';
import { textField } from '../../src/sync-spec/mapping';
import { onStoredRecord, RowRejected, type Calls } from './shared';

async function findParent(object: SyncObject, row: RowToSend, calls: Calls): Promise<string> {
  const parent = OBJECTS[object].parent;
  if (!parent) throw new Error(`${object} has no parent record`);
  const key = textField(row, parent.field);
  const noun = OBJECTS[parent.object].noun;
  const found = await calls.findParent(
    parent.object,
    key,
    `look up ${noun} ${key} for ${OBJECTS[object].noun} ${row.key}`,
  );
  if (!found) throw new RowRejected(`${noun} "${key}" not found in the data source: sync ${parent.object} first`);
  return found.uuid;
}

/** Runs an action on the parent record of a row of `object`: the one the store knows, else one looked up. A
 * stored parent that ChartMogul no longer has is forgotten, looked up again, and the action runs once more. */
export async function withParent<T>(
  object: SyncObject,
  row: RowToSend,
  calls: Calls,
  action: (parentUuid: string) => Promise<T>,
): Promise<T> {
  const stored = row.parentUuid;
  if (stored) {
    const result = await onStoredRecord(calls, 'parent', async () => ({ value: await action(stored) }));
    if (result) return result.value;
  }
  return action(await findParent(object, row, calls));
}
