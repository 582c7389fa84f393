// Integrity of recurring syncs: the state store is scoped to its target (account, data source, object),
// records deleted behind the sync's back heal, insert mode recognises its own earlier writes, and a sync
// runs only under its spec's workflow id.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { WorkflowFailedError } from '@temporalio/client';

import { resolveAccount } from '../src/chartmogul/accounts';
import { StateStore } from '../src/state/store';
import { accountIdentity, recordsNamespace } from '../src/state/target';
import { syncWorkflow } from '../workflows/sync';
import { TASK_QUEUES } from '../src/contracts/names';
import { api, listAll, runSync, useSyncHarness, writeCsv, writesIn, totals } from './helpers/sync';
import { TEST_DATA_SOURCE } from './helpers/temporal';

const OTHER_DATA_SOURCE = 'ds_99999999-2222-4333-8444-555555555555';
const harness = useSyncHarness({ dataSources: [TEST_DATA_SOURCE, OTHER_DATA_SOURCE] });

const customerMapping = [
  { from: 'id', to: 'external_id' },
  { from: 'name', to: 'name' },
  { from: 'seats', to: 'seats', type: 'Integer' },
];

function customersSpec(name: string, path: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: TEST_DATA_SOURCE,
    source: { type: 'file', path },
    mapping: customerMapping,
    ...extra,
  };
}

function writes(): number {
  return writesIn(harness.emulator.stats());
}

test(
  "a sync re-pointed at another data source creates every row there and touches none of the old one's records",
  { timeout: 120_000 },
  async () => {
    const { temporal, emulator } = harness;
    const rows = Array.from({ length: 5 }, (_, index) => [`SC-${index}`, `Scope ${index}`, index]);
    const path = writeCsv('scope.csv', ['id', 'name', 'seats'], rows);
    const first = await runSync(temporal.client, customersSpec('scope-check', path));
    assert.equal(first.totals.created, 5);
    const before = await listAll(emulator, '/v1/customers');

    emulator.reset();
    const second = await runSync(
      temporal.client,
      customersSpec('scope-check', path, { dataSourceUuid: OTHER_DATA_SOURCE }),
    );
    assert.deepEqual(second.totals, totals({ read: 5, created: 5 }));
    assert.equal(emulator.stats().byRoute['PATCH /v1/customers/:uuid'], undefined, 'no record was updated');
    assert.deepEqual(
      (await listAll(emulator, '/v1/customers', OTHER_DATA_SOURCE)).map((customer) => customer.external_id).sort(),
      rows.map(([id]) => id),
    );
    assert.deepEqual(
      await listAll(emulator, '/v1/customers'),
      before,
      "the old data source's records are as they were",
    );
  },
);

test(
  "a customer deleted behind the sync's back: re-created by upsert when its row changes; rejected with the reason in update mode; no failure after",
  { timeout: 180_000 },
  async () => {
    const { temporal, emulator } = harness;
    const rows = (suffix: string) => [
      ['VC-1', 'Stays', 1],
      ['VC-2', `Vanishes${suffix}`, 2],
      ['VC-3', `Vanishes too${suffix}`, 3],
    ];
    const path = writeCsv('vanish.csv', ['id', 'name', 'seats'], rows(''));
    assert.equal((await runSync(temporal.client, customersSpec('vanish', path))).totals.created, 3);
    const byKey = new Map(
      (await listAll(emulator, '/v1/customers')).map((customer) => [customer.external_id, customer.uuid]),
    );
    await api(emulator, 'DELETE', `/v1/customers/${byKey.get('VC-2')}`);
    await api(emulator, 'DELETE', `/v1/customers/${byKey.get('VC-3')}`);

    writeCsv('vanish.csv', ['id', 'name', 'seats'], rows(' (changed)'));
    const healed = await runSync(
      temporal.client,
      customersSpec('vanish', path, { mapping: customerMapping.filter((entry) => entry.to !== 'seats') }),
    );
    assert.equal(healed.totals.failed, 0, JSON.stringify(healed.issues));
    assert.equal(healed.totals.created, 2);
    const after = await listAll(emulator, '/v1/customers');
    assert.equal(after.filter((customer) => customer.external_id === 'VC-2').length, 1, 'exactly once');
    assert.equal(after.find((customer) => customer.external_id === 'VC-2')?.name, 'Vanishes (changed)');

    // Update mode, same sync: the store knows VC-3's new record; delete it too, then change the row again.
    await api(emulator, 'DELETE', `/v1/customers/${after.find((customer) => customer.external_id === 'VC-3')?.uuid}`);
    writeCsv('vanish.csv', ['id', 'name', 'seats'], rows(' (again)'));
    const update = customersSpec('vanish', path, {
      mode: 'update',
      mapping: customerMapping.filter((entry) => entry.to !== 'seats'),
    });
    const rejected = await runSync(temporal.client, update);
    assert.equal(rejected.totals.failed, 0);
    assert.deepEqual(
      rejected.issues.map((issue) => [issue.key, issue.status]),
      [['VC-3', 'rejected']],
    );
    assert.match(rejected.issues[0]?.reason ?? '', /customer not found for update/);
    const again = await runSync(temporal.client, update);
    assert.equal(again.totals.failed, 0, 'the run after that has no failure');
    assert.deepEqual(
      again.issues.map((issue) => [issue.key, issue.status]),
      [['VC-3', 'rejected']],
    );
  },
);

