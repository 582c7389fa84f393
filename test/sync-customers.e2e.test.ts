// Customers end to end on a real Temporal server and the emulator: insert, update, upsert, bad rows.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { api, listAll, runSync, useSyncHarness, writeCsv, writesIn, totals } from './helpers/sync';

const harness = useSyncHarness();

const MAPPING = [
  { from: 'id', to: 'external_id' },
  { from: 'name', to: 'name' },
  { from: 'email', to: 'email' },
  { from: 'country', to: 'country' },
  { from: 'state', to: 'state' },
  { from: 'signup', to: 'lead_created_at' },
  { from: 'seats', to: 'seats', type: 'Integer' },
  { from: 'plan', to: 'plan' },
  { from: 'vip', to: 'vip' },
];

function spec(name: string, mode: string, path: string) {
  return {
    name,
    object: 'customers',
    mode,
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path },
    mapping: MAPPING,
    options: { pageSize: 4 },
  };
}

test('upsert: good rows land with their fields and typed attributes; bad rows are rejected with reasons', async () => {
  const path = writeCsv(
    'upsert.csv',
    ['id', 'name', 'email', 'country', 'state', 'signup', 'seats', 'plan', 'vip'],
    [
      ['007', 'Ada  Lovelace', 'ada@example.com', 'us', 'ca', '2024-01-31', 12, 'pro', 'true'],
      ['002', 'Bob', 'bob@example.com', 'DE', null, '2023-05-01T10:00:00+02:00', 3, 'basic', 'false'],
      ['003', 'Bad Email', 'not-an-email', 'FR', null, null, 1, 'pro', 'true'],
      ['004', 'Bad Seats', 'c@example.com', 'GB', null, null, 'twelve', 'pro', 'false'],
      ['002', 'Bob Twice', 'bob2@example.com', 'DE', null, null, 4, 'basic', 'true'],
      ['005', 'Eve', null, null, null, null, 5, null, null],
      ['006', 'Ünïcode 名前', 'u@example.com', 'JP', null, null, 6, 'pro', 'true'],
    ],
  );
  const result = await runSync(harness.temporal.client, spec('customers-upsert', 'upsert', path));
  assert.equal(result.status, 'completed');
  assert.deepEqual(result.totals, totals({ read: 7, created: 4, rejected: 3 }));
  assert.deepEqual(
    result.issues.map((issue) => [issue.key, issue.rowNumber, issue.status]),
    [
      ['003', 3, 'rejected'],
      ['004', 4, 'rejected'],
      ['002', 5, 'rejected'],
    ],
    'in file order',
  );
  assert.match(
    result.issues.find((issue) => issue.key === '003')?.reason ?? '',
    /field "email" value "not-an-email": expected an email address/,
  );
  assert.match(
    result.issues.find((issue) => issue.key === '004')?.reason ?? '',
    /field "seats" value "twelve": expected an Integer/,
  );
  assert.match(result.issues.find((issue) => issue.key === '002')?.reason ?? '', /already seen in this run/);
  const report = readFileSync(result.reportPath, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.deepEqual(
    report.map((entry) => entry.key),
    ['003', '004', '002'],
  );

  const customers = await listAll(harness.emulator, '/v1/customers');
  const byId = new Map(customers.map((customer) => [customer.external_id, customer]));
  const fileKeys = ['002', '003', '004', '005', '006', '007'];
  assert.deepEqual([...byId.keys()].filter((key) => fileKeys.includes(key)).sort(), ['002', '005', '006', '007']);
  const ada = byId.get('007');
  assert.equal(ada.name, 'Ada  Lovelace');
  assert.equal(ada.country, 'US');
  assert.equal(ada.state, 'CA');
  assert.equal(ada.lead_created_at, '2024-01-31T00:00:00.000Z');
  assert.deepEqual(ada.attributes.custom, { seats: 12, plan: 'pro', vip: true });
  assert.equal(byId.get('002').name, 'Bob', 'the first row of a duplicated key wins');
  assert.equal(byId.get('002').lead_created_at, '2023-05-01T08:00:00.000Z');
  assert.equal(byId.get('006').name, 'Ünïcode 名前');
  assert.deepEqual(byId.get('005').attributes.custom, { seats: 5 }, 'nulls are skipped');

  const again = await runSync(harness.temporal.client, spec('customers-upsert', 'upsert', path));
  assert.deepEqual(
    again.totals,
    totals({ read: 7, unchanged: 4, rejected: 3 }),
    're-running an upsert creates nothing and sends nothing',
  );
  const ours = (await listAll(harness.emulator, '/v1/customers')).filter((customer) =>
    ['007', '002', '005', '006'].includes(customer.external_id),
  );
  assert.equal(ours.length, 4);
});

/** A customer that is already in ChartMogul before a test's sync. */
function existingCustomer(externalId: string, fields: Record<string, unknown> = {}): Promise<any> {
  return api(harness.emulator, 'POST', '/v1/customers', {
    data_source_uuid: harness.emulator.dataSourceUuid,
    external_id: externalId,
    ...fields,
  });
}

test("insert creates; a key that already exists fails with ChartMogul's message", async () => {
  await existingCustomer('017', { name: 'Made elsewhere' });
  const path = writeCsv(
    'insert.csv',
    ['id', 'name', 'email', 'country', 'state', 'signup', 'seats', 'plan', 'vip'],
    [
      ['101', 'New One', null, null, null, null, 1, null, null],
      ['017', 'Already There', null, null, null, null, 1, null, null],
    ],
  );
  const result = await runSync(harness.temporal.client, spec('customers-insert', 'insert', path));
  assert.deepEqual(result.totals, totals({ read: 2, created: 1, failed: 1 }));
  const failed = result.issues[0];
  assert.equal(failed?.key, '017');
  assert.equal(failed?.chartMogulStatus, 422);
  assert.match(failed?.chartMogulMessage ?? '', /external ID for this customer already exists/);
});

test('update changes known customers and rejects unknown ones', async () => {
  await existingCustomer('027', {
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    attributes: {
      custom: [
        { type: 'Integer', key: 'seats', value: 12 },
        { type: 'String', key: 'plan', value: 'pro' },
        { type: 'Boolean', key: 'vip', value: true },
      ],
    },
  });
  const path = writeCsv(
    'update.csv',
    ['id', 'name', 'email', 'country', 'state', 'signup', 'seats', 'plan', 'vip'],
    [
      ['027', 'Ada King', null, null, null, null, 40, 'enterprise', null],
      ['999', 'Nobody', null, null, null, null, 1, null, null],
    ],
  );
  const result = await runSync(harness.temporal.client, spec('customers-update', 'update', path));
  assert.deepEqual(result.totals, totals({ read: 2, updated: 1, rejected: 1 }));
  assert.match(result.issues[0]?.reason ?? '', /customer not found for update/);
  const ada = (await listAll(harness.emulator, '/v1/customers')).find((customer) => customer.external_id === '027');
  assert.equal(ada.name, 'Ada King');
  assert.equal(ada.email, 'ada@example.com', 'a null leaves the field as it is');
  assert.deepEqual(ada.attributes.custom, { seats: 40, plan: 'enterprise', vip: true });
});

test("tags and lead status: ChartMogul holds exactly the row's set, changed sets only are sent, and tags added behind the sync are taken away", async () => {
  const { temporal, emulator } = harness;
  const tagged = (rows: (string | null)[][]) => writeCsv('tagged.csv', ['id', 'name', 'tags', 'status'], rows);
  const path = tagged([
    ['T-1', 'Tagged one', 'vip, beta', 'Working Lead'],
    ['T-2', 'Tagged two', '["enterprise","eu"]', 'Qualified Lead'],
    ['T-3', 'Tagged three', '', 'New Lead'],
  ]);
  const tagSpec = {
    name: 'tags',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: emulator.dataSourceUuid,
    source: { type: 'file', path },
    options: { fullRefresh: true },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'tags', to: 'tags' },
      { from: 'status', to: 'status' },
    ],
  };
  assert.deepEqual((await runSync(temporal.client, tagSpec)).totals, totals({ read: 3, created: 3 }));
  const held = async () => new Map((await listAll(emulator, '/v1/customers')).map((c) => [c.external_id, c]));
  let customers = await held();
  assert.deepEqual([...customers.get('T-1').attributes.tags].sort(), ['beta', 'vip']);
  assert.deepEqual([...customers.get('T-2').attributes.tags].sort(), ['enterprise', 'eu']);
  assert.deepEqual(customers.get('T-3').attributes.tags, []);
  assert.equal(customers.get('T-2').status, 'Qualified Lead');

  // Unchanged, even compared with ChartMogul (a full refresh): nothing is written.
  emulator.reset();
  assert.deepEqual((await runSync(temporal.client, tagSpec)).totals, totals({ read: 3, unchanged: 3 }));
  assert.equal(
    Object.keys(emulator.stats().byRoute).filter((route) => !route.startsWith('GET ')).length,
    0,
    JSON.stringify(emulator.stats().byRoute),
  );

  // A tag added in ChartMogul by hand, another removed from the row, a status changed: one PATCH each, and
  // the tag endpoints only for the sets that differ.
  await api(emulator, 'POST', `/v1/customers/${customers.get('T-2').uuid}/attributes/tags`, { tags: ['by-hand'] });
  tagged([
    ['T-1', 'Tagged one', 'vip', 'Working Lead'],
    ['T-2', 'Tagged two', '["enterprise","eu"]', 'Qualified Lead'],
    ['T-3', 'Tagged three', '', 'Unqualified Lead'],
  ]);
  emulator.reset();
  assert.deepEqual((await runSync(temporal.client, tagSpec)).totals, totals({ read: 3, updated: 3 }));
  customers = await held();
  assert.deepEqual(customers.get('T-1').attributes.tags, ['vip']);
  assert.deepEqual([...customers.get('T-2').attributes.tags].sort(), ['enterprise', 'eu']);
  assert.equal(customers.get('T-3').status, 'Unqualified Lead');
  const writes = Object.entries(emulator.stats().byRoute).filter(([route]) => !route.startsWith('GET '));
  assert.deepEqual(
    writes.map(([route]) => route.replace(/cus_[0-9a-f-]+/, ':uuid')).sort(),
    ['DELETE /v1/customers/:uuid/attributes/tags', 'PATCH /v1/customers/:uuid'],
    JSON.stringify(writes),
  );
});

