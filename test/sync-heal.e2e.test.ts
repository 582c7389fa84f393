// A full refresh heals: records deleted in ChartMogul behind the sync's back (a contact, a plan, an invoice
// with the payments another spec put on it, and a customer with its contacts and invoices) are created again
// by `--full-refresh`, once each, for every object; a plain incremental run does not look, and says nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, listAll, runSync, useSyncHarness, writeCsv, totals } from './helpers/sync';

const harness = useSyncHarness({ seed: 71 });

const CUSTOMERS = ['C-1', 'C-2', 'C-3'];
const item = (plan: string) =>
  JSON.stringify([
    {
      type: 'subscription',
      plan_external_id: plan,
      subscription_external_id: `SUB-${plan}`,
      service_period_start: '2026-01-01',
      service_period_end: '2026-02-01',
      amount_in_cents: 1000,
      quantity: 1,
    },
  ]);

function spec(object: string, name: string, columns: string[], rows: (string | number)[][], options = {}) {
  return {
    name,
    object,
    mode: object === 'transactions' || object === 'invoices' ? 'insert' : 'upsert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path: writeCsv(`${name}.csv`, columns, rows) },
    mapping: columns.map((column) => ({ from: column, to: column })),
    options,
  };
}

const specs = () => [
  spec(
    'customers',
    'heal-customers',
    ['external_id', 'name'],
    CUSTOMERS.map((id) => [id, `Customer ${id}`]),
  ),
  spec(
    'contacts',
    'heal-contacts',
    ['customer_external_id', 'email'],
    CUSTOMERS.map((id) => [id, `${id.toLowerCase()}@example.com`]),
  ),
  spec(
    'plans',
    'heal-plans',
    ['external_id', 'name', 'interval_count', 'interval_unit'],
    [
      ['PL-1', 'Monthly', 1, 'month'],
      ['PL-2', 'Yearly', 1, 'year'],
    ],
  ),
  spec(
    'invoices',
    'heal-invoices',
    ['external_id', 'customer_external_id', 'date', 'currency', 'line_items'],
    [
      ['INV-1', 'C-1', '2026-01-01', 'USD', item('PL-1')],
      ['INV-2', 'C-2', '2026-01-01', 'USD', item('PL-1')],
      ['INV-3', 'C-3', '2026-01-01', 'USD', item('PL-1')],
    ],
  ),
  spec(
    'transactions',
    'heal-transactions',
    ['external_id', 'invoice_external_id', 'type', 'date', 'result'],
    [
      ['TR-1', 'INV-1', 'payment', '2026-01-02', 'successful'],
      ['TR-2', 'INV-2', 'payment', '2026-01-02', 'successful'],
      ['TR-3', 'INV-3', 'payment', '2026-01-02', 'successful'],
    ],
  ),
];

async function syncAll(options: Record<string, unknown> = {}) {
  const results = [];
  for (const body of specs())
    results.push(await runSync(harness.temporal.client, { ...body, options: { ...body.options, ...options } }));
  return results;
}

/** External ids of a data source's records of one list, each as often as it is there. */
async function externalIds(path: Parameters<typeof listAll>[1]): Promise<string[]> {
  const records = await listAll(harness.emulator, path);
  return records.map((record) => String(record.external_id ?? record.email)).sort();
}

async function transactionIds(): Promise<string[]> {
  const invoices = await listAll(harness.emulator, '/v1/invoices');
  return invoices
    .flatMap((invoice) => (invoice.transactions as { external_id: string }[]).map((entry) => entry.external_id))
    .sort();
}

test('--full-refresh creates again, once, what was deleted in ChartMogul; an incremental run leaves it', async () => {
  const first = await syncAll();
  for (const result of first) assert.equal(result.totals.failed + result.totals.rejected, 0, JSON.stringify(result));
  const { emulator } = harness;
  const byKey = async (path: Parameters<typeof listAll>[1], key: string) =>
    (await listAll(emulator, path)).find((record) => record.external_id === key || record.email === key)!;

  // Behind the sync's back: a contact, a plan, an invoice (its payment goes with it), and a customer (its
  // contact and invoice, with that invoice's payment, go with it).
  await api(emulator, 'DELETE', `/v1/contacts/${(await byKey('/v1/contacts', 'c-1@example.com')).uuid}`);
  await api(emulator, 'POST', '/v1/plans', {
    data_source_uuid: emulator.dataSourceUuid,
    external_id: 'PL-UNUSED',
    name: 'Never used',
    interval_count: 1,
    interval_unit: 'month',
  });
  await api(emulator, 'DELETE', `/v1/plans/${(await byKey('/v1/plans', 'PL-2')).uuid}`);
  await api(emulator, 'DELETE', `/v1/invoices/${(await byKey('/v1/invoices', 'INV-2')).uuid}`);
  await api(emulator, 'DELETE', `/v1/customers/${(await byKey('/v1/customers', 'C-3')).uuid}`);
  assert.deepEqual(await transactionIds(), ['TR-1']);

  // An incremental run compares rows with what it sent last: it does not look, and changes nothing.
  const incremental = await syncAll();
  for (const result of incremental) assert.equal(result.totals.created, 0, JSON.stringify(result.totals));

  const refreshed = await syncAll({ fullRefresh: true });
  const [customers, contacts, plans, invoices, transactions] = refreshed;
  assert.deepEqual(customers!.totals, totals({ read: 3, created: 1, unchanged: 2 }));
  assert.deepEqual(contacts!.totals, totals({ read: 3, created: 2, unchanged: 1 }));
  assert.deepEqual(plans!.totals, totals({ read: 2, created: 1, unchanged: 1 }));
  assert.deepEqual(invoices!.totals, totals({ read: 3, created: 2, unchanged: 1 }));
  assert.deepEqual(transactions!.totals, totals({ read: 3, created: 2, unchanged: 1 }));

  assert.deepEqual(await externalIds('/v1/customers'), CUSTOMERS);
  assert.deepEqual(await externalIds('/v1/contacts'), ['c-1@example.com', 'c-2@example.com', 'c-3@example.com']);
  assert.deepEqual(await externalIds('/v1/plans'), ['PL-1', 'PL-2', 'PL-UNUSED']);
  assert.deepEqual(await externalIds('/v1/invoices'), ['INV-1', 'INV-2', 'INV-3']);
  assert.deepEqual(await transactionIds(), ['TR-1', 'TR-2', 'TR-3']);

  // And healed means healed: the next full refresh finds every record where it is.
  for (const result of await syncAll({ fullRefresh: true }))
    assert.equal(result.totals.unchanged, result.totals.read, JSON.stringify(result.totals));
});