test(
  "a contact deleted behind the sync's back: re-created by upsert; rejected with the reason in update mode",
  { timeout: 180_000 },
  async () => {
    const { temporal, emulator } = harness;
    await api(emulator, 'POST', '/v1/customers', {
      data_source_uuid: TEST_DATA_SOURCE,
      external_id: 'PARENT-1',
      name: 'Parent',
    });
    const contactsSpec = (path: string, extra: Record<string, unknown> = {}) => ({
      name: 'vanish-contacts',
      object: 'contacts',
      mode: 'upsert',
      dataSourceUuid: TEST_DATA_SOURCE,
      source: { type: 'file', path },
      mapping: [
        { from: 'customer', to: 'customer_external_id' },
        { from: 'email', to: 'email' },
        { from: 'title', to: 'title' },
      ],
      ...extra,
    });
    const path = writeCsv(
      'vanish-contacts.csv',
      ['customer', 'email', 'title'],
      [
        ['PARENT-1', 'a@example.com', 'CEO'],
        ['PARENT-1', 'b@example.com', 'CTO'],
      ],
    );
    assert.equal((await runSync(temporal.client, contactsSpec(path))).totals.created, 2);
    const contact = (await listAll(emulator, '/v1/contacts')).find((entry) => entry.email === 'b@example.com');
    await api(emulator, 'DELETE', `/v1/contacts/${contact.uuid}`);

    writeCsv(
      'vanish-contacts.csv',
      ['customer', 'email', 'title'],
      [
        ['PARENT-1', 'a@example.com', 'CEO'],
        ['PARENT-1', 'b@example.com', 'CFO'],
      ],
    );
    const healed = await runSync(temporal.client, contactsSpec(path));
    assert.deepEqual(healed.totals, totals({ read: 2, created: 1, unchanged: 1 }));
    const contacts = (await listAll(emulator, '/v1/contacts')).filter((entry) => entry.email === 'b@example.com');
    assert.equal(contacts.length, 1);
    assert.equal(contacts[0].title, 'CFO');

    // Update mode keys contacts by their ChartMogul uuid.
    await api(emulator, 'DELETE', `/v1/contacts/${contacts[0].uuid}`);
    const updatePath = writeCsv(
      'vanish-contacts-update.csv',
      ['uuid', 'customer', 'title'],
      [[contacts[0].uuid, 'PARENT-1', 'COO']],
    );
    const update = {
      name: 'vanish-contacts-update',
      object: 'contacts',
      mode: 'update',
      dataSourceUuid: TEST_DATA_SOURCE,
      source: { type: 'file', path: updatePath },
      mapping: [
        { from: 'uuid', to: 'uuid' },
        { from: 'customer', to: 'customer_external_id' },
        { from: 'title', to: 'title' },
      ],
    };
    for (let run = 0; run < 2; run++) {
      const result = await runSync(temporal.client, update);
      assert.deepEqual(result.totals, totals({ read: 1, rejected: 1 }));
      assert.match(result.issues[0]?.reason ?? '', /contact not found for update/);
    }
  },
);

