// An invoice changed in place where ChartMogul allows it (issue 28): its collection method by PATCH, its status
// (voided, written off) by its own endpoint; the same UUID, one invoice, and a re-run that sends nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, listAll, runSync, useSyncHarness, writeCsv, writesIn, totals } from './helpers/sync';

const harness = useSyncHarness({ seed: 29 }, async ({ emulator }) => {
  await api(emulator, 'POST', '/v1/customers', { data_source_uuid: emulator.dataSourceUuid, external_id: 'CH-1' });
});

const COLUMNS = [
  'external_id',
  'customer_external_id',
  'date',
  'currency',
  'collection_method',
  'status',
  'line_items',
];
const ONE_TIME = JSON.stringify([{ type: 'one_time', external_id: 'LI-CH-1', amount_in_cents: 5000 }]);

function spec(name: string, rows: (string | null)[][]) {
  return {
    name,
    object: 'invoices',
    mode: 'upsert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path: writeCsv(`${name}.csv`, COLUMNS, rows) },
    mapping: COLUMNS.map((column) => ({ from: column, to: column })),
  };
}

async function invoicesNamed(externalId: string): Promise<Record<string, any>[]> {
  return (await listAll(harness.emulator, '/v1/invoices')).filter((invoice) => invoice.external_id === externalId);
}

test('a changed collection method and a status are changed in place: the same invoice, and a re-run sends nothing', async () => {
  const { emulator } = harness;
  const first = await runSync(
    harness.temporal.client,
    spec('changes-1', [['INV-CH', 'CH-1', '2026-01-01', 'USD', 'automatic', null, ONE_TIME]]),
  );
  assert.deepEqual(first.totals, totals({ read: 1, created: 1 }), JSON.stringify(first.issues));
  const [created] = await invoicesNamed('INV-CH');
  assert.equal(created?.collection_method, 'automatic');

  const changed = spec('changes-2', [['INV-CH', 'CH-1', '2026-01-01', 'USD', 'manual', 'voided', ONE_TIME]]);
  const second = await runSync(harness.temporal.client, changed);
  assert.deepEqual(second.totals, totals({ read: 1, updated: 1 }), JSON.stringify(second.issues));
  const held = await invoicesNamed('INV-CH');
  assert.deepEqual(
    held.map((invoice) => [invoice.uuid, invoice.collection_method, invoice.status]),
    [[created?.uuid, 'manual', 'voided']],
    'one invoice, its UUID kept, changed in place',
  );

  emulator.reset();
  const third = await runSync(harness.temporal.client, { ...changed, options: { incremental: false } });
  assert.deepEqual(third.totals, totals({ read: 1, unchanged: 1 }), JSON.stringify(third.issues));
  assert.equal(writesIn(emulator.stats()), 0, 'nothing sent when ChartMogul holds the row');
});

const item = (externalId: string, amount: number) => ({
  type: 'one_time',
  external_id: externalId,
  amount_in_cents: amount,
});
const payment = (externalId: string, amount: number) => ({
  type: 'payment',
  external_id: externalId,
  date: '2026-01-05',
  result: 'successful',
  amount_in_cents: amount,
});

function editSpec(name: string, items: object[], transactions: object[] = [], invoiceChanges = 'edit', id = 'INV-ED') {
  const columns = ['external_id', 'customer_external_id', 'date', 'currency', 'line_items', 'transactions'];
  return {
    name,
    object: 'invoices',
    mode: 'upsert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: {
      type: 'file',
      path: writeCsv(`${name}.csv`, columns, [
        [id, 'CH-1', '2026-01-01', 'USD', JSON.stringify(items), JSON.stringify(transactions)],
      ]),
    },
    mapping: columns.map((column) => ({ from: column, to: column })),
    options: { invoiceChanges },
  };
}

