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

test('options.contactKey "external_id": a contact keeps its key when its email changes, is made once under lost answers, and an unknown key is not found for update', async () => {
  const { temporal, emulator } = harness;
  const columns = ['contact_id', 'customer', 'email', 'first'];
  const mapping = [
    { from: 'contact_id', to: 'external_id' },
    { from: 'customer', to: 'customer_external_id' },
    { from: 'email', to: 'email' },
    { from: 'first', to: 'first_name' },
  ];
  const keyed = (name: string, mode: string, path: string, options: object = {}) => ({
    ...contactSpec(name, mode, path, mapping),
    options: { contactKey: 'external_id', ...options },
  });
  const rows: string[][] = Array.from({ length: 20 }, (_, index) => [
    `XK-${index}`,
    index % 2 === 0 ? 'C1' : 'C2',
    `keyed${index}@example.com`,
    `Keyed ${index}`,
  ]);
  const path = writeCsv('contacts-keyed.csv', columns, rows);
  emulator.configure({ faults: 'lost=0.4' });
  const created = await runSync(temporal.client, keyed('contacts-keyed', 'upsert', path));
  emulator.configure({ faults: {} });
  assert.deepEqual(created.totals, totals({ read: 20, created: 20 }), JSON.stringify(created.issues));
  assert.ok((emulator.stats().faults.lostStatus500 ?? 0) + (emulator.stats().faults.lostReset ?? 0) > 0);
  const keyedHeld = async () =>
    (await listAll(emulator, '/v1/contacts')).filter((contact) => String(contact.external_id).startsWith('XK-'));
  assert.equal((await keyedHeld()).length, 20, 'each contact once');
  const before = (await keyedHeld()).find((contact) => contact.external_id === 'XK-3');

  // A new email is a change of the same contact (keyed by email, it would be a second one).
  writeCsv(
    'contacts-keyed.csv',
    columns,
    rows.map((row) =>
      row[0] === 'XK-3' ? [row[0] ?? '', row[1] ?? '', 'new-address@example.com', row[3] ?? ''] : row,
    ),
  );
  const changed = await runSync(temporal.client, keyed('contacts-keyed', 'upsert', path, { fullRefresh: true }));
  assert.deepEqual(changed.totals, totals({ read: 20, updated: 1, unchanged: 19 }), JSON.stringify(changed.issues));
  const after = (await keyedHeld()).find((contact) => contact.external_id === 'XK-3');
  assert.deepEqual([after?.uuid, after?.email], [before?.uuid, 'new-address@example.com']);
  assert.equal((await keyedHeld()).length, 20);

  // Insert of a key ChartMogul holds with the row's values is no change; update of an unknown key is rejected.
  const insertPath = writeCsv('contacts-keyed-insert.csv', columns, [
    rows[0] ?? [],
    ['XK-NEW', 'C1', 'n@example.com', 'N'],
  ]);
  const inserted = await runSync(temporal.client, keyed('contacts-keyed-insert', 'insert', insertPath));
  assert.deepEqual(inserted.totals, totals({ read: 2, created: 1, unchanged: 1 }), JSON.stringify(inserted.issues));
  const updatePath = writeCsv('contacts-keyed-update.csv', columns, [['XK-MISSING', 'C1', 'm@example.com', 'M']]);
  const update = await runSync(temporal.client, keyed('contacts-keyed-update', 'update', updatePath));
  assert.deepEqual(update.totals, totals({ read: 1, rejected: 1 }));
  assert.match(
    update.issues[0]?.reason ?? '',
    /contact not found for update: no contact with external_id "XK-MISSING"/,
  );
});
