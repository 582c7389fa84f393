// ChartMogul customer activities: one HTTP request each, except where a retry must first find out
// whether an earlier attempt already applied its change.

import { createBody, typedAttributes, updateBody } from '../../src/chartmogul/payloads';
import type { MappedRow } from '../../src/sync-spec/mapping';
import { CUSTOMERS } from './definition';
import { fieldDifferences, matchesRemote, notKept } from '../../src/state/diff';
import type {
  CreateCustomerInput,
  CustomerRef,
  Destination,
  LookupCustomerInput,
  RecordWriteInput,
  UpdateCustomerInput,
  WriteAnswer,
} from '../../src/contracts/activities';
import { createOnce, findByExternalId } from '../../activities/create-once';
import type { ActivityDependencies } from '../../activities/dependencies';

interface CustomerJson {
  uuid: string;
  external_id: string;
  data_source_uuid?: string;
  data_source_uuids?: string[];
  attributes?: { custom?: Record<string, unknown>; tags?: string[] };
}

/** Makes the customer's tags exactly `wanted`: the missing ones added, the others removed, each by ChartMogul's
 * idempotent tag endpoints (no request when the sets agree). Answers the set ChartMogul holds after. */
async function setTags(
  client: ReturnType<ActivityDependencies['clientFor']>,
  uuid: string,
  wanted: readonly string[],
  held: readonly string[],
): Promise<string[]> {
  const path = `/v1/customers/${encodeURIComponent(uuid)}/attributes/tags`;
  let tags = [...held];
  const added = wanted.filter((tag) => !held.includes(tag));
  const removed = held.filter((tag) => !wanted.includes(tag));
  if (added.length > 0) tags = (await client.request<{ tags: string[] }>('POST', path, { body: { tags: added } })).tags;
  if (removed.length > 0)
    tags = (await client.request<{ tags: string[] }>('DELETE', path, { body: { tags: removed } })).tags;
  return tags;
}

/** Compared as a prefetch compares: ChartMogul already holds every value the row would send. */
function holdsRow(customer: CustomerJson, row: MappedRow): boolean {
  return matchesRemote(row, remoteValuesOf(customer), KEY_FIELDS);
}

function remoteValuesOf(customer: CustomerJson) {
  return CUSTOMERS.remoteValues(customer as unknown as Record<string, unknown>);
}

/** A lookup's answer given the row: whether the customer holds it, and where it differs. */
function comparedRef(customer: CustomerJson, row: MappedRow): CustomerRef {
  const differences = fieldDifferences(row, remoteValuesOf(customer), KEY_FIELDS);
  // The same comparison as holdsRow: the customer holds the row when nothing differs.
  return { ...toRef(customer), holdsRow: differences.length === 0, ...(differences.length > 0 ? { differences } : {}) };
}

function toRef(customer: CustomerJson): CustomerRef {
  return { uuid: customer.uuid, custom: customer.attributes?.custom ?? {} };
}

const KEY_FIELDS = CUSTOMERS.keyFields('upsert');

/** What of the row the answer shows ChartMogul did not keep; left out when it kept everything. */
function notKeptOf(
  customer: CustomerJson | undefined,
  row: MappedRow,
  compare: { fields?: boolean; custom?: boolean },
): WriteAnswer {
  if (!customer) return {};
  const found = notKept('customers', row, remoteValuesOf(customer), KEY_FIELDS, compare);
  return found.length > 0 ? { notKept: found } : {};
}

export function customerActivities(deps: ActivityDependencies) {
  async function find(target: Destination, externalId: string): Promise<CustomerJson | null> {
    return findByExternalId<CustomerJson>(deps.clientFor(target.account), target, 'customers', externalId);
  }

  return {
    /** Finds a customer by its key: (data source, external_id); given the row, says whether it holds it already. */
    lookupCustomer: async ({ target, externalId, row }: LookupCustomerInput): Promise<CustomerRef | null> => {
      const found = await find(target, externalId);
      if (!found) return null;
      return row ? comparedRef(found, row) : toRef(found);
    },

    /** Creates a customer, exactly once (./create-once.ts). A key taken before: `onDuplicate` decides. */
    createCustomer: async (input: CreateCustomerInput): Promise<CustomerRef> => {
      const { target, row, onDuplicate = 'fail' } = input;
      const created = await createOnce(
        () =>
          deps.clientFor(target.account).request<CustomerJson>('POST', '/v1/customers', {
            body: createBody('customers', target.dataSourceUuid, row),
          }),
        () => find(target, row.key),
      );
      if (!created.existed) return { ...toRef(created.record), ...notKeptOf(created.record, row, {}) };
      if (onDuplicate === 'update') return { ...toRef(created.record), existed: true };
      if (onDuplicate === 'keep-if-same' && holdsRow(created.record, row))
        return { ...toRef(created.record), existed: true };
      throw created.refusal;
    },

    /** PATCHes the standard fields and, with `withCustom`, custom attributes whose keys the customer
     * already has; then makes its tags the row's set, when the row maps them (safe to repeat). Answers the customer's data sources, so the caller can tell a UUID
     * that is not in its data source, and what of the row ChartMogul did not keep. */
    updateCustomer: async (input: UpdateCustomerInput): Promise<{ dataSourceUuids: string[] } & WriteAnswer> => {
      const { target, uuid, row, withCustom = false } = input;
      const client = deps.clientFor(target.account);
      const customer = await client.request<CustomerJson>('PATCH', `/v1/customers/${encodeURIComponent(uuid)}`, {
        body: updateBody('customers', row, withCustom),
      });
      if (customer && Array.isArray(row.fields.tags)) {
        const tags = await setTags(client, uuid, row.fields.tags as readonly string[], customer.attributes?.tags ?? []);
        customer.attributes = { ...customer.attributes, tags };
      }
      return {
        dataSourceUuids:
          customer?.data_source_uuids ??
          (customer?.data_source_uuid ? [customer.data_source_uuid] : [target.dataSourceUuid]),
        ...notKeptOf(customer, row, { custom: withCustom }),
      };
    },

    /** Sets typed custom attributes, creating keys that do not exist yet (safe to repeat). Answers what of
     * them ChartMogul did not keep. */
    setCustomAttributes: async ({ target, uuid, row }: RecordWriteInput): Promise<WriteAnswer> => {
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
  };
}