test(
  'a first load of 200 customers sends those with standard fields only in one bulk import, the others one by one; a customer it created is changed later, found by its external id',
  { timeout: 300_000 },
  async () => {
    const { temporal, emulator } = harness;
    // 180 with standard fields only; 10 with a tag and 10 with a custom attribute, which an import cannot carry.
    const rows = Array.from({ length: 200 }, (_, index) => [
      `BULK-${String(index).padStart(3, '0')}`,
      `Bulk customer ${index}`,
      `bulk${index}@example.com`,
      ['US', 'DE', 'FR'][index % 3] ?? 'US',
      index >= 180 && index < 190 ? 'vip' : null,
      index >= 190 ? index : null,
    ]);
    const columns = ['id', 'name', 'email', 'country', 'tags', 'seats'];
    const path = writeCsv('customers-bulk.csv', columns, rows);
    const bulkSpec = {
      name: 'customers-bulk',
      object: 'customers',
      mode: 'upsert',
      dataSourceUuid: emulator.dataSourceUuid,
      source: { type: 'file', path },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'name', to: 'name' },
        { from: 'email', to: 'email' },
        { from: 'country', to: 'country' },
        { from: 'tags', to: 'tags' },
        { from: 'seats', to: 'seats', type: 'Integer' },
      ],
      options: { pageSize: 200 },
    };
    emulator.reset();
    const first = await runSync(temporal.client, bulkSpec);
    assert.deepEqual(first.totals, totals({ read: 200, created: 200 }), JSON.stringify(first.issues));
    const imports = emulator.bulkImports().filter((run) => run.externalId?.includes(':customers-bulk:'));
    assert.equal(imports.length, 1);
    assert.equal(imports[0]?.customers.length, 180, 'the customers with standard fields only');
    assert.equal(emulator.stats().byRoute['POST /v1/customers']?.['201'], 20, 'the tagged and the attributed alone');
    const byKey = new Map(
      (await listAll(emulator, '/v1/customers'))
        .filter((customer) => String(customer.external_id).startsWith('BULK-'))
        .map((customer) => [customer.external_id as string, customer]),
    );
    assert.equal(byKey.size, 200, 'each customer once');
    for (const [id, name, email, country, tag, seats] of rows) {
      const customer = byKey.get(String(id));
      const attributes = customer?.attributes as { tags: string[]; custom: Record<string, unknown> };
      assert.deepEqual(
        [customer?.name, customer?.email, customer?.country, attributes.tags, attributes.custom.seats],
        [name, email, country, tag ? [tag] : [], seats ?? undefined],
        String(id),
      );
    }

    // A re-run sends nothing; a changed customer the import created is looked up, then changed in place.
    emulator.reset();
    const again = await runSync(temporal.client, bulkSpec);
    assert.deepEqual(again.totals, totals({ read: 200, unchanged: 200 }));
    assert.equal(writesIn(emulator.stats()), 0);
    writeCsv(
      'customers-bulk.csv',
      columns,
      rows.map((row, index) => (index === 7 ? [row[0] ?? '', 'Renamed', ...row.slice(2)] : row)),
    );
    emulator.reset();
    const changed = await runSync(temporal.client, bulkSpec);
    assert.deepEqual(changed.totals, totals({ read: 200, updated: 1, unchanged: 199 }));
    assert.equal(writesIn(emulator.stats()), 1);
    const renamed = (await listAll(emulator, '/v1/customers')).filter((customer) =>
      String(customer.external_id).startsWith('BULK-'),
    );
    assert.equal(renamed.length, 200);
    assert.equal(renamed.find((customer) => customer.external_id === 'BULK-007')?.name, 'Renamed');
  },
);
