// A create keyed by external id, exactly once. ChartMogul has no idempotency key: a create whose answer was
// lost may have been applied, and when retried it meets its own record and is refused as a repeated key (a
// 422 whose wording no recording confirms). So an answer that may hide a write, or a refusal that may be a
// repeated key, is followed by a lookup by external id; what it finds decides, never the message's text. The
// lookup retries its own faults (./retry-lookup.ts): a 429 or a 500 on it must not cost the create an
// attempt, nor, once the attempts run out, fail a row whose record ChartMogul holds.

import { activityInfo } from '@temporalio/activity';

import type { ChartMogulClient } from '../src/chartmogul/client';
import { ChartMogulError } from '../src/chartmogul/errors';
import type { Destination } from '../src/contracts/activities';
import { OBJECTS, type SyncObject } from '../src/objects';
import { retryLookup } from './retry-lookup';

/** The record of `object` with this external id in the target's data source (one request), or null; a
 * record ChartMogul keeps as invalid too, where it hides those from default reads (`validation_type`). The
 * answer is read as a list (`{transactions: […]}`, as the Node client and the emulator's listing have it) or
 * as the one record (as ChartMogul documents "Retrieve a Transaction" and the Python and Ruby clients read
 * it); a 404 is no record. */
export async function findByExternalId<T extends { external_id?: unknown }>(
  client: ChartMogulClient,
  target: Destination,
  object: SyncObject,
  externalId: string,
): Promise<T | null> {
  const { listPath, listEntries, keepsInvalidRecords } = OBJECTS[object];
  let answer: Record<string, unknown>;
  try {
    answer = await client.request<Record<string, unknown>>('GET', listPath, {
      query: {
        data_source_uuid: target.dataSourceUuid,
        external_id: externalId,
        per_page: 1,
        ...(keepsInvalidRecords ? { validation_type: 'all' } : {}),
      },
    });
  } catch (error) {
    if (error instanceof ChartMogulError && error.kind === 'notFound') return null;
    throw error;
  }
  const listed = answer[listEntries];
  const records = (Array.isArray(listed) ? listed : [answer]) as T[];
  return records.find((record) => record.external_id === externalId) ?? null;
}

export type CreateOnce<T> =
  /** ChartMogul answered the create (or, on a retry, the record is this activity's own earlier write). */
  | { record: T; existed: false }
  /** The key was taken before this activity ran: an earlier run's write, or another writer's. `refusal` is
   * ChartMogul's answer, for a caller that may not take the record as the row's. */
  | { record: T; existed: true; refusal: ChartMogulError };

/** Creates with `post`. When the answer may hide the write, or the create is refused as a possible repeated
 * key, looks the key up with `find` (its faults retried on their own). A record found after an answer that
 * was lost, or on a retry, is this activity's own write; found after a refusal on a first attempt, it existed
 * before. No record found: the error stands (a lost answer is then retried as it was). */
export async function createOnce<T>(post: () => Promise<T>, find: () => Promise<T | null>): Promise<CreateOnce<T>> {
  try {
    return { record: await post(), existed: false };
  } catch (error) {
    if (!(error instanceof ChartMogulError)) throw error;
    const lost = error.mayHaveWritten;
    if (!lost && error.kind !== 'duplicateKey') throw error;
    const existing = await retryLookup(find);
    if (!existing) throw error;
    return lost || activityInfo().attempt > 1
      ? { record: existing, existed: false }
      : { record: existing, existed: true, refusal: error };
  }
}