test('invoiceChanges "edit": a changed line item and transaction are updated in place, one added (exactly once after a lost answer) and one removed; the same invoice throughout', async () => {
  const { emulator } = harness;
  const first = await runSync(
    harness.temporal.client,
    editSpec('edit-1', [item('LI-A', 1000), item('LI-B', 2000), item('LI-C', 3000)], [payment('TR-ED-1', 6000)]),
  );
  assert.deepEqual(first.totals, totals({ read: 1, created: 1 }), JSON.stringify(first.issues));
  const [created] = await invoicesNamed('INV-ED');

  // The second line item's amount and the payment change: each updated in place.
  const amountChanged = await runSync(
    harness.temporal.client,
    editSpec('edit-2', [item('LI-A', 1000), item('LI-B', 2500), item('LI-C', 3000)], [payment('TR-ED-1', 6500)]),
  );
  assert.deepEqual(amountChanged.totals, totals({ read: 1, updated: 1 }), JSON.stringify(amountChanged.issues));
  let held = await invoicesNamed('INV-ED');
  assert.equal(held.length, 1, 'one invoice');
  assert.equal(held[0]?.uuid, created?.uuid, 'its UUID kept');
  assert.deepEqual(
    held[0]?.line_items.map((line: Record<string, unknown>) => [line.external_id, line.amount_in_cents, line.uuid]),
    created?.line_items.map((line: Record<string, unknown>) => [
      line.external_id,
      line.external_id === 'LI-B' ? 2500 : line.amount_in_cents,
      line.uuid,
    ]),
  );
  assert.deepEqual(
    held[0]?.transactions.map((transaction: Record<string, unknown>) => transaction.amount_in_cents),
    [6500],
  );

  // A line item added (its answer lost) and one removed.
  emulator.scriptFaults([
    { route: 'POST /v1/import/invoices/:uuid/line_items', fault: { kind: 'lost', answer: 'reset' } },
  ]);
  const reshaped = await runSync(
    harness.temporal.client,
    editSpec('edit-3', [item('LI-A', 1000), item('LI-B', 2500), item('LI-D', 4000)], [payment('TR-ED-1', 6500)]),
  );
  assert.deepEqual(reshaped.totals, totals({ read: 1, updated: 1 }), JSON.stringify(reshaped.issues));
  assert.equal(emulator.stats().faults.lostReset, 1, "the added line item's answer was lost");
  held = await invoicesNamed('INV-ED');
  assert.equal(held.length, 1, 'one invoice');
  assert.equal(held[0]?.uuid, created?.uuid, 'its UUID kept');
  assert.deepEqual(
    held[0]?.line_items.map((line: Record<string, unknown>) => line.external_id).sort(),
    ['LI-A', 'LI-B', 'LI-D'],
    'LI-D added once, LI-C removed',
  );
});

test('invoiceChanges "edit" rejects a row whose line item has no external_id before sending anything', async () => {
  const { emulator } = harness;
  emulator.reset();
  const result = await runSync(
    harness.temporal.client,
    editSpec('edit-no-id', [{ type: 'one_time', amount_in_cents: 100 }]),
  );
  assert.deepEqual(result.totals, totals({ read: 1, rejected: 1 }));
  assert.match(
    result.issues[0]?.reason ?? '',
    /line item 1 has no external_id: options.invoiceChanges "edit" matches line items by it/,
  );
  assert.equal(writesIn(emulator.stats()), 0);
});

test('by default an invoice whose line items all have an external_id is edited in place; one without is failed', async () => {
  const first = await runSync(harness.temporal.client, editSpec('auto-1', [item('LI-AU', 1000)], [], 'auto', 'INV-AU'));
  assert.deepEqual(first.totals, totals({ read: 1, created: 1 }), JSON.stringify(first.issues));
  const [created] = await invoicesNamed('INV-AU');
  const changed = await runSync(harness.temporal.client, {
    ...editSpec('auto-2', [item('LI-AU', 1200)], [], 'auto', 'INV-AU'),
    options: {},
  });
  assert.deepEqual(changed.totals, totals({ read: 1, updated: 1 }), JSON.stringify(changed.issues));
  const held = await invoicesNamed('INV-AU');
  assert.deepEqual(
    held.map((invoice) => [invoice.uuid, invoice.line_items[0]?.amount_in_cents]),
    [[created?.uuid, 1200]],
  );
  const unnamed = await runSync(harness.temporal.client, {
    ...editSpec('auto-3', [{ type: 'one_time', amount_in_cents: 1300 }], [], 'auto', 'INV-AU'),
    options: {},
  });
  assert.deepEqual(unnamed.totals, totals({ read: 1, failed: 1 }));
  assert.match(unnamed.issues[0]?.reason ?? '', /give each of its line items and transactions an external_id/);
});
