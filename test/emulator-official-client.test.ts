// Faithfulness: the official ChartMogul Node client, unchanged, drives every emulated endpoint and the
// bodies it gets back have ChartMogul's shapes (from recorded wire traffic), error bodies included.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import ChartMogul from 'chartmogul-node';

import { startTestEmulator, type TestEmulator } from './helpers/temporal';

let emulator: TestEmulator;
let config: unknown;
let ds: string;

before(async () => {
  emulator = await startTestEmulator({ users: ['owner@example.com'], contactAttributes: ['Facebook', 'Twitter'] });
  config = new ChartMogul.Config(emulator.apiKey, emulator.url);
  (config as { retries: number }).retries = 0;
  ds = emulator.dataSourceUuid;
});
after(() => emulator.stop());

/** Runs a client call that must fail; returns the HTTP status and the parsed body the client saw.
 * (For 4xx answers the client passes on superagent's error, which holds the response.) */
async function failure(call: Promise<unknown>): Promise<{ status: number; body: any }> {
  try {
    await call;
  } catch (error: any) {
    return { status: error.status ?? error.httpStatus, body: error.response?.body ?? error.response };
  }
  assert.fail('the call should have failed');
}

const CUSTOMER_KEYS = [
  'id',
  'uuid',
  'external_id',
  'name',
  'email',
  'status',
  'customer-since',
  'attributes',
  'data_source_uuid',
  'data_source_uuids',
  'external_ids',
  'company',
  'country',
  'state',
  'city',
  'zip',
  'lead_created_at',
  'free_trial_started_at',
  'address',
  'mrr',
  'arr',
  'billing-system-url',
  'chartmogul-url',
  'billing-system-type',
  'currency',
  'currency-sign',
  'owner',
  'website_url',
].sort();
const CONTACT_KEYS = [
  'uuid',
  'customer_uuid',
  'customer_external_id',
  'data_source_uuid',
  'position',
  'first_name',
  'last_name',
  'title',
  'email',
  'phone',
  'linked_in',
  'twitter',
  'notes',
  'custom',
].sort();

function newCustomer(externalId: string, extra: Record<string, unknown> = {}) {
  return ChartMogul.Customer.create(config, {
    data_source_uuid: ds,
    external_id: externalId,
    name: `Customer ${externalId}`,
    ...extra,
  });
}

describe('ping and auth', () => {
  test('ping answers pong', async () => {
    assert.deepEqual(await ChartMogul.Ping.ping(config), { data: 'pong!' });
  });

  test("a wrong key gets 401 with ChartMogul's body", async () => {
    const wrong = new ChartMogul.Config('not-the-key', emulator.url);
    wrong.retries = 0;
    const { status, body } = await failure(ChartMogul.Ping.ping(wrong));
    assert.equal(status, 401);
    assert.deepEqual(body, { code: 401, message: 'No valid API key provided', param: null });
    const listed = await failure(ChartMogul.Customer.all(wrong, { per_page: 10 }));
    assert.equal(listed.status, 401);
  });
});

describe('data sources', () => {
  test('list, retrieve, create, delete', async () => {
    const list = await ChartMogul.DataSource.all(config);
    assert.deepEqual(Object.keys(list), ['data_sources']);
    assert.equal(list.data_sources[0].uuid, ds);
    const created = await ChartMogul.DataSource.create(config, { name: 'Billing DB' });
    assert.match(created.uuid, /^ds_[0-9a-f-]{36}$/);
    assert.deepEqual(Object.keys(created).sort(), ['created_at', 'name', 'status', 'system', 'uuid']);
    assert.equal((await ChartMogul.DataSource.retrieve(config, created.uuid)).name, 'Billing DB');
    assert.equal((await ChartMogul.DataSource.all(config, { name: 'Billing DB' })).data_sources.length, 1);
    await ChartMogul.DataSource.destroy(config, created.uuid);
    const gone = await failure(ChartMogul.DataSource.retrieve(config, created.uuid));
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, { error: 'Data source not found' });
  });

  test('a missing or duplicate name gets 422 in the errors shape', async () => {
    const missing = await failure(ChartMogul.DataSource.create(config, {}));
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body, { errors: { name: 'A name is required for each data source.' } });
    const duplicate = await failure(ChartMogul.DataSource.create(config, { name: 'Emulated source 1' }));
    assert.deepEqual(duplicate.body, { errors: { name: 'Has already been taken.' } });
  });
});

