// ChartMogul contact activities. Contacts have no key of their own: they are found by email among
// their customer's contacts, which is also how a retried create avoids making a second contact.

import { activityInfo } from '@temporalio/activity';

import { createBody, updateBody } from '../../src/chartmogul/payloads';
import { LIST_PAGE_SIZE } from '../../src/limits';
import { textField, type MappedRow } from '../../src/sync-spec/mapping';
import { CONTACTS } from './definition';
import { notKept } from '../../src/state/diff';
import type {
  ContactRef,
  CreateContactInput,
  Destination,
  FindContactInput,
  RecordWriteInput,
  WriteAnswer,
} from '../../src/contracts/activities';
import type { ActivityDependencies } from '../../activities/dependencies';

interface ContactJson {
  uuid: string;
  email: string | null;
}

/** Contact keys are (customer, email) whatever the mode: the answer is compared on the other fields. */
const KEY_FIELDS = CONTACTS.keyFields('upsert');

function written(contact: ContactJson, row: MappedRow): ContactRef {
  const found = notKept(
    'contacts',
    row,
    CONTACTS.remoteValues(contact as unknown as Record<string, unknown>),
    KEY_FIELDS,
  );
  return found.length > 0 ? { uuid: contact.uuid, notKept: found } : { uuid: contact.uuid };
}

export function contactActivities(deps: ActivityDependencies) {
  async function findByEmail(target: Destination, customerUuid: string, email: string): Promise<ContactJson | null> {
    const list = await deps.clientFor(target.account).request<{ entries: ContactJson[] }>('GET', '/v1/contacts', {
      query: { customer_uuid: customerUuid, email, per_page: LIST_PAGE_SIZE },
    });
    return list.entries.find((contact) => contact.email?.toLowerCase() === email.toLowerCase()) ?? null;
  }

  return {
    /** The customer's contact with this email, if any. */
    findContactByEmail: async ({ target, customerUuid, email }: FindContactInput): Promise<{ uuid: string } | null> => {
      const found = await findByEmail(target, customerUuid, email);
      return found ? { uuid: found.uuid } : null;
    },

    /** Creates a contact on its customer. On a retry, a contact with the row's email that is already
     * there is the one an earlier attempt made (its answer was lost): it is returned instead of made twice.
     * No refusal message is read, so this holds whatever ChartMogul would answer to a second create. */
    createContact: async ({ target, customerUuid, row }: CreateContactInput): Promise<ContactRef> => {
      const email = textField(row, 'email');
      const existing = activityInfo().attempt > 1 && email ? await findByEmail(target, customerUuid, email) : null;
      if (existing) return written(existing, row);
      const contact = await deps
        .clientFor(target.account)
        .request<ContactJson>('POST', `/v1/customers/${encodeURIComponent(customerUuid)}/contacts`, {
          body: createBody('contacts', target.dataSourceUuid, row),
        });
      return written(contact, row);
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
