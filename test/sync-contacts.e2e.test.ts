// Contacts end to end: insert, update and upsert land on the right customer; a missing parent is rejected.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, listAll, runSync, useSyncHarness, writeCsv, totals } from './helpers/sync';

const harness = useSyncHarness({ contactAttributes: ['LinkedIn'] }, async ({ temporal, emulator }) => {
  const customers = writeCsv(
    'parents.csv',
    ['id', 'name'],
    [
      ['C1', 'One'],
      ['C2', 'Two'],
    ],
  );
  const result = await runSync(temporal.client, {
    name: 'contact-parents',
    object: 'customers',
    mode: 'insert',
    dataSourceUuid: emulator.dataSourceUuid,
    source: { type: 'file', path: customers },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
    ],
  });
  assert.equal(result.totals.created, 2);
});

const CONTACT_MAPPING = [
  { from: 'customer', to: 'customer_external_id' },
  { from: 'email', to: 'email' },
  { from: 'first', to: 'first_name' },
  { from: 'title', to: 'title' },
  { from: 'linkedin_url', to: 'LinkedIn' },
];

function contactSpec(name: string, mode: string, path: string, mapping: object[] = CONTACT_MAPPING) {
  return {
    name,
    object: 'contacts',
    mode,
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path },
    mapping,
  };
}

async function contactsByEmail(): Promise<Map<string, any>> {
  const customers = await listAll(harness.emulator, '/v1/customers');
  const externalIdOf = new Map(customers.map((customer) => [customer.uuid, customer.external_id]));
  const contacts = await listAll(harness.emulator, '/v1/contacts');
  return new Map(
    contacts.map((contact) => [contact.email, { ...contact, parent: externalIdOf.get(contact.customer_uuid) }]),
  );
}

test('insert puts contacts on their customers; a missing parent is rejected with "sync customers first"', async () => {
  const path = writeCsv(
    'contacts-insert.csv',
    ['customer', 'email', 'first', 'title', 'linkedin_url'],
    [
      ['C1', 'anna@example.com', 'Anna', 'CFO', 'https://linkedin.com/in/anna'],
      ['C2', 'bert@example.com', 'Bert', null, null],
      ['C9', 'orphan@example.com', 'Orphan', null, null],
    ],
  );
  const result = await runSync(harness.temporal.client, contactSpec('contacts-insert', 'insert', path));
  assert.deepEqual(result.totals, totals({ read: 3, created: 2, rejected: 1 }));
  assert.equal(result.issues[0]?.key, 'C9/orphan@example.com');
  assert.match(result.issues[0]?.reason ?? '', /customer "C9" not found in the data source: sync customers first/);
  const contacts = await contactsByEmail();
  assert.equal(contacts.get('anna@example.com').parent, 'C1');
  assert.equal(contacts.get('anna@example.com').title, 'CFO');
  assert.deepEqual(contacts.get('anna@example.com').custom, { LinkedIn: 'https://linkedin.com/in/anna' });
  assert.equal(contacts.get('bert@example.com').parent, 'C2');
});

/** A contact that is already in ChartMogul before a test's sync, on the customer with this external id. */
async function existingContact(parent: string, email: string, fields: Record<string, string> = {}): Promise<any> {
  const customer = (await listAll(harness.emulator, '/v1/customers')).find((each) => each.external_id === parent);
  return api(harness.emulator, 'POST', '/v1/contacts', {
    customer_uuid: customer.uuid,
    data_source_uuid: harness.emulator.dataSourceUuid,
    email,
    ...fields,
  });
}