describe('customers', () => {
  test('create answers 201 with every key ChartMogul sends', async () => {
    const customer = await newCustomer('shape-1', {
      email: 'adam@example.com',
      company: 'Pinata',
      country: 'de',
      city: 'Berlin',
      zip: '10115',
      lead_created_at: '2022-10-14 00:00:00',
      free_trial_started_at: '2022-11-01T00:00:00Z',
      owner: 'owner@example.com',
      website_url: 'https://example.com',
      attributes: {
        tags: ['important'],
        custom: [
          { type: 'String', key: 'channel', value: 'Facebook', source: 'integration' },
          { type: 'Integer', key: 'age', value: 18 },
        ],
      },
    });
    assert.deepEqual(Object.keys(customer).sort(), CUSTOMER_KEYS);
    assert.match(customer.uuid, /^cus_[0-9a-f-]{36}$/);
    assert.equal(customer.status, 'New Lead');
    assert.equal(customer.country, 'DE');
    assert.equal(customer.address.country, 'Germany');
    assert.equal(customer.lead_created_at, '2022-10-14T00:00:00.000Z');
    assert.deepEqual(customer.attributes, {
      custom: { channel: 'Facebook', age: 18 },
      stripe: {},
      tags: ['important'],
    });
    assert.deepEqual(customer.data_source_uuids, [ds]);
    assert.deepEqual(customer.external_ids, ['shape-1']);
  });

  test('without email, name or company: answered as "" (never null), listed and retrieved', async () => {
    const bare = await ChartMogul.Customer.create(config, { data_source_uuid: ds, external_id: 'bare-1' });
    assert.deepEqual([bare.name, bare.email, bare.company], ['', '', '']);
    assert.deepEqual(Object.keys(bare).sort(), CUSTOMER_KEYS);
    const retrieved = await ChartMogul.Customer.retrieve(config, bare.uuid);
    assert.deepEqual([retrieved.name, retrieved.email], ['', '']);
    const listed = await ChartMogul.Customer.all(config, { data_source_uuid: ds, external_id: 'bare-1' });
    assert.deepEqual(
      listed.entries.map((customer: any) => [customer.name, customer.email]),
      [['', '']],
    );
    const emailOnly = await newCustomer('email-only', { name: undefined, email: 'e@example.com' });
    assert.equal(emailOnly.name, '');
  });

  test('the app link ends in the company when there is one, else the name', async () => {
    const withCompany = await newCustomer('url-1', { company: 'Curry 36' });
    assert.match(withCompany['chartmogul-url'], new RegExp(`/customers/${withCompany.id}-Curry_36$`));
    const withoutCompany = await newCustomer('url-2');
    assert.match(withoutCompany['chartmogul-url'], new RegExp(`/customers/${withoutCompany.id}-Customer_url_2$`));
  });

  test('an owner who is not a user of the account is not kept (200, old owner stays)', async () => {
    const created = await newCustomer('owner-1', { owner: 'stranger@example.com' });
    assert.equal(created.owner, null);
    const owned = await ChartMogul.Customer.modify(config, created.uuid, { owner: 'owner@example.com' });
    assert.equal(owned.owner, 'owner@example.com');
    const kept = await ChartMogul.Customer.modify(config, created.uuid, {
      owner: 'stranger@example.com',
      name: 'Renamed',
    });
    assert.equal(kept.owner, 'owner@example.com');
    assert.equal(kept.name, 'Renamed');
  });

  test("primary_contact on create makes the customer's first contact", async () => {
    const customer = await newCustomer('primary-1', {
      primary_contact: { first_name: 'Anna', email: 'anna@primary.example.com', title: 'CFO' },
    });
    const contacts = await ChartMogul.Customer.contacts(config, customer.uuid, {});
    assert.deepEqual(
      contacts.entries.map((contact: any) => [contact.email, contact.first_name, contact.title, contact.position]),
      [['anna@primary.example.com', 'Anna', 'CFO', 1]],
    );
  });

  test('a US state is kept as its code, with the name in the address', async () => {
    const customer = await newCustomer('state-1', { country: 'US', state: 'US-CA' });
    assert.equal(customer.state, 'CA');
    assert.equal(customer.address.state, 'California');
  });

  test('retrieve, PATCH, PUT and delete', async () => {
    const created = await newCustomer('update-1', {
      attributes: { custom: [{ type: 'Boolean', key: 'pro', value: false }] },
    });
    const fetched = await ChartMogul.Customer.retrieve(config, created.uuid);
    assert.deepEqual(fetched, created);
    const patched = await ChartMogul.Customer.modify(config, created.uuid, {
      name: 'Renamed',
      city: 'Paris',
      attributes: { custom: { pro: true } },
    });
    assert.equal(patched.name, 'Renamed');
    assert.equal(patched.city, 'Paris');
    assert.equal(patched.attributes.custom.pro, true);
    const put = await ChartMogul.Customer.update(config, created.uuid, { company: 'Acme' });
    assert.equal(put.company, 'Acme');
    await ChartMogul.Customer.destroy(config, created.uuid);
    const gone = await failure(ChartMogul.Customer.retrieve(config, created.uuid));
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, {
      code: 404,
      message: `Customer "${created.uuid.slice(4)}" does not exist`,
      param: 'customer_id',
    });
  });

  test('list filters by data source, external_id and email, and pages past 200 with cursors', async () => {
    for (let i = 0; i < 205; i++)
      await newCustomer(`page-${String(i).padStart(3, '0')}`, { email: i === 7 ? 'seven@example.com' : undefined });
    const first = await ChartMogul.Customer.all(config, { data_source_uuid: ds, per_page: 500 });
    assert.equal(first.entries.length, 200, 'per_page is capped at 200');
    assert.equal(first.has_more, true);
    assert.equal(typeof first.cursor, 'string');
    assert.equal(first.current_page, 1, 'the first page also carries the deprecated keys');
    const second = await ChartMogul.Customer.all(config, { data_source_uuid: ds, per_page: 200, cursor: first.cursor });
    assert.deepEqual(Object.keys(second).sort(), ['cursor', 'entries', 'has_more']);
    assert.equal(second.has_more, false);
    assert.equal(typeof second.cursor, 'string', 'the cursor stays set on the last page');
    const ids = new Set([...first.entries, ...second.entries].map((customer: any) => customer.external_id));
    for (let i = 0; i < 205; i++) assert.ok(ids.has(`page-${String(i).padStart(3, '0')}`));
    const one = await ChartMogul.Customer.all(config, { data_source_uuid: ds, external_id: 'page-042' });
    assert.deepEqual(
      one.entries.map((customer: any) => customer.external_id),
      ['page-042'],
    );
    const byEmail = await ChartMogul.Customer.all(config, { email: 'seven@example.com' });
    assert.deepEqual(
      byEmail.entries.map((customer: any) => customer.external_id),
      ['page-007'],
    );
    const none = await ChartMogul.Customer.all(config, { external_id: 'nobody' });
    assert.deepEqual(
      { entries: none.entries, has_more: none.has_more, cursor: none.cursor },
      { entries: [], has_more: false, cursor: null },
    );
  });

  test('search by email finds matches and answers 404 for none', async () => {
    await newCustomer('search-1', { email: 'findme@example.com' });
    const found = await ChartMogul.Customer.search(config, { email: 'findme@example.com' });
    assert.deepEqual(
      found.entries.map((customer: any) => customer.external_id),
      ['search-1'],
    );
    const missing = await failure(ChartMogul.Customer.search(config, { email: 'no@email.com' }));
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, {
      code: 404,
      message: 'Can\'t find any customers with email: "no@email.com"',
      param: 'email',
    });
  });

  test('create errors: missing fields, unknown data source, duplicate external_id, bad email, bad country', async () => {
    const missing = await failure(ChartMogul.Customer.create(config, { name: 'No keys' }));
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body, {
      errors: {
        external_id: 'A unique external ID is required for each customer.',
        data_source_uuid: 'A valid data source UUID is required for each customer.',
      },
    });
    const unknownSource = await failure(
      ChartMogul.Customer.create(config, {
        data_source_uuid: 'ds_00000000-0000-4000-8000-000000000000',
        external_id: 'x',
      }),
    );
    assert.equal(unknownSource.status, 422);
    assert.ok(unknownSource.body.errors.data_source_uuid);
    await newCustomer('dup-1');
    const duplicate = await failure(newCustomer('dup-1'));
    assert.equal(duplicate.status, 422);
    assert.deepEqual(duplicate.body, {
      errors: { external_id: 'The external ID for this customer already exists in our system.' },
    });
    const badEmail = await failure(newCustomer('bad-email', { email: 'not-an-email' }));
    assert.deepEqual(badEmail.body, {
      code: 422,
      message: 'The value provided does not appear to be a valid email address.',
      param: 'email',
    });
    const badCountry = await failure(newCustomer('bad-country', { country: 'XX' }));
    assert.equal(badCountry.status, 422);
    assert.equal(badCountry.body.param, 'country');
    const badUpdate = await failure(
      ChartMogul.Customer.modify(config, (await newCustomer('bad-update')).uuid, { email: 'nope' }),
    );
    assert.equal(badUpdate.status, 422);
    assert.equal(badUpdate.body.param, 'email');
  });
});

