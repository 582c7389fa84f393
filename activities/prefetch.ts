// Prefetch: list the data source's records of one object (the sync's, or its parent's), 200 per request, into the state store, so rows
// are compared with ChartMogul's values instead of looked up one request each.

import { LIST_PAGE_SIZE } from '../src/limits';
import { OBJECTS, recordIdOf } from '../src/objects';
import { syncTargetOf, type PrefetchPage, type PrefetchPageInput } from '../src/contracts/activities';
import type { ActivityDependencies } from './dependencies';

/** A list answer: the records under the object's key (`entries`, `plans`), and where the list goes on. */
interface ListPage {
  cursor: string | null;
  has_more: boolean;
  total_pages?: number | null;
  [records: string]: unknown;
}

export function prefetchActivities(deps: ActivityDependencies) {
  return {
    /** Lists one page (one request) and records it in the store. */
    prefetchPage: async ({ spec, kind, cursor, listing }: PrefetchPageInput): Promise<PrefetchPage> => {
      const listed = OBJECTS[kind];
      const page = await deps.clientFor(spec.account).request<ListPage>('GET', listed.listPath, {
        query: { data_source_uuid: spec.dataSourceUuid, per_page: LIST_PAGE_SIZE, cursor: cursor ?? undefined },
      });
      const entries = (page[listed.listEntries] ?? []) as Record<string, unknown>[];
      const namespaces = deps.namespaces(syncTargetOf(spec));
      const synced = OBJECTS[spec.object];
      // The sync's own records with their values to compare; a parent's only with its UUID.
      const asOwn = (entry: Record<string, unknown>) => ({
        key: synced.listedKey(entry, spec.mode, spec.options),
        uuid: recordIdOf(synced, entry),
        values: synced.listingComparesRows ? synced.remoteValues(entry) : null,
      });
      const asParent = (entry: Record<string, unknown>) => ({
        key: listed.listedKey(entry, 'upsert'),
        uuid: recordIdOf(listed, entry),
        values: {},
      });
      const own = kind === spec.object;
      const lists = [
        { namespace: own ? namespaces.records : namespaces.parents, records: entries.map(own ? asOwn : asParent) },
      ];
      // A parent's listing that shows the sync's own records (an invoice its transactions) lists them too.
      const shown = !own && synced.listedInParent;
      if (shown)
        lists.push({
          namespace: namespaces.records,
          records: entries
            .flatMap((entry) => (Array.isArray(entry[shown]) ? (entry[shown] as Record<string, unknown>[]) : []))
            .map(asOwn),
        });
      let forgotten = 0;
      for (const { namespace, records } of lists) {
        await deps.store.recordRemote(namespace, records, listing);
        // The whole list is read: an entry it did not show is a record ChartMogul no longer holds.
        if (!page.has_more && listing) forgotten += await deps.store.forgetUnlisted(namespace, listing);
      }
      return {
        records: entries.length,
        cursor: page.cursor,
        hasMore: page.has_more,
        ...(forgotten > 0 ? { forgotten } : {}),
        ...(cursor === null ? { totalPages: page.total_pages ?? (page.has_more ? 2 : 1) } : {}),
      };
    },
  };
}
