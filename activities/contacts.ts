// ChartMogul contact activities. Contacts have no key of their own: they are found by email among
// their customer's contacts, which is also how a retried create avoids making a second contact.

import { activityInfo } from '@temporalio/activity';

import { contactBody } from '../src/chartmogul/payloads';
import type { MappedRow } from '../src/spec/mapping';
import type { Destination } from './customers';
import type { ActivityDependencies } from './dependencies';
import { failingClearly } from './failures';

interface ContactJson {
  uuid: string;
  email: string | null;
}

export function contactActivities(deps: ActivityDependencies) {
  async function findByEmail(target: Destination, customerUuid: string, email: string): Promise<string | null> {
    const list = await deps.clientFor(target.account).request<{ entries: ContactJson[] }>('GET', '/v1/contacts', {
      query: { customer_uuid: customerUuid, email, per_page: 200 },
    });
    return list.entries.find((contact) => contact.email?.toLowerCase() === email.toLowerCase())?.uuid ?? null;
  }

  return {
    findContactByEmail: failingClearly(findByEmail),

    /** Creates a contact on its customer. On a retry, a contact with the row's email that is already
     * there is the one an earlier attempt made: it is returned instead of made twice. */
    createContact: failingClearly(async (target: Destination, customerUuid: string, row: MappedRow): Promise<string> => {
      const email = row.fields.email;
      const existing = activityInfo().attempt > 1 && email ? await findByEmail(target, customerUuid, email) : null;
      if (existing) return existing;
      const contact = await deps.clientFor(target.account).request<ContactJson>('POST', `/v1/customers/${encodeURIComponent(customerUuid)}/contacts`, {
        body: { data_source_uuid: target.dataSourceUuid, ...contactBody(row) },
      });
      return contact.uuid;
    }),

    updateContact: failingClearly(async (target: Destination, uuid: string, row: MappedRow): Promise<void> => {
      await deps.clientFor(target.account).request('PATCH', `/v1/contacts/${encodeURIComponent(uuid)}`, { body: contactBody(row) });
    }),
  };
}