describe('customer attributes', () => {
  test('GET attributes, POST typed custom attributes, PUT values, DELETE keys', async () => {
    const customer = await newCustomer('attrs-1', { attributes: { tags: ['vip'] } });
    const added = await ChartMogul.CustomAttribute.add(config, customer.uuid, {
      custom: [
        { type: 'String', key: 'StringKey', value: 'String Value' },
        { type: 'Integer', key: 'integer_key', value: 1234 },
        { type: 'Decimal', key: 'ratio', value: 0.25 },
        { type: 'Timestamp', key: 'timestamp_key', value: '2016-01-31 00:00:00 UTC' },
        { type: 'Boolean', key: 'boolean_key', value: 'TRUE' },
      ],
    });
    assert.deepEqual(added, {
      custom: {
        StringKey: 'String Value',
        integer_key: 1234,
        ratio: 0.25,
        timestamp_key: '2016-01-31T00:00:00.000Z',
        boolean_key: true,
      },
    });
    const updated = await ChartMogul.CustomAttribute.update(config, customer.uuid, {
      custom: { integer_key: 5678, StringKey: { value: 'Other', source: 'x' } },
    });
    assert.equal(updated.custom.integer_key, 5678);
    assert.equal(updated.custom.StringKey, 'Other');
    const attributes = await ChartMogul.Customer.attributes(config, customer.uuid);
    assert.deepEqual(attributes.tags, ['vip']);
    assert.equal(attributes.custom.ratio, 0.25);
    const removed = await ChartMogul.CustomAttribute.remove(config, customer.uuid, { custom: ['ratio'] });
    assert.ok(
      removed === undefined || removed === '' || Object.keys(removed).length === 0,
      'DELETE answers 204 with no body',
    );
    assert.equal((await ChartMogul.Customer.attributes(config, customer.uuid)).custom.ratio, undefined);
  });

  test('a value that does not fit its type, or a key re-typed, gets 422', async () => {
    const customer = await newCustomer('attrs-2');
    await ChartMogul.CustomAttribute.add(config, customer.uuid, {
      custom: [{ type: 'Integer', key: 'seats', value: 3 }],
    });
    const notInteger = await failure(
      ChartMogul.CustomAttribute.add(config, customer.uuid, {
        custom: [{ type: 'Integer', key: 'seats', value: 'twelve' }],
      }),
    );
    assert.equal(notInteger.status, 422);
    assert.equal(notInteger.body.param, 'custom');
    assert.match(notInteger.body.message, /seats.*twelve.*Integer/);
    const retyped = await failure(
      ChartMogul.CustomAttribute.add(config, customer.uuid, { custom: [{ type: 'String', key: 'seats', value: 'x' }] }),
    );
    assert.match(retyped.body.message, /already exists with type Integer/);
    const tooLong = await failure(
      newCustomer('attrs-3', { attributes: { custom: [{ type: 'String', key: 'note', value: 'x'.repeat(256) }] } }),
    );
    assert.match(tooLong.body.message, /255/);
    const putWrong = await failure(
      ChartMogul.CustomAttribute.update(config, customer.uuid, { custom: { seats: 'many' } }),
    );
    assert.equal(putWrong.status, 422);
  });
});

