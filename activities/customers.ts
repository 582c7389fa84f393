// ChartMogul customer activities: one HTTP request each, except where a retry must first find out
// whether an earlier attempt already applied its change.

import { activityInfo } from '@temporalio/activity';

import { ChartMogulError } from '../src/chartmogul/errors';
import { customerCreateBody, customerPatchBody, typedAttributes } from '../src/chartmogul/payloads';
import type { MappedRow } from '../src/spec/mapping';
import { recordKeyFields } from '../src/spec/schema';
import { customerRemoteValues, matchesRemote, notKept, type NotKept } from '../src/state/diff';
import type { ActivityDependencies } from './dependencies';
import { failingClearly } from './failures';

export interface CustomerRef {
  uuid: string;
  /** The create met an existing customer: created since a listing (upsert updates it), or, in insert mode,
   * one that already holds exactly the row's values (an earlier run's write it had not recorded). */
  existed?: boolean;
  /** The customer's custom attribute values as ChartMogul holds them. */
  custom: Record<string, unknown>;
  /** A lookup given a row: the customer already holds every value the row would send (no write needed). */
  holdsRow?: boolean;
  /** A create: the row's values ChartMogul's answer does not hold (it dropped or changed them). */
  notKept?: NotKept[];
}

/** Where rows go: the account (its credentials stay on the worker) and the data source. */
export interface Destination {
  account: string;
  dataSourceUuid: string;
}

interface CustomerJson {
  uuid: string;
  external_id: string;
  data_source_uuid?: string;
  data_source_uuids?: string[];
  attributes?: { custom?: Record<string, unknown> };
}

/** What a create does when the key is taken: `fail` with ChartMogul's message, `update` (upsert: return the
 * existing customer to update), or `keep-if-same` (insert: return it when it already holds the row's values). */
export type OnDuplicate = 'fail' | 'update' | 'keep-if-same';

/** Compared as a prefetch compares: ChartMogul already holds every value the row would send. */
function holdsRow(customer: CustomerJson, row: MappedRow): boolean {
  return matchesRemote(row, customerRemoteValues(customer as unknown as Record<string, unknown>), KEY_FIELDS);
}

function toRef(customer: CustomerJson): CustomerRef {
  return { uuid: customer.uuid, custom: customer.attributes?.custom ?? {} };
}

const KEY_FIELDS = recordKeyFields('customers', 'upsert');

/** What of the row the answer shows ChartMogul did not keep; left out when it kept everything. */
function notKeptOf(
  customer: CustomerJson | undefined,
  row: MappedRow,
  compare: { fields?: boolean; custom?: boolean },
): { notKept?: NotKept[] } {
  if (!customer) return {};
  const found = notKept(
    'customers',
    row,
    customerRemoteValues(customer as unknown as Record<string, unknown>),
    KEY_FIELDS,
    compare,
  );
  return found.length > 0 ? { notKept: found } : {};
}

export function customerActivities(deps: ActivityDependencies) {
  async function find(target: Destination, externalId: string): Promise<CustomerJson | null> {
    const list = await deps.clientFor(target.account).request<{ entries: CustomerJson[] }>('GET', '/v1/customers', {
      query: { data_source_uuid: target.dataSourceUuid, external_id: externalId, per_page: 1 },
    });
    return list.entries.find((customer) => customer.external_id === externalId) ?? null;
  }

  return {
    /** Finds a customer by its key: (data source, external_id); given the row, says whether it holds it already. */
    lookupCustomer: failingClearly(
      async (target: Destination, externalId: string, row?: MappedRow): Promise<CustomerRef | null> => {
        const found = await find(target, externalId);
        if (!found) return null;
        return row ? { ...toRef(found), holdsRow: holdsRow(found, row) } : toRef(found);
      },
    ),

    /** Creates a customer. ChartMogul refuses a taken key with 422; whatever its message says, a 422 whose
     * key now finds a customer is that duplicate. On a retry it is this activity's own earlier write (its
     * answer was lost): returned as created. Otherwise `onDuplicate` decides. */
    createCustomer: failingClearly(
      async (target: Destination, row: MappedRow, onDuplicate: OnDuplicate = 'fail'): Promise<CustomerRef> => {
        try {
          const created = await deps.clientFor(target.account).request<CustomerJson>('POST', '/v1/customers', {
            body: customerCreateBody(target.dataSourceUuid, row),
          });
          return { ...toRef(created), ...notKeptOf(created, row, {}) };
        } catch (error) {
          if (!(error instanceof ChartMogulError && error.status === 422)) throw error;
          const existing = await find(target, row.key);
          if (!existing) throw error;
          if (activityInfo().attempt > 1) return { ...toRef(existing), ...notKeptOf(existing, row, {}) };
          if (onDuplicate === 'update') return { ...toRef(existing), existed: true };
          if (onDuplicate === 'keep-if-same' && holdsRow(existing, row)) {
            return { ...toRef(existing), existed: true };
          }
          throw error;
        }
      },
    ),

    /** PATCHes the standard fields and, with `withCustom`, custom attributes whose keys the customer
     * already has (safe to repeat). Answers the customer's data sources, so the caller can tell a UUID
     * that is not in its data source, and what of the row ChartMogul did not keep. */
    updateCustomer: failingClearly(
      async (
        target: Destination,
        uuid: string,
        row: MappedRow,
        withCustom: boolean = false,
      ): Promise<{ dataSourceUuids: string[]; notKept?: NotKept[] }> => {
        const customer = await deps
          .clientFor(target.account)
          .request<CustomerJson>('PATCH', `/v1/customers/${encodeURIComponent(uuid)}`, {
            body: customerPatchBody(row, withCustom),
          });
        return {
          dataSourceUuids:
            customer?.data_source_uuids ??
            (customer?.data_source_uuid ? [customer.data_source_uuid] : [target.dataSourceUuid]),
          ...notKeptOf(customer, row, { custom: withCustom }),
        };
      },
    ),

    /** Sets typed custom attributes, creating keys that do not exist yet (safe to repeat). Answers what of
     * them ChartMogul did not keep. */
    setCustomAttributes: failingClearly(
      async (target: Destination, uuid: string, row: MappedRow): Promise<{ notKept?: NotKept[] }> => {
        const answer = await deps
          .clientFor(target.account)
          .request<{ custom?: Record<string, unknown> }>(
            'POST',
            `/v1/customers/${encodeURIComponent(uuid)}/attributes/custom`,
            {
              body: { custom: typedAttributes(row.custom) },
            },
          );
        return notKeptOf({ uuid, external_id: row.key, attributes: { custom: answer?.custom ?? {} } }, row, {
          fields: false,
        });
      },
    ),
  };
}
