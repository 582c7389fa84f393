// ChartMogul customer activities: one HTTP request each, except where a retry must first find out
// whether an earlier attempt already applied its change.

import { activityInfo } from '@temporalio/activity';

import { ChartMogulError } from '../src/chartmogul/errors';
import { customerCreateBody, customerPatchBody, typedAttributes } from '../src/chartmogul/payloads';
import type { MappedRow } from '../src/spec/mapping';
import type { ActivityDependencies } from './dependencies';
import { failingClearly } from './failures';

export interface CustomerRef {
  uuid: string;
  /** The create met an existing customer (created since a listing), returned so the caller can update it. */
  existed?: boolean;
  /** The customer's custom attribute values as ChartMogul holds them. */
  custom: Record<string, unknown>;
}

/** Where rows go: the account (its credentials stay on the worker) and the data source. */
export interface Destination {
  account: string;
  dataSourceUuid: string;
}

interface CustomerJson {
  uuid: string;
  external_id: string;
  attributes?: { custom?: Record<string, unknown> };
}

const DUPLICATE_EXTERNAL_ID = /external id .*already exists/i;

function toRef(customer: CustomerJson): CustomerRef {
  return { uuid: customer.uuid, custom: customer.attributes?.custom ?? {} };
}

export function customerActivities(deps: ActivityDependencies) {
  async function find(target: Destination, externalId: string): Promise<CustomerRef | null> {
    const list = await deps.clientFor(target.account).request<{ entries: CustomerJson[] }>('GET', '/v1/customers', {
      query: { data_source_uuid: target.dataSourceUuid, external_id: externalId, per_page: 1 },
    });
    const match = list.entries.find((customer) => customer.external_id === externalId);
    return match ? toRef(match) : null;
  }

  return {
    /** Finds a customer by its key: (data source, external_id). */
    lookupCustomer: failingClearly(find),

    /** Creates a customer. A duplicate-key answer on a retry means an earlier attempt succeeded but its
     * answer was lost: the customer is looked up and returned as created. */
    createCustomer: failingClearly(async (target: Destination, row: MappedRow, onDuplicate: 'fail' | 'update' = 'fail'): Promise<CustomerRef> => {
      try {
        const created = await deps.clientFor(target.account).request<CustomerJson>('POST', '/v1/customers', {
          body: customerCreateBody(target.dataSourceUuid, row),
        });
        return toRef(created);
      } catch (error) {
        const duplicate = error instanceof ChartMogulError && error.status === 422 && DUPLICATE_EXTERNAL_ID.test(error.chartMogulMessage);
        if (duplicate && activityInfo().attempt > 1) {
          const applied = await find(target, row.key);
          if (applied) return applied;
        }
        if (duplicate && onDuplicate === 'update') {
          const existing = await find(target, row.key);
          if (existing) return { ...existing, existed: true };
        }
        throw error;
      }
    }),

    /** PATCHes the standard fields and, with `withCustom`, custom attributes whose keys the customer
     * already has (safe to repeat). */
    updateCustomer: failingClearly(async (target: Destination, uuid: string, row: MappedRow, withCustom: boolean = false): Promise<void> => {
      await deps.clientFor(target.account).request('PATCH', `/v1/customers/${encodeURIComponent(uuid)}`, { body: customerPatchBody(row, withCustom) });
    }),

    /** Sets typed custom attributes, creating keys that do not exist yet (safe to repeat). */
    setCustomAttributes: failingClearly(async (target: Destination, uuid: string, row: MappedRow): Promise<void> => {
      await deps.clientFor(target.account).request('POST', `/v1/customers/${encodeURIComponent(uuid)}/attributes/custom`, {
        body: { custom: typedAttributes(row.custom) },
      });
    }),
  };
}
