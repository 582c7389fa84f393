// A dry run's comparison: reads one record (by its UUID, or its external id) and says which of the row's
// values it would change.
// Reads only. Used for a row the store knows but no fresh listing described (see workflows/procedures).

import { ChartMogulError } from '../src/chartmogul/errors';
import type { CompareRecordInput } from '../src/contracts/activities';
import type { FieldDifference } from '../src/contracts/sync-types';
import { OBJECTS, readsOneRecord } from '../src/objects';
import { fieldChanges } from '../src/state/diff';
import { findByExternalId } from './create-once';
import type { ActivityDependencies } from './dependencies';

export function compareActivities(deps: ActivityDependencies) {
  return {
    /** The row's changes to the record, from ChartMogul's values now; null when the record is gone, or this
     * object is not compared this way (an invoice is compared by its own lookup). */
    compareRecord: async ({ object, target, uuid, row }: CompareRecordInput): Promise<FieldDifference[] | null> => {
      const definition = OBJECTS[object];
      if (!readsOneRecord(definition)) return null;
      const client = deps.clientFor(target.account);
      let held: Record<string, unknown> | null;
      try {
        held = definition.readPath
          ? await client.request<Record<string, unknown>>('GET', `${definition.readPath}/${encodeURIComponent(uuid)}`)
          : await findByExternalId<Record<string, unknown>>(client, target, object, row.key);
      } catch (error) {
        // Gone from ChartMogul (deleted or merged away): the dry run says what a real run would do instead.
        if (error instanceof ChartMogulError && error.kind === 'notFound') return null;
        throw error;
      }
      if (!held) return null;
      return fieldChanges(row, definition.remoteValues(held), definition.keyFields('upsert'), undefined, object);
    },
  };
}