test(
  'a store entry that points at a customer of another data source heals: the row is created in its own data source',
  { timeout: 120_000 },
  async () => {
    const { temporal, emulator } = harness;
    const stranger = await api(emulator, 'POST', '/v1/customers', {
      data_source_uuid: OTHER_DATA_SOURCE,
      external_id: 'XD-1',
      name: 'Elsewhere',
    });
    const store = StateStore.open({ sqlitePath: emulator.env.STATE_SQLITE_PATH });
    const account = accountIdentity(resolveAccount('default', emulator.env));
    await store.recordSent(recordsNamespace(account, TEST_DATA_SOURCE, 'customers', 'cross'), [
      { key: 'XD-1', uuid: stranger.uuid, hash: 'stale', status: 'created', attributeKeys: [] },
    ]);
    await store.close();
    const path = writeCsv('cross.csv', ['id', 'name', 'seats'], [['XD-1', 'Mine', 1]]);
    const result = await runSync(
      temporal.client,
      customersSpec('cross', path, { mapping: customerMapping.slice(0, 2) }),
    );
    assert.equal(result.totals.failed, 0, JSON.stringify(result.issues));
    assert.equal(result.totals.created, 1);
    assert.equal(
      (await listAll(emulator, '/v1/customers')).filter((customer) => customer.external_id === 'XD-1').length,
      1,
    );
    const again = await runSync(
      temporal.client,
      customersSpec('cross', path, { mapping: customerMapping.slice(0, 2) }),
    );
    assert.equal(again.totals.unchanged, 1, 'the store now holds the record of its own data source');
  },
);

test(
  "insert mode: a record that already holds the row's values counts as unchanged; one that differs fails with ChartMogul's message",
  { timeout: 120_000 },
  async () => {
    const { temporal, emulator } = harness;
    await api(emulator, 'POST', '/v1/customers', {
      data_source_uuid: TEST_DATA_SOURCE,
      external_id: 'IN-1',
      name: 'Same',
      attributes: { custom: [{ type: 'Integer', key: 'seats', value: 1 }] },
    });
    await api(emulator, 'POST', '/v1/customers', {
      data_source_uuid: TEST_DATA_SOURCE,
      external_id: 'IN-2',
      name: 'Different',
    });
    const path = writeCsv(
      'insert-own.csv',
      ['id', 'name', 'seats'],
      [
        ['IN-1', 'Same', 1],
        ['IN-2', 'Changed', 2],
        ['IN-3', 'New', 3],
      ],
    );
    const result = await runSync(temporal.client, customersSpec('insert-own', path, { mode: 'insert' }));
    assert.deepEqual(result.totals, totals({ read: 3, created: 1, unchanged: 1, failed: 1 }));
    assert.deepEqual(
      result.issues.map((issue) => [issue.key, issue.status, issue.chartMogulStatus]),
      [['IN-2', 'failed', 422]],
    );
    assert.match(result.issues[0]?.chartMogulMessage ?? '', /external.?id/i);
    const writesBefore = writes();
    const again = await runSync(temporal.client, customersSpec('insert-own', path, { mode: 'insert' }));
    assert.equal(again.totals.unchanged, 2, 'the recognised and the created record are in the store now');
    assert.equal(writes() - writesBefore, 1, 'only the differing row is tried again');
  },
);

test("syncWorkflow refuses to run under any workflow id but its spec's", { timeout: 60_000 }, async () => {
  const { temporal } = harness;
  const path = writeCsv('wrong-id.csv', ['id', 'name', 'seats'], [['W-1', 'W', 1]]);
  await assert.rejects(
    temporal.client.workflow.execute(syncWorkflow, {
      taskQueue: TASK_QUEUES.io,
      workflowId: 'other-id',
      args: [customersSpec('wrong-id', path)],
    }),
    (error: unknown) => {
      assert.ok(error instanceof WorkflowFailedError);
      assert.match(String(error.cause?.message), /must run as workflow id "chartmogul-sync:wrong-id"/);
      return true;
    },
  );
});