describe('contacts', () => {
  test('create through both paths, retrieve, list, update, delete', async () => {
    const customer = await newCustomer('contacts-1');
    const first = await ChartMogul.Contact.create(config, {
      customer_uuid: customer.uuid,
      data_source_uuid: ds,
      email: 'anna@example.com',
      first_name: 'Anna',
      custom: [
        { key: 'Facebook', value: 'anna.fb' },
        { key: 'Undefined', value: 'dropped' },
      ],
    });
    assert.deepEqual(Object.keys(first).sort(), CONTACT_KEYS, 'external_id is left out until it is set');
    assert.match(first.uuid, /^con_[0-9a-f-]{36}$/);
    assert.equal(first.position, 1);
    assert.equal(first.customer_external_id, 'contacts-1');
    assert.equal(first.last_name, null);
    assert.deepEqual(first.custom, { Facebook: 'anna.fb' }, 'a key the account does not define is dropped');
    const second = await ChartMogul.Customer.createContact(config, customer.uuid, {
      data_source_uuid: ds,
      email: 'bob@example.com',
      external_id: 'c-2',
    });
    assert.equal(second.position, 2);
    assert.equal(second.external_id, 'c-2');
    assert.deepEqual(await ChartMogul.Contact.retrieve(config, first.uuid), first);
    const ofCustomer = await ChartMogul.Customer.contacts(config, customer.uuid, { per_page: 10 });
    assert.deepEqual(Object.keys(ofCustomer).sort(), ['cursor', 'entries', 'has_more']);
    assert.deepEqual(
      ofCustomer.entries.map((contact: any) => contact.email),
      ['anna@example.com', 'bob@example.com'],
    );
    for (const filter of [
      { customer_uuid: customer.uuid },
      { customer_external_id: 'contacts-1' },
      { data_source_uuid: ds },
    ]) {
      const listed = await ChartMogul.Contact.all(config, filter);
      const ofThisCustomer = listed.entries.filter((contact: any) => contact.customer_uuid === customer.uuid);
      assert.deepEqual(
        ofThisCustomer.map((contact: any) => contact.uuid),
        [first.uuid, second.uuid],
        JSON.stringify(filter),
      );
    }
    assert.deepEqual(
      (await ChartMogul.Contact.all(config, { email: 'bob@example.com' })).entries.map((contact: any) => contact.uuid),
      [second.uuid],
    );
    const patched = await ChartMogul.Contact.modify(config, first.uuid, {
      title: 'CFO',
      custom: [
        { key: 'Twitter', value: '@anna' },
        { key: 'Undefined', value: 'x' },
      ],
    });
    assert.equal(patched.title, 'CFO');
    assert.deepEqual(patched.custom, { Facebook: 'anna.fb', Twitter: '@anna' });
    const deleted = await ChartMogul.Contact.destroy(config, second.uuid);
    assert.deepEqual(deleted, {});
    const gone = await failure(ChartMogul.Contact.retrieve(config, second.uuid));
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, {
      code: 404,
      message: `Contact "${second.uuid.slice(4)}" does not exist`,
      param: 'contact_uuid',
    });
  });

  test('contacts page past 200 with cursors', async () => {
    const customer = await newCustomer('contacts-many');
    for (let i = 0; i < 203; i++)
      await ChartMogul.Customer.createContact(config, customer.uuid, {
        data_source_uuid: ds,
        email: `c${i}@example.com`,
      });
    const first = await ChartMogul.Customer.contacts(config, customer.uuid, { per_page: 200 });
    assert.equal(first.entries.length, 200);
    assert.equal(first.has_more, true);
    const second = await ChartMogul.Contact.all(config, {
      customer_uuid: customer.uuid,
      per_page: 200,
      cursor: first.cursor,
    });
    assert.equal(second.entries.length, 3);
    assert.equal(second.has_more, false);
  });

  test('contact errors: missing parent, bad email, missing data source', async () => {
    const customer = await newCustomer('contacts-errors');
    const noParent = await failure(
      ChartMogul.Contact.create(config, {
        customer_uuid: 'cus_00000000-0000-4000-8000-000000000000',
        data_source_uuid: ds,
      }),
    );
    assert.equal(noParent.status, 404);
    assert.deepEqual(noParent.body, {
      code: 404,
      message: 'Customer "00000000-0000-4000-8000-000000000000" does not exist',
      param: 'customer_uuid',
    });
    const badEmail = await failure(
      ChartMogul.Customer.createContact(config, customer.uuid, { data_source_uuid: ds, email: 'bad' }),
    );
    assert.deepEqual(badEmail.body, {
      code: 422,
      message: 'The value provided does not appear to be a valid email address.',
      param: 'email',
    });
    const noSource = await failure(
      ChartMogul.Customer.createContact(config, customer.uuid, { email: 'a@example.com' }),
    );
    assert.equal(noSource.status, 422);
    assert.equal(noSource.body.param, 'data_source_uuid');
    const listOfMissing = await failure(
      ChartMogul.Customer.contacts(config, 'cus_00000000-0000-4000-8000-000000000000', {}),
    );
    assert.equal(listOfMissing.status, 404);
  });
});

