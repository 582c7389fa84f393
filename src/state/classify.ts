// Sorts a page's mapped rows by what they will cost, from what the state store knows:
// unchanged (no request), known (update without a lookup), or new (look up, then create or update).

import { textField, type MappedRow, type RejectedRow } from '../sync-spec/mapping';
import { OBJECTS, recordKeyFields } from '../objects';
import type { SyncSpec } from '../sync-spec/schema';
import { fieldChanges, matchesRemote, payloadHash, stillNotKept } from './diff';
import { attributeKeysAfterSend } from './row';
import type { StoredRecord } from './store';
import type { RowToSend, SentRecord } from '../contracts/sync-types';

export interface Classified {
  /** Rows that need ChartMogul, with their `hash`, and `uuid`/`parentUuid` where the store knows them. */
  toSend: RowToSend[];
  /** Rows ChartMogul already holds as they are. */
  unchanged: SentRecord[];
  /** Rows the store turns away (a known record in insert mode). */
  rejected: RejectedRow[];
}

export function classifyRows(
  spec: SyncSpec,
  rows: MappedRow[],
  stored: Map<string, StoredRecord>,
  parents: Map<string, StoredRecord>,
): Classified {
  const keyFields = recordKeyFields(spec.object, spec.mode, spec.options);
  const parentField = OBJECTS[spec.object].parent?.field;
  const result: Classified = { toSend: [], unchanged: [], rejected: [] };
  for (const row of rows) {
    const hash = payloadHash(spec, row);
    const record = stored.get(row.key);
    // A fresh prefetch knows what ChartMogul holds now, so it outranks the hash of what was sent last:
    // a value edited in ChartMogul since then is sent again.
    // Values ChartMogul did not keep last time are not a difference: sending them again would not keep them.
    const unchanged = record?.remoteValues
      ? matchesRemote(row, record.remoteValues, keyFields, record.notKept, spec.object)
      : record?.hash === hash;
    // A record a bulk import created is known by its hash until a listing tells its UUID.
    if ((record?.uuid || record?.hash) && unchanged) {
      const notKept = stillNotKept(row, record.notKept);
      result.unchanged.push({
        key: row.key,
        uuid: record?.uuid ?? '',
        hash,
        status: 'unchanged',
        attributeKeys: attributeKeysAfterSend(row, record.attributeKeys),
        ...(notKept ? { notKept } : {}),
      });
      continue;
    }
    if (record?.uuid && spec.mode === 'insert') {
      result.rejected.push({
        key: row.key,
        rowNumber: row.rowNumber,
        reasons: [
          `row ${row.rowNumber} (key "${row.key}"): this record already exists in ChartMogul (${record.uuid}) and its values changed; insert mode only creates: use upsert or update to change it`,
        ],
      });
      continue;
    }
    const parentUuid = parentField ? (parents.get(textField(row, parentField))?.uuid ?? undefined) : undefined;
    const known = record?.uuid ? { uuid: record.uuid, attributeKeys: record.attributeKeys } : {};
    // A dry run shows what the write would change: a fresh listing already holds ChartMogul's values.
    const changes =
      spec.options.dryRun && record?.uuid && record.remoteValues
        ? { changes: fieldChanges(row, record.remoteValues, keyFields, record.notKept, spec.object) }
        : {};
    result.toSend.push({ ...row, hash, ...known, ...(parentUuid ? { parentUuid } : {}), ...changes });
  }
  return result;
}
