// Prefetch: list the data source's customers or contacts, 200 per request, into the state store, so rows
// are compared with ChartMogul's values instead of looked up one request each.

import { LIST_PAGE_SIZE } from '../src/limits';
import { customerRemoteValues, contactRemoteValues } from '../src/state/diff';
import type { PrefetchPageInput } from './contracts';
import { syncTargetOf, type ActivityDependencies } from './dependencies';
import { failingClearly } from './failures';
import { acceptingPositional } from './named-arguments';

export interface PrefetchPage {
  records: number;
  cursor: string | null;
  hasMore: boolean;
  /** From the first page: how many pages the whole list takes. */
  totalPages?: number;
}

interface ListPage {
  entries: Record<string, unknown>[];
  cursor: string | null;
  has_more: boolean;
  total_pages?: number | null;
}

export function prefetchActivities(deps: ActivityDependencies) {
  return {
    /** Lists one page (one request) and records it in the store. */
    prefetchPage: failingClearly(
      acceptingPositional(
        ['spec', 'kind', 'cursor'],
        async ({ spec, kind, cursor }: PrefetchPageInput): Promise<PrefetchPage> => {
          const path = kind === 'customers' ? '/v1/customers' : '/v1/contacts';
          const page = await deps.clientFor(spec.account).request<ListPage>('GET', path, {
            query: { data_source_uuid: spec.dataSourceUuid, per_page: LIST_PAGE_SIZE, cursor: cursor ?? undefined },
          });
          const text = (value: unknown) => (typeof value === 'string' ? value : '');
          const namespaces = deps.namespaces(syncTargetOf(spec));
          if (kind === 'customers' && spec.object === 'customers') {
            await deps.store.recordRemote(
              namespaces.records,
              page.entries.map((customer) => ({
                key: text(customer.external_id),
                uuid: text(customer.uuid),
                values: customerRemoteValues(customer),
              })),
            );
          } else if (kind === 'customers') {
            await deps.store.recordRemote(
              namespaces.parents,
              page.entries.map((customer) => ({
                key: text(customer.external_id),
                uuid: text(customer.uuid),
                values: {},
              })),
            );
          } else {
            await deps.store.recordRemote(
              namespaces.records,
              page.entries.map((contact) => ({
                key:
                  spec.mode === 'update'
                    ? text(contact.uuid)
                    : `${text(contact.customer_external_id)}/${text(contact.email)}`,
                uuid: text(contact.uuid),
                values: contactRemoteValues(contact),
              })),
            );
          }
          return {
            records: page.entries.length,
            cursor: page.cursor,
            hasMore: page.has_more,
            ...(cursor === null ? { totalPages: page.total_pages ?? (page.has_more ? 2 : 1) } : {}),
          };
        },
      ),
    ),
  };
}