describe('plans', () => {
  test('create, list by data source and external_id, retrieve, modify (202), delete', async () => {
    const created = await ChartMogul.Plan.create(config, {
      data_source_uuid: ds,
      external_id: 'node-plan',
      name: 'Silver',
      interval_count: 1,
      interval_unit: 'year',
    });
    assert.deepEqual(Object.keys(created).sort(), [
      'data_source_uuid',
      'external_id',
      'interval_count',
      'interval_unit',
      'name',
      'uuid',
    ]);
    assert.match(created.uuid, /^pl_[0-9a-f-]{36}$/);
    const listed = await ChartMogul.Plan.all(config, { data_source_uuid: ds, external_id: 'node-plan' });
    assert.deepEqual(
      listed.plans.map((plan: { uuid: string }) => plan.uuid),
      [created.uuid],
    );
    assert.equal(listed.has_more, false);
    const modified = await ChartMogul.Plan.modify(config, created.uuid, { interval_count: 2 });
    assert.deepEqual([modified.name, modified.interval_count, modified.interval_unit], ['Silver', 2, 'year']);
    assert.equal((await ChartMogul.Plan.retrieve(config, created.uuid)).interval_count, 2);
    await ChartMogul.Plan.destroy(config, created.uuid);
    assert.equal((await failure(ChartMogul.Plan.retrieve(config, created.uuid))).status, 404);
  });

  test('create errors: every missing or bad field at once (recorded 2016 words), a repeated external_id', async () => {
    const bad = await failure(ChartMogul.Plan.create(config, { interval_count: 'x', interval_unit: 'week' }));
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body, {
      errors: {
        name: 'A unique name is required for each plan.',
        interval_count: 'is not a number',
        interval_unit: "Only 'day', 'month' or 'year' are valid values for interval_unit.",
        data_source_uuid: 'A valid data source UUID is required for each plan.',
      },
    });
    const plan = {
      data_source_uuid: ds,
      external_id: 'node-plan-2',
      name: 'B',
      interval_count: 1,
      interval_unit: 'day',
    };
    await ChartMogul.Plan.create(config, plan);
    const again = await failure(ChartMogul.Plan.create(config, plan));
    assert.equal(again.status, 422);
    assert.deepEqual(Object.keys(again.body.errors), ['external_id']);
  });
});

