// A create keyed by external id, exactly once. ChartMogul has no idempotency key: a create whose answer was
// lost is retried, meets its own record, and is refused as a repeated key (a 422 whose wording no recording
// confirms). So a refusal that may be a repeated key is followed by a lookup by external id; what it finds
// decides, never the message's text.

import { activityInfo } from '@temporalio/activity';

import type { ChartMogulClient } from '../src/chartmogul/client';
import { ChartMogulError } from '../src/chartmogul/errors';
import type { Destination } from '../src/contracts/activities';
import { OBJECTS, type SyncObject } from '../src/objects';

/** The record of `object` with this external id in the target's data source (one list request), or null. */
export async function findByExternalId<T extends { external_id?: unknown }>(
  client: ChartMogulClient,
  target: Destination,
  object: SyncObject,
  externalId: string,
): Promise<T | null> {
  const { listPath, listEntries } = OBJECTS[object];
  const list = await client.request<Record<string, T[] | undefined>>('GET', listPath, {
    query: { data_source_uuid: target.dataSourceUuid, external_id: externalId, per_page: 1 },
  });
  return (list[listEntries] ?? []).find((record) => record.external_id === externalId) ?? null;
}

export type CreateOnce<T> =
  /** ChartMogul answered the create (or, on a retry, the record is this activity's own earlier write). */
  | { record: T; existed: false }
  /** The key was taken before this activity ran: an earlier run's write, or another writer's. `refusal` is
   * ChartMogul's answer, for a caller that may not take the record as the row's. */
  | { record: T; existed: true; refusal: ChartMogulError };

/** Creates with `post`; when it is refused as a possible repeated key, looks the key up with `find`. A record
 * found on a retry is this activity's own earlier write; found on a first attempt, it existed before. No
 * record found: the refusal stands. */
export async function createOnce<T>(post: () => Promise<T>, find: () => Promise<T | null>): Promise<CreateOnce<T>> {
  try {
    return { record: await post(), existed: false };
  } catch (error) {
    if (!(error instanceof ChartMogulError && error.mayBeDuplicateKey)) throw error;
    const existing = await find();
    if (!existing) throw error;
    return activityInfo().attempt > 1
      ? { record: existing, existed: false }
      : { record: existing, existed: true, refusal: error };
  }
}