test('upsert updates a contact found by email and creates the rest; running it again creates nothing', async () => {
  await existingContact('C1', 'dora@example.com', { first_name: 'Dora', title: 'CFO' });
  const path = writeCsv(
    'contacts-upsert.csv',
    ['customer', 'email', 'first', 'title', 'linkedin_url'],
    [
      ['C1', 'dora@example.com', 'Dora', 'CEO', null],
      ['C1', 'carl@example.com', 'Carl', 'CTO', null],
    ],
  );
  const result = await runSync(harness.temporal.client, contactSpec('contacts-upsert', 'upsert', path));
  assert.deepEqual(result.totals, totals({ read: 2, created: 1, updated: 1 }));
  const again = await runSync(harness.temporal.client, contactSpec('contacts-upsert', 'upsert', path));
  assert.deepEqual(again.totals, totals({ read: 2, unchanged: 2 }));
  const contacts = await listAll(harness.emulator, '/v1/contacts');
  const ours = contacts.filter((contact) => ['dora@example.com', 'carl@example.com'].includes(contact.email));
  assert.equal(ours.length, 2, 'no contact was made twice');
  const byEmail = await contactsByEmail();
  assert.equal(byEmail.get('dora@example.com').title, 'CEO');
  assert.equal(byEmail.get('carl@example.com').parent, 'C1');
});

test('update changes contacts by their ChartMogul uuid; an unknown uuid is rejected as not found for update', async () => {
  const ella = await existingContact('C1', 'ella@example.com', { first_name: 'Ella' });
  const path = writeCsv(
    'contacts-update.csv',
    ['uuid', 'customer', 'first'],
    [
      [ella.uuid, 'C1', 'Ellabel'],
      ['con_00000000-0000-4000-8000-000000000000', 'C1', 'Ghost'],
    ],
  );
  const result = await runSync(
    harness.temporal.client,
    contactSpec('contacts-update', 'update', path, [
      { from: 'uuid', to: 'uuid' },
      { from: 'customer', to: 'customer_external_id' },
      { from: 'first', to: 'first_name' },
    ]),
  );
  assert.deepEqual(result.totals, totals({ read: 2, updated: 1, rejected: 1 }));
  assert.equal(result.issues[0]?.status, 'rejected');
  assert.match(
    result.issues[0]?.reason ?? '',
    /contact not found for update: no contact with uuid "con_00000000-0000-4000-8000-000000000000"/,
  );
  assert.equal((await contactsByEmail()).get('ella@example.com').first_name, 'Ellabel');
});

test("a contact's own external_id and its position (2026) are sent, compared, and changed in place", async () => {
  const columns = ['customer', 'email', 'contact_id', 'position'];
  const mapping = [
    { from: 'customer', to: 'customer_external_id' },
    { from: 'email', to: 'email' },
    { from: 'contact_id', to: 'external_id' },
    { from: 'position', to: 'position' },
  ];
  const first = writeCsv('contacts-2026.csv', columns, [['C1', 'pos@example.com', 'CON-1', '3']]);
  const created = await runSync(harness.temporal.client, contactSpec('contacts-2026', 'upsert', first, mapping));
  assert.deepEqual(created.totals, totals({ read: 1, created: 1 }), JSON.stringify(created.issues));
  let held = (await contactsByEmail()).get('pos@example.com');
  assert.deepEqual([held?.external_id, held?.position], ['CON-1', 3]);
  const uuid = held?.uuid;

  const unchanged = await runSync(harness.temporal.client, {
    ...contactSpec('contacts-2026', 'upsert', first, mapping),
    options: { fullRefresh: true },
  });
  assert.deepEqual(unchanged.totals, totals({ read: 1, unchanged: 1 }), 'ChartMogul holds both values');

  const moved = writeCsv('contacts-2026-moved.csv', columns, [['C1', 'pos@example.com', 'CON-1', '1']]);
  const updated = await runSync(harness.temporal.client, contactSpec('contacts-2026', 'upsert', moved, mapping));
  assert.deepEqual(updated.totals, totals({ read: 1, updated: 1 }), JSON.stringify(updated.issues));
  held = (await contactsByEmail()).get('pos@example.com');
  assert.deepEqual([held?.uuid, held?.position], [uuid, 1], 'the same contact, moved to the top');
});
