// Invoices end to end on a real Temporal server and the emulator: line items from a JSON column with plans
// resolved by external id, bad rows rejected element by element, unchanged re-runs that send nothing, a
// changed invoice never sent as a second one (failed with what changed, or replaced when the spec says so),
// and every invoice once when imports lose their answers.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { runCommand } from './helpers/processes';
import { api, runSync, useSyncHarness, workFolder, writeCsv, writesIn, totals } from './helpers/sync';

let planUuid = '';

// Customers and a plan already in the data source (as customers and plans specs would have synced them).
const harness = useSyncHarness({ seed: 31 }, async ({ emulator }) => {
  for (const id of ['CUS-1', 'CUS-2'])
    await api(emulator, 'POST', '/v1/customers', { data_source_uuid: emulator.dataSourceUuid, external_id: id });
  const plan = await api(emulator, 'POST', '/v1/plans', {
    data_source_uuid: emulator.dataSourceUuid,
    external_id: 'PL-M',
    name: 'Monthly',
    interval_count: 1,
    interval_unit: 'month',
  });
  planUuid = plan.uuid;
});

const COLUMNS = ['id', 'customer', 'date', 'currency', 'items', 'payments'];
const MAPPING = [
  { from: 'id', to: 'external_id' },
  { from: 'customer', to: 'customer_external_id' },
  { from: 'date', to: 'date' },
  { from: 'currency', to: 'currency' },
  { from: 'items', to: 'line_items' },
  { from: 'payments', to: 'transactions' },
];

function spec(name: string, path: string, options: Record<string, unknown> = {}) {
  return {
    name,
    object: 'invoices',
    mode: 'upsert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path },
    mapping: MAPPING,
    options: { pageSize: 10, ...options },
  };
}

const subscription = (plan: string, amount: number | string, subscriptionId = 'SUB-1') => ({
  type: 'subscription',
  plan_external_id: plan,
  subscription_external_id: subscriptionId,
  service_period_start: '2026-01-01',
  service_period_end: '2026-02-01',
  amount_in_cents: amount,
  quantity: 1,
});

