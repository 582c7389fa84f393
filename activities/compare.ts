// A dry run's comparison: reads one record by its UUID and says which of the row's values it would change.
// Reads only. Used for a row the store knows but no fresh listing described (see workflows/procedures).

import { ChartMogulError } from '../src/chartmogul/errors';
import type { CompareRecordInput } from '../src/contracts/activities';
import type { FieldDifference } from '../src/contracts/sync-types';
import { OBJECTS } from '../src/objects';
import { fieldChanges } from '../src/state/diff';
import type { ActivityDependencies } from './dependencies';

export function compareActivities(deps: ActivityDependencies) {
  return {
    /** The row's changes to the record, from ChartMogul's values now; null when the record is gone, or this
     * object is not compared this way (an invoice is compared by its lookup). */
    compareRecord: async ({ object, target, uuid, row }: CompareRecordInput): Promise<FieldDifference[] | null> => {
      const path = OBJECTS[object].readPath;
      if (!path) return null;
      let held: Record<string, unknown>;
      try {
        held = await deps
          .clientFor(target.account)
          .request<Record<string, unknown>>('GET', `${path}/${encodeURIComponent(uuid)}`);
      } catch (error) {
        // Gone from ChartMogul (deleted or merged away): the dry run says what a real run would do instead.
        if (error instanceof ChartMogulError && error.kind === 'notFound') return null;
        throw error;
      }
      const definition = OBJECTS[object];
      return fieldChanges(row, definition.remoteValues(held), definition.keyFields('upsert'));
    },
  };
}