describe('invoices and transactions', () => {
  test('import onto a customer, list by data source and external_id, retrieve, add a transaction, delete', async () => {
    const customer = await newCustomer('invoices-1');
    const plan = await ChartMogul.Plan.create(config, {
      data_source_uuid: ds,
      external_id: 'node-invoice-plan',
      name: 'Monthly',
      interval_count: 1,
      interval_unit: 'month',
    });
    const imported = await ChartMogul.Invoice.create(config, customer.uuid, {
      invoices: [
        {
          external_id: 'node-inv-1',
          date: '2026-01-01 12:00:00 UTC',
          currency: 'USD',
          line_items: [
            {
              type: 'subscription',
              plan_uuid: plan.uuid,
              subscription_external_id: 'node-sub',
              service_period_start: '2026-01-01',
              service_period_end: '2026-02-01',
              amount_in_cents: 2000,
            },
            { type: 'one_time', amount_in_cents: 300, description: 'Setup' },
          ],
        },
      ],
    });
    const [invoice] = imported.invoices;
    assert.match(invoice.uuid, /^inv_[0-9a-f-]{36}$/);
    assert.deepEqual(invoice.errors, {});
    assert.match(invoice.line_items[0].subscription_uuid, /^sub_/);
    assert.equal(invoice.line_items[1].plan_uuid, undefined, 'a one-time item has no plan');
    const listed = await ChartMogul.Invoice.all(config, { data_source_uuid: ds, external_id: 'node-inv-1' });
    assert.deepEqual(
      listed.invoices.map((found: { uuid: string; customer_uuid: string }) => [found.uuid, found.customer_uuid]),
      [[invoice.uuid, customer.uuid]],
    );
    const ofCustomer = await ChartMogul.Invoice.all(config, customer.uuid, {});
    assert.equal(ofCustomer.customer_uuid, customer.uuid);
    assert.equal((await ChartMogul.Invoice.retrieve(config, invoice.uuid)).external_id, 'node-inv-1');
    const payment = await ChartMogul.Transaction.create(config, invoice.uuid, {
      type: 'payment',
      date: '2026-01-02',
      result: 'successful',
      external_id: 'node-tr-1',
      amount_in_cents: 2300,
    });
    assert.match(payment.uuid, /^tr_/);
    // By data source and external id ChartMogul answers the one transaction (its "Retrieve a Transaction" page,
    // and the Python and Ruby clients), where the Node client's mock expects a list: the Node client hands on
    // whichever it gets.
    const byKey = await ChartMogul.Transaction.all(config, { data_source_uuid: ds, external_id: 'node-tr-1' });
    assert.equal(byKey.uuid, payment.uuid);
    const ofDataSource = await ChartMogul.Transaction.all(config, { data_source_uuid: ds });
    assert.deepEqual(
      ofDataSource.transactions.map((found: { uuid: string }) => found.uuid),
      [payment.uuid],
    );
    const subscriptions = await ChartMogul.Metrics.Customer.subscriptions(config, customer.uuid, {});
    assert.deepEqual(
      subscriptions.entries.map((found: Record<string, unknown>) => [
        found.external_id,
        found.plan,
        found.mrr,
        found.status,
        found['billing-cycle'],
      ]),
      [['node-sub', 'Monthly', 2000, 'active', 'month']],
      'the subscription line item made one subscription',
    );
    await ChartMogul.Invoice.destroy(config, invoice.uuid);
    assert.equal((await failure(ChartMogul.Invoice.retrieve(config, invoice.uuid))).status, 404);
  });

  test("subscription line items make the customer's subscriptions: both lists, paged", async () => {
    const customer = await newCustomer('subscriptions-1');
    const plan = await ChartMogul.Plan.create(config, {
      data_source_uuid: ds,
      external_id: 'node-annual-plan',
      name: 'Annual',
      interval_count: 1,
      interval_unit: 'year',
    });
    const item = (subscription: string, start: string, amount: number) => ({
      type: 'subscription',
      plan_uuid: plan.uuid,
      subscription_external_id: subscription,
      service_period_start: start,
      service_period_end: `${Number(start.slice(0, 4)) + 1}${start.slice(4)}`,
      amount_in_cents: amount,
    });
    const imported = await ChartMogul.Invoice.create(config, customer.uuid, {
      invoices: [
        {
          external_id: 'node-sub-inv-1',
          date: '2025-01-01',
          currency: 'EUR',
          line_items: [item('a', '2025-01-01', 12_000)],
        },
        {
          external_id: 'node-sub-inv-2',
          date: '2025-03-01',
          currency: 'EUR',
          line_items: [item('b', '2025-03-01', 2400)],
        },
        {
          external_id: 'node-sub-inv-3',
          date: '2026-01-01',
          currency: 'EUR',
          line_items: [item('a', '2026-01-01', 24_000)],
        },
      ],
    });
    const [first, , renewal] = imported.invoices;
    assert.equal(first.line_items[0].subscription_uuid, renewal.line_items[0].subscription_uuid, 'a renewal');
    const page1 = await ChartMogul.Metrics.Customer.subscriptions(config, customer.uuid, { per_page: 1 });
    assert.equal(page1.has_more, true);
    const page2 = await ChartMogul.Metrics.Customer.subscriptions(config, customer.uuid, {
      per_page: 1,
      cursor: page1.cursor,
    });
    assert.equal(page2.has_more, false);
    assert.deepEqual(
      [...page1.entries, ...page2.entries].map((found: Record<string, unknown>) => [
        found.external_id,
        found.mrr,
        found.currency,
        found['start-date'],
      ]),
      [
        ['a', 2000, 'EUR', '2025-01-01T00:00:00+00:00'],
        ['b', 200, 'EUR', '2025-03-01T00:00:00+00:00'],
      ],
      'one entry per subscription; MRR from the latest line item over its plan year',
    );
    const imports = await ChartMogul.Subscription.all(config, customer.uuid, {});
    assert.deepEqual(
      imports.subscriptions.map((found: Record<string, unknown>) => [found.external_id, found.uuid, found.plan_uuid]),
      [
        ['a', first.line_items[0].subscription_uuid, plan.uuid],
        ['b', imported.invoices[1].line_items[0].subscription_uuid, plan.uuid],
      ],
    );
    assert.equal((await failure(ChartMogul.Metrics.Customer.subscriptions(config, 'cus_nobody', {}))).status, 404);
  });

  test('an import with a repeated external id or a plan from nowhere is refused per invoice (422); nothing kept', async () => {
    const customer = await newCustomer('invoices-2');
    const invoice = (externalId: string, lineItem: Record<string, unknown>) => ({
      invoices: [{ external_id: externalId, date: '2026-01-01', currency: 'USD', line_items: [lineItem] }],
    });
    await ChartMogul.Invoice.create(
      config,
      customer.uuid,
      invoice('node-inv-2', { type: 'one_time', amount_in_cents: 1 }),
    );
    const repeated = await failure(
      ChartMogul.Invoice.create(config, customer.uuid, invoice('node-inv-2', { type: 'one_time', amount_in_cents: 1 })),
    );
    assert.equal(repeated.status, 422);
    assert.deepEqual(repeated.body.invoices[0].errors, {
      external_id: 'The external ID for this invoice already exists in our system.',
    });
    const noPlan = await failure(
      ChartMogul.Invoice.create(
        config,
        customer.uuid,
        invoice('node-inv-3', {
          type: 'subscription',
          plan_uuid: 'pl_00000000-0000-4000-8000-000000000000',
          subscription_external_id: 's',
          service_period_start: '2026-01-01',
          service_period_end: '2026-02-01',
          amount_in_cents: 1,
        }),
      ),
    );
    assert.equal(noPlan.status, 422);
    assert.ok('line_items.plan_uuid' in noPlan.body.invoices[0].errors);
    const listed = await ChartMogul.Invoice.all(config, { data_source_uuid: ds, external_id: 'node-inv-3' });
    assert.deepEqual(listed.invoices, [], 'a refused import is hidden from default reads');
    const kept = await ChartMogul.Invoice.all(config, {
      data_source_uuid: ds,
      external_id: 'node-inv-3',
      validation_type: 'all',
    });
    assert.deepEqual(
      kept.invoices.map((found: { errors: Record<string, string> }) => Object.keys(found.errors)),
      [['line_items.plan_uuid']],
      'kept as invalid, with its errors (2026)',
    );
  });

  test('2026: line items added, changed and deleted in place, a transaction changed and deleted, an invoice voided', async () => {
    const customer = await newCustomer('invoices-2026');
    const imported = await ChartMogul.Invoice.create(config, customer.uuid, {
      invoices: [
        {
          external_id: 'node-inv-2026',
          date: '2026-01-01',
          currency: 'USD',
          line_items: [{ type: 'one_time', external_id: 'node-li-1', amount_in_cents: 1000 }],
          transactions: [
            {
              type: 'payment',
              external_id: 'node-tr-2026',
              date: '2026-01-02',
              result: 'successful',
              amount_in_cents: 1000,
            },
          ],
        },
      ],
    });
    const [invoice] = imported.invoices;
    const added = await ChartMogul.LineItem.create(config, invoice.uuid, {
      type: 'one_time',
      external_id: 'node-li-2',
      amount_in_cents: 500,
    });
    assert.match(added.uuid, /^li_/);
    const changed = await ChartMogul.LineItem.modify(config, invoice.line_items[0].uuid, { amount_in_cents: 1200 });
    assert.deepEqual([changed.uuid, changed.amount_in_cents], [invoice.line_items[0].uuid, 1200]);
    await ChartMogul.LineItem.destroy(config, added.uuid);
    const repeated = await failure(
      ChartMogul.LineItem.create(config, invoice.uuid, {
        type: 'one_time',
        external_id: 'node-li-1',
        amount_in_cents: 1,
      }),
    );
    assert.equal(repeated.status, 422);
    const payment = invoice.transactions[0];
    const paid = await ChartMogul.Transaction.modify(config, payment.uuid, { amount_in_cents: 1200 });
    assert.deepEqual([paid.uuid, paid.amount_in_cents], [payment.uuid, 1200]);
    await ChartMogul.Invoice.updateStatus(config, ds, 'node-inv-2026', { status: 'voided' });
    const held = await ChartMogul.Invoice.retrieve(config, invoice.uuid);
    assert.deepEqual(
      [
        held.status,
        held.line_items.map((item: { amount_in_cents: number }) => item.amount_in_cents),
        held.transactions[0].amount_in_cents,
      ],
      ['voided', [1200], 1200],
    );
    await ChartMogul.Transaction.destroy(config, payment.uuid);
    assert.deepEqual((await ChartMogul.Invoice.retrieve(config, invoice.uuid)).transactions, []);
  });
});