test('replacing an invoice keeps the payments and refunds another spec put on it; they are not counted as changes', async () => {
  const { emulator } = harness;
  await api(emulator, 'POST', '/v1/customers', { data_source_uuid: emulator.dataSourceUuid, external_id: 'R-1' });
  await api(emulator, 'POST', '/v1/plans', {
    data_source_uuid: emulator.dataSourceUuid,
    external_id: 'PL-R',
    name: 'Monthly',
    interval_count: 1,
    interval_unit: 'month',
  });
  const invoiceRows = (amount: number) => [
    [
      'RINV-1',
      'R-1',
      '2026-01-01',
      'USD',
      JSON.stringify([{ ...JSON.parse(item('PL-R'))[0], amount_in_cents: amount }]),
      JSON.stringify([{ type: 'payment', date: '2026-01-02', result: 'successful', external_id: 'INLINE-1' }]),
    ],
    [
      'RINV-2',
      'R-1',
      '2026-01-01',
      'USD',
      JSON.stringify([{ ...JSON.parse(item('PL-R'))[0], amount_in_cents: amount }]),
      '',
    ],
  ];
  const columns = ['external_id', 'customer_external_id', 'date', 'currency', 'line_items', 'transactions'];
  const invoices = (amount: number) => ({
    ...spec('invoices', 'replace-invoices', columns, invoiceRows(amount), { invoiceChanges: 'replace' }),
    mode: 'upsert',
  });
  assert.deepEqual((await runSync(harness.temporal.client, invoices(1000))).totals, totals({ read: 2, created: 2 }));
  // Another spec's payments and a refund, on both invoices.
  const payments = spec(
    'transactions',
    'replace-transactions',
    ['external_id', 'invoice_external_id', 'type', 'date', 'result', 'amount_in_cents'],
    [
      ['PAY-1', 'RINV-1', 'payment', '2026-01-03', 'failed', ''],
      ['PAY-2', 'RINV-2', 'payment', '2026-01-03', 'successful', ''],
      ['REF-2', 'RINV-2', 'refund', '2026-01-10', 'successful', 500],
    ],
  );
  assert.deepEqual((await runSync(harness.temporal.client, payments)).totals, totals({ read: 3, created: 3 }));

  // Another spec's transactions are no change of the invoice's row: a refresh finds both invoices unchanged.
  const unchanged = await runSync(harness.temporal.client, {
    ...invoices(1000),
    options: { invoiceChanges: 'replace', fullRefresh: true },
  });
  assert.deepEqual(unchanged.totals, totals({ read: 2, unchanged: 2 }), JSON.stringify(unchanged.issues));

  // The line amount changes: each invoice is replaced, and keeps every transaction, with its external id.
  const replaced = await runSync(harness.temporal.client, invoices(1200));
  assert.deepEqual(replaced.totals, totals({ read: 2, updated: 2 }), JSON.stringify(replaced.issues));
  for (const entry of replaced.issues) assert.doesNotMatch(entry.reason ?? '', /transactions/);
  const held = new Map(
    (await listAll(emulator, '/v1/invoices')).map((invoice) => [
      invoice.external_id as string,
      (invoice.transactions as { external_id: string; type: string; result: string }[])
        .map((entry) => `${entry.external_id}:${entry.type}:${entry.result}`)
        .sort(),
    ]),
  );
  assert.deepEqual(held.get('RINV-1'), ['INLINE-1:payment:successful', 'PAY-1:payment:failed']);
  assert.deepEqual(held.get('RINV-2'), ['PAY-2:payment:successful', 'REF-2:refund:successful']);
  // And the transactions spec finds its records where it left them.
  const again = await runSync(harness.temporal.client, { ...payments, options: { fullRefresh: true } });
  assert.deepEqual(again.totals, totals({ read: 3, unchanged: 3 }));
});
