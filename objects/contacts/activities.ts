// ChartMogul contact activities. A contact is found among its customer's contacts: by email, or by its own
// external_id (options.contactKey), which is also how a retried create avoids making a second contact.

import { activityInfo } from '@temporalio/activity';

import { createBody, updateBody } from '../../src/chartmogul/payloads';
import { LIST_PAGE_SIZE } from '../../src/limits';
import { textField, type MappedRow } from '../../src/sync-spec/mapping';
import { CONTACTS } from './definition';
import { fieldDifferences, notKept } from '../../src/state/diff';
import { createOnce } from '../../activities/create-once';
import type {
  ContactRef,
  CreateContactInput,
  Destination,
  FindContactByExternalIdInput,
  FindContactInput,
  RecordWriteInput,
  WriteAnswer,
} from '../../src/contracts/activities';
import type { ActivityDependencies } from '../../activities/dependencies';

interface ContactJson {
  uuid: string;
  email: string | null;
  external_id?: string | null;
}

/** Contact keys are (customer, email), or external_id: the answer is compared on the other fields. */
const KEY_FIELDS = CONTACTS.keyFields('upsert');
const KEYED_BY_EXTERNAL_ID = [...CONTACTS.keyFields('upsert', { contactKey: 'external_id' }), 'customer_external_id'];

function remoteValuesOf(contact: ContactJson) {
  return CONTACTS.remoteValues(contact as unknown as Record<string, unknown>);
}

function written(contact: ContactJson, row: MappedRow): ContactRef {
  const found = notKept('contacts', row, remoteValuesOf(contact), KEY_FIELDS);
  return found.length > 0 ? { uuid: contact.uuid, notKept: found } : { uuid: contact.uuid };
}

/** A contact found by its external id, given the row: whether it holds it, and where it differs. */
function comparedRef(contact: ContactJson, row: MappedRow): ContactRef {
  const differences = fieldDifferences(row, remoteValuesOf(contact), KEYED_BY_EXTERNAL_ID);
  return { uuid: contact.uuid, holdsRow: differences.length === 0, differences };
}

export function contactActivities(deps: ActivityDependencies) {
  async function findByEmail(target: Destination, customerUuid: string, email: string): Promise<ContactJson | null> {
    const list = await deps.clientFor(target.account).request<{ entries: ContactJson[] }>('GET', '/v1/contacts', {
      query: { customer_uuid: customerUuid, email, per_page: LIST_PAGE_SIZE },
    });
    return list.entries.find((contact) => contact.email?.toLowerCase() === email.toLowerCase()) ?? null;
  }

  /** The customer's contact with this external id, if any (every page of its contacts: no filter takes it). */
  async function findByExternalId(
    target: Destination,
    customerUuid: string,
    externalId: string,
  ): Promise<ContactJson | null> {
    const client = deps.clientFor(target.account);
    let cursor: string | undefined;
    for (;;) {
      const page = await client.request<{ entries: ContactJson[]; has_more?: boolean; cursor?: string | null }>(
        'GET',
        `/v1/customers/${encodeURIComponent(customerUuid)}/contacts`,
        { query: { per_page: LIST_PAGE_SIZE, cursor } },
      );
      const found = page.entries.find((contact) => contact.external_id === externalId);
      if (found) return found;
      if (!page.has_more || !page.cursor) return null;
      cursor = page.cursor;
    }
  }

  return {
    /** The customer's contact with this external id, if any; given the row, whether it holds it. */
    findContactByExternalId: async ({
      target,
      customerUuid,
      externalId,
      row,
    }: FindContactByExternalIdInput): Promise<ContactRef | null> => {
      const found = await findByExternalId(target, customerUuid, externalId);
      if (!found) return null;
      return row ? comparedRef(found, row) : { uuid: found.uuid };
    },

    /** The customer's contact with this email, if any. */
    findContactByEmail: async ({ target, customerUuid, email }: FindContactInput): Promise<{ uuid: string } | null> => {
      const found = await findByEmail(target, customerUuid, email);
      return found ? { uuid: found.uuid } : null;
    },

    /** Creates a contact on its customer. Keyed by external id, exactly once as any keyed create
     * (../../activities/create-once.ts). Else, on a retry, a contact with the row's email that is already
     * there is the one an earlier attempt made (its answer was lost): it is returned instead of made twice.
     * No refusal message is read, so this holds whatever ChartMogul would answer to a second create. */
    createContact: async ({ target, customerUuid, row, keyedBy }: CreateContactInput): Promise<ContactRef> => {
      const post = () =>
        deps
          .clientFor(target.account)
          .request<ContactJson>('POST', `/v1/customers/${encodeURIComponent(customerUuid)}/contacts`, {
            body: createBody('contacts', target.dataSourceUuid, row),
          });
      if (keyedBy === 'external_id') {
        const created = await createOnce(post, () => findByExternalId(target, customerUuid, row.key));
        return created.existed ? { ...comparedRef(created.record, row), existed: true } : written(created.record, row);
      }
      const email = textField(row, 'email');
      const existing = activityInfo().attempt > 1 && email ? await findByEmail(target, customerUuid, email) : null;
      if (existing) return written(existing, row);
      return written(await post(), row);
    },

    /** PATCHes a contact; answers what of the row ChartMogul did not keep. */
    updateContact: async ({ target, uuid, row }: RecordWriteInput): Promise<WriteAnswer> => {
      const contact = await deps
        .clientFor(target.account)
        .request<ContactJson>('PATCH', `/v1/contacts/${encodeURIComponent(uuid)}`, {
          body: updateBody('contacts', row),
        });
      const { notKept: found } = written(contact, row);
      return found ? { notKept: found } : {};
    },
  };
}