describe('2026: tags, contacts by external id, subscription events', () => {
  test("tags are added and removed idempotently, each answer the customer's whole set", async () => {
    const customer = await newCustomer('node-tags');
    const added = await ChartMogul.Tag.create(config, customer.uuid, { tags: ['vip', 'beta'] });
    assert.deepEqual([...added.tags].sort(), ['beta', 'vip']);
    const again = await ChartMogul.Tag.create(config, customer.uuid, { tags: ['vip'] });
    assert.deepEqual([...again.tags].sort(), ['beta', 'vip'], 'adding a tag twice adds it once');
    const removed = await ChartMogul.Tag.destroy(config, customer.uuid, { tags: ['beta'] });
    assert.deepEqual(removed.tags, ['vip']);
    assert.deepEqual((await ChartMogul.Customer.retrieve(config, customer.uuid)).attributes.tags, ['vip']);
  });

  test("a contact's external id is its own in the data source: a repeat is refused", async () => {
    const customer = await newCustomer('node-contact-key');
    await ChartMogul.Customer.createContact(config, customer.uuid, { data_source_uuid: ds, external_id: 'node-con-1' });
    const repeated = await failure(
      ChartMogul.Customer.createContact(config, customer.uuid, { data_source_uuid: ds, external_id: 'node-con-1' }),
    );
    assert.equal(repeated.status, 422);
  });

  test('subscription events: create, list by data source and external id, update by external id, delete', async () => {
    await newCustomer('node-events');
    const event = {
      data_source_uuid: ds,
      customer_external_id: 'node-events',
      external_id: 'node-ev-1',
      event_type: 'subscription_start_scheduled',
      event_date: '2026-11-01',
      effective_date: '2027-01-01',
      subscription_external_id: 'node-sub-1',
      plan_external_id: 'node-plan',
      currency: 'USD',
      amount_in_cents: 1000,
      quantity: 1,
    };
    const created = await ChartMogul.SubscriptionEvent.create(config, event);
    assert.equal(typeof created.id, 'number');
    assert.equal(created.effective_date, '2027-01-01T00:00:00Z');
    const listed = await ChartMogul.SubscriptionEvent.all(config, { data_source_uuid: ds, external_id: 'node-ev-1' });
    assert.deepEqual(
      listed.subscription_events.map((entry: { id: number }) => entry.id),
      [created.id],
    );
    const updated = await ChartMogul.SubscriptionEvent.updateWithParams(config, {
      data_source_uuid: ds,
      external_id: 'node-ev-1',
      amount_in_cents: 2000,
    });
    assert.deepEqual([updated.id, updated.amount_in_cents], [created.id, 2000]);
    const priced = await failure(
      ChartMogul.SubscriptionEvent.create(config, { ...event, external_id: 'node-ev-2', amount_in_cents: undefined }),
    );
    assert.equal(priced.status, 422, 'a scheduled start needs its amount');
    await ChartMogul.SubscriptionEvent.deleteWithParams(config, { id: created.id });
    const after = await ChartMogul.SubscriptionEvent.all(config, { data_source_uuid: ds, external_id: 'node-ev-1' });
    assert.deepEqual(after.subscription_events, []);
  });
});

describe('2026: bulk import', () => {
  test('JsonImport.create answers the import queued; JsonImport.retrieve tracks it by its external id and its id', async () => {
    const created = await ChartMogul.JsonImport.create(config, ds, {
      external_id: 'node-bulk-1',
      customers: [{ external_id: 'node-bulk-c1', name: 'Bulk One' }],
      plans: [{ external_id: 'node-bulk-plan', name: 'Monthly', interval_count: 1, interval_unit: 'month' }],
    });
    assert.deepEqual([created.status, created.external_id], ['queued', 'node-bulk-1']);
    for (const name of ['node-bulk-1', created.id]) {
      const tracked = await ChartMogul.JsonImport.retrieve(config, ds, name);
      assert.equal(tracked.status, 'completed');
      assert.deepEqual(tracked.status_details['node-bulk-c1'], {
        status: 'imported',
        customers: { status: 'imported' },
      });
    }
  });
});