/** The emulator's invoices of the data source, by external id (each key listed once per invoice). */
async function invoicesByKey(): Promise<Map<string, Record<string, any>[]>> {
  const { emulator } = harness;
  const found = new Map<string, Record<string, any>[]>();
  let cursor: string | undefined;
  for (;;) {
    const page = await api(
      emulator,
      'GET',
      `/v1/invoices?data_source_uuid=${emulator.dataSourceUuid}&per_page=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    for (const invoice of page.invoices)
      found.set(invoice.external_id, [...(found.get(invoice.external_id) ?? []), invoice]);
    if (!page.has_more) return found;
    cursor = encodeURIComponent(page.cursor);
  }
}

function writes(): number {
  return writesIn(harness.emulator.stats());
}

test('upsert: invoices land with plans resolved; bad rows are rejected by element; a re-run sends nothing', async () => {
  const rows = [
    [
      'INV-1',
      'CUS-1',
      '2026-01-01',
      'usd',
      JSON.stringify([subscription('PL-M', 1000), { type: 'one_time', amount_in_cents: 500, description: 'Setup' }]),
      '',
    ],
    [
      'INV-2',
      'CUS-2',
      '2026-01-02',
      'EUR',
      JSON.stringify([{ type: 'one_time', amount_in_cents: 2500 }]),
      JSON.stringify([{ type: 'payment', date: '2026-01-02', result: 'successful', external_id: 'TR-2' }]),
    ],
    ['INV-3', 'CUS-1', '2026-01-03', 'USD', JSON.stringify([subscription('PL-M', '12.50')]), ''],
    ['INV-4', 'CUS-1', '2026-01-04', 'USD', JSON.stringify([subscription('PL-NOPE', 1000)]), ''],
    ['INV-5', 'CUS-404', '2026-01-05', 'USD', JSON.stringify([{ type: 'one_time', amount_in_cents: 100 }]), ''],
    ['INV-6', 'CUS-1', '2026-01-06', 'USD', JSON.stringify([{ type: 'one_time', amont_in_cents: 100 }]), ''],
    ['INV-7', 'CUS-1', '2026-01-07', 'XYZ', JSON.stringify([{ type: 'subscription', amount_in_cents: 100 }]), ''],
  ];
  const path = writeCsv('invoices.csv', COLUMNS, rows);
  const result = await runSync(harness.temporal.client, spec('invoices-upsert', path));
  assert.equal(result.status, 'completed');
  assert.deepEqual(result.totals, totals({ read: 7, created: 2, rejected: 5 }));
  const reason = (key: string) => result.issues.find((issue) => issue.key === key)?.reason ?? '';
  assert.match(
    reason('INV-3'),
    /line item 1: "amount_in_cents" value "12.50": expected a whole number of minor units \(cents\), not a decimal: 12.50 in a currency with cents is 1250/,
  );
  assert.match(
    reason('INV-4'),
    /plan "PL-NOPE" named by invoice INV-4's line items not found in the data source: sync plans first/,
  );
  assert.match(reason('INV-5'), /customer "CUS-404" not found in the data source: sync customers first/);
  assert.match(
    reason('INV-6'),
    /line item 1: "amont_in_cents" is not a line item key; did you mean "amount_in_cents"\?/,
  );
  assert.match(reason('INV-7'), /field "currency" value "XYZ": expected an ISO 4217 currency code/);
  assert.match(
    reason('INV-7'),
    /line item 1: "plan_external_id" is missing: a subscription line item needs its plan, subscription and service period/,
  );

  const invoices = await invoicesByKey();
  assert.deepEqual([...invoices.keys()].sort(), ['INV-1', 'INV-2']);
  const first = invoices.get('INV-1')?.[0];
  assert.equal(first?.currency, 'USD');
  assert.equal(first?.line_items[0].plan_uuid, planUuid, 'the plan resolved by its external id');
  assert.equal(first?.line_items[1].description, 'Setup');
  assert.equal(invoices.get('INV-2')?.[0]?.transactions[0].external_id, 'TR-2');

  harness.emulator.reset();
  const again = await runSync(harness.temporal.client, spec('invoices-upsert', path));
  assert.deepEqual(again.totals, totals({ read: 7, unchanged: 2, rejected: 5 }));
  assert.equal(writes(), 0, 'an unchanged invoice costs no write');
});

test('a changed line item never makes a second invoice: failed with what changed; replaced when the spec says so', async () => {
  const items = (amount: number) => JSON.stringify([subscription('PL-M', amount)]);
  const path = writeCsv('invoices-change.csv', COLUMNS, [['INV-C', 'CUS-1', '2026-02-01', 'USD', items(1000), '']]);
  assert.deepEqual(
    (await runSync(harness.temporal.client, spec('invoices-change', path))).totals,
    totals({ read: 1, created: 1 }),
  );

  writeCsv('invoices-change.csv', COLUMNS, [['INV-C', 'CUS-1', '2026-02-01', 'USD', items(1200), '']]);
  const changed = await runSync(harness.temporal.client, spec('invoices-change', path));
  assert.deepEqual(changed.totals, totals({ read: 1, failed: 1 }));
  assert.match(
    changed.issues[0]?.reason ?? '',
    /line_items\[1\]\.amount_in_cents: 1000 in ChartMogul, 1200 in the row/,
  );
  assert.match(changed.issues[0]?.reason ?? '', /options\.invoiceChanges to "replace"/);
  assert.equal((await invoicesByKey()).get('INV-C')?.length, 1, 'one invoice, still the old one');
  assert.equal((await invoicesByKey()).get('INV-C')?.[0]?.line_items[0].amount_in_cents, 1000);

  const replaced = await runSync(harness.temporal.client, spec('invoices-change', path, { invoiceChanges: 'replace' }));
  assert.deepEqual(replaced.totals, totals({ read: 1, updated: 1 }));
  assert.equal(replaced.issues[0]?.status, 'replaced');
  assert.match(replaced.issues[0]?.reason ?? '', /deleted and imported again/);
  const after = (await invoicesByKey()).get('INV-C') ?? [];
  assert.equal(after.length, 1, 'one invoice after the replacement');
  assert.equal(after[0]?.line_items[0].amount_in_cents, 1200);

  // A new date alone is changed in place.
  writeCsv('invoices-change.csv', COLUMNS, [['INV-C', 'CUS-1', '2026-02-03', 'USD', items(1200), '']]);
  const moved = await runSync(harness.temporal.client, spec('invoices-change', path));
  assert.deepEqual(moved.totals, totals({ read: 1, updated: 1 }));
  const [inPlace] = (await invoicesByKey()).get('INV-C') ?? [];
  assert.equal(inPlace?.uuid, after[0]?.uuid, 'the same invoice, changed in place');
  assert.equal(inPlace?.date, '2026-02-03T00:00:00.000Z');
});

test(
  'under 20% 429s and 30% lost import answers, every invoice exists once with its values',
  { timeout: 300_000 },
  async () => {
    const { emulator } = harness;
    const rows = Array.from({ length: 40 }, (_, index) => [
      `LOST-${String(index).padStart(3, '0')}`,
      index % 2 === 0 ? 'CUS-1' : 'CUS-2',
      '2026-03-01',
      'USD',
      JSON.stringify([subscription('PL-M', 100 + index, `SUB-L${index}`)]),
      '',
    ]);
    const path = writeCsv('invoices-lost.csv', COLUMNS, rows);
    emulator.configure({ faults: '429=0.2,lost=0.3' });
    try {
      const result = await runSync(harness.temporal.client, spec('invoices-lost', path, { pageSize: 20 }));
      assert.deepEqual(result.totals, totals({ read: 40, created: 40 }));
    } finally {
      emulator.configure({ faults: '' });
    }
    const faults = emulator.stats().faults;
    assert.ok((faults.lostStatus500 ?? 0) + (faults.lostReset ?? 0) > 0, 'answers were lost');
    const invoices = await invoicesByKey();
    for (const [id, , , , items] of rows) {
      const held = invoices.get(id ?? '') ?? [];
      assert.equal(held.length, 1, `${id} once`);
      assert.equal(held[0]?.line_items[0].amount_in_cents, JSON.parse(items ?? '[]')[0].amount_in_cents);
    }
  },
);

test('transactions after their invoice: added once; a missing invoice or a decimal amount is rejected', async () => {
  const columns = ['id', 'invoice', 'type', 'date', 'result', 'amount'];
  const path = writeCsv('transactions.csv', columns, [
    ['TR-10', 'INV-1', 'payment', '2026-01-05', 'successful', 1500],
    ['TR-11', 'INV-1', 'refund', '2026-01-20', 'successful', 500],
    ['TR-12', 'INV-NOPE', 'payment', '2026-01-05', 'successful', 100],
    ['TR-13', 'INV-2', 'payment', '2026-01-05', 'successful', '25.00'],
  ]);
  const transactions = (options: Record<string, unknown> = {}) => ({
    name: 'transactions',
    object: 'transactions',
    mode: 'insert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'invoice', to: 'invoice_external_id' },
      { from: 'type', to: 'type' },
      { from: 'date', to: 'date' },
      { from: 'result', to: 'result' },
      { from: 'amount', to: 'amount_in_cents' },
    ],
    options,
  });
  const result = await runSync(harness.temporal.client, transactions());
  assert.deepEqual(result.totals, totals({ read: 4, created: 2, rejected: 2 }));
  const reason = (key: string) => result.issues.find((issue) => issue.key === key)?.reason ?? '';
  assert.match(reason('TR-12'), /invoice "INV-NOPE" not found in the data source: sync invoices first/);
  assert.match(
    reason('TR-13'),
    /field "amount_in_cents" value "25.00": expected a whole number of minor units \(cents\), not a decimal: 25.00 in a currency with cents is 2500/,
  );
  const held = (await invoicesByKey()).get('INV-1')?.[0]?.transactions ?? [];
  assert.deepEqual(
    held
      .map((transaction: Record<string, unknown>) => [
        transaction.external_id,
        transaction.type,
        transaction.amount_in_cents,
      ])
      .sort((a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]))),
    [
      ['TR-10', 'payment', 1500],
      ['TR-11', 'refund', 500],
    ],
  );
  // Without the state store, the same rows meet their own transactions: unchanged, never added twice.
  harness.emulator.reset();
  const again = await runSync(harness.temporal.client, transactions({ incremental: false }));
  assert.deepEqual(again.totals, totals({ read: 4, unchanged: 2, rejected: 2 }));
  assert.equal((await invoicesByKey()).get('INV-1')?.[0]?.transactions.length, 2);
});

test('transactions on many invoices: the invoices are listed (a page of 200), not looked up one row at a time', async () => {
  const { emulator } = harness;
  const [customer] = (await api(emulator, 'GET', `/v1/customers?data_source_uuid=${emulator.dataSourceUuid}`)).entries;
  const count = 30;
  for (let index = 0; index < count; index += 1) {
    await api(emulator, 'POST', `/v1/import/customers/${customer.uuid}/invoices`, {
      invoices: [
        {
          external_id: `INV-MANY-${index}`,
          date: '2026-01-01',
          currency: 'USD',
          line_items: [{ type: 'one_time', amount_in_cents: 1000 }],
        },
      ],
    });
  }
  const path = writeCsv(
    'payments-many.csv',
    ['id', 'invoice', 'type', 'date', 'result'],
    Array.from({ length: count }, (_, index) => [
      `TR-MANY-${index}`,
      `INV-MANY-${index}`,
      'payment',
      '2026-01-02',
      'successful',
    ]),
  );
  emulator.reset();
  const result = await runSync(harness.temporal.client, {
    name: 'payments-many',
    object: 'transactions',
    mode: 'insert',
    dataSourceUuid: emulator.dataSourceUuid,
    source: { type: 'file', path },
    mapping: ['id:external_id', 'invoice:invoice_external_id', 'type', 'date', 'result'].map((pair) => {
      const [from, to] = pair.split(':');
      return { from: from ?? '', to: to ?? from ?? '' };
    }),
  });
  assert.deepEqual(result.totals, totals({ read: count, created: count }));
  const byRoute = emulator.stats().byRoute;
  const sent = (route: string) => Object.values(byRoute[route] ?? {}).reduce((a, b) => a + b, 0);
  assert.equal(sent('GET /v1/invoices'), 1, 'one listing of the invoices, no lookup per row');
  assert.equal(sent('POST /v1/import/invoices/:uuid/transactions'), count);
});

test("find answers for an invoice row as for a customer: its status, UUID or reason, and its page's workflow", async () => {
  const find = (key: string) =>
    runCommand(['find', 'invoices-upsert', key, '--json', '--reports-dir', join(workFolder, 'reports')], {
      env: { ...process.env, ...harness.emulator.env, TEMPORAL_ADDRESS: harness.temporal.server.address },
    });
  const synced = await find('INV-1');
  assert.equal(synced.code, 0, synced.stderr);
  const row = JSON.parse(synced.stdout);
  assert.equal(row.status, 'unchanged');
  assert.equal(row.uuid, (await invoicesByKey()).get('INV-1')?.[0]?.uuid);
  assert.match(row.webUrl, /workflows\/chartmogul-sync%3Ainvoices-upsert%3Apage-0\//);
  const rejected = JSON.parse((await find('INV-4')).stdout);
  assert.equal(rejected.status, 'rejected');
  assert.match(rejected.reason, /sync plans first/);
});

test(
  'a re-run with an empty state store over 2,000 held invoices costs a listing, not a lookup an invoice',
  { timeout: 300_000 },
  async () => {
    const { temporal, emulator } = harness;
    const customers = 100;
    const perCustomer = 20;
    const rows: (string | number)[][] = [];
    for (let c = 0; c < customers; c++) {
      const customer = await api(emulator, 'POST', '/v1/customers', {
        data_source_uuid: emulator.dataSourceUuid,
        external_id: `LR-C-${c}`,
      });
      const invoices = Array.from({ length: perCustomer }, (_, i) => {
        const n = c * perCustomer + i;
        const item = { ...subscription('PL-M', 1_000 + n, `LR-SUB-${c}`), external_id: `LR-LI-${n}` };
        const payment = {
          type: 'payment',
          date: '2026-01-05',
          result: 'successful',
          external_id: `LR-TR-${n}`,
          amount_in_cents: 1_000 + n,
        };
        rows.push([`LR-INV-${n}`, `LR-C-${c}`, '2026-01-05', 'USD', JSON.stringify([item]), JSON.stringify([payment])]);
        const { plan_external_id: _plan, ...sent } = item;
        return {
          external_id: `LR-INV-${n}`,
          date: '2026-01-05',
          currency: 'USD',
          line_items: [{ ...sent, plan_uuid: planUuid }],
          transactions: [payment],
        };
      });
      await api(emulator, 'POST', `/v1/import/customers/${customer.uuid}/invoices`, { invoices });
    }
    const changed = rows.map((row, index) =>
      index === 7
        ? [
            ...row.slice(0, 4),
            JSON.stringify([{ ...subscription('PL-M', 99, 'LR-SUB-0'), external_id: 'LR-LI-7' }]),
            row[5] ?? '',
          ]
        : row,
    );
    const path = writeCsv('relisted.csv', COLUMNS, changed);
    emulator.reset();
    const result = await runSync(temporal.client, spec('invoices-relisted', path, { pageSize: 500 }));
    assert.deepEqual(
      result.totals,
      totals({ read: 2_000, unchanged: 1_999, updated: 1 }),
      JSON.stringify(result.issues),
    );
    const requests = emulator.stats().total;
    assert.ok(requests / 2_000 <= 0.02, `${requests} requests for 2,000 held invoices`);
    const held = (await invoicesByKey()).get('LR-INV-7')?.[0];
    assert.equal(held?.line_items[0]?.amount_in_cents, 99, 'the one changed invoice was edited');
  },
);
