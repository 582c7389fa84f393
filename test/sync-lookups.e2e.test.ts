// Lookups that read what ChartMogul answers (issue 28): a record found again after a lost answer or a refusal,
// whichever shape the answer has, and whether ChartMogul judged the record valid or kept it hidden as invalid.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, listAll, runSync, useSyncHarness, writeCsv, totals } from './helpers/sync';

const harness = useSyncHarness({ seed: 28 }, async ({ emulator }) => {
  await api(emulator, 'POST', '/v1/customers', { data_source_uuid: emulator.dataSourceUuid, external_id: 'LK-1' });
  await api(emulator, 'POST', '/v1/plans', {
    data_source_uuid: emulator.dataSourceUuid,
    external_id: 'PL-LK',
    name: 'Monthly',
    interval_count: 1,
    interval_unit: 'month',
  });
});

const LINE_ITEMS = JSON.stringify([
  {
    type: 'subscription',
    plan_external_id: 'PL-LK',
    subscription_external_id: 'SUB-LK',
    service_period_start: '2026-01-01',
    service_period_end: '2026-02-01',
    amount_in_cents: 1000,
  },
]);

async function importInvoice(externalId: string): Promise<void> {
  const { emulator } = harness;
  const columns = ['external_id', 'customer_external_id', 'date', 'currency', 'line_items'];
  const result = await runSync(harness.temporal.client, {
    name: `invoice-${externalId}`,
    object: 'invoices',
    mode: 'insert',
    dataSourceUuid: emulator.dataSourceUuid,
    source: {
      type: 'file',
      path: writeCsv(`${externalId}.csv`, columns, [[externalId, 'LK-1', '2026-01-01', 'USD', LINE_ITEMS]]),
    },
    mapping: columns.map((column) => ({ from: column, to: column })),
  });
  assert.deepEqual(result.totals, totals({ read: 1, created: 1 }), JSON.stringify(result.issues));
}

function transactionsSpec(name: string, rows: string[][]) {
  const columns = ['external_id', 'invoice_external_id', 'type', 'date', 'result', 'amount_in_cents'];
  return {
    name,
    object: 'transactions',
    mode: 'insert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path: writeCsv(`${name}.csv`, columns, rows) },
    mapping: columns.map((column) => ({ from: column, to: column })),
  };
}

/** The transactions ChartMogul holds on an invoice, by external id. */
async function transactionsOn(invoiceExternalId: string): Promise<string[]> {
  const invoice = (await listAll(harness.emulator, '/v1/invoices')).find(
    (found) => found.external_id === invoiceExternalId,
  );
  return (invoice?.transactions ?? []).map((transaction: { external_id: string }) => transaction.external_id).sort();
}

for (const shape of ['object', 'list'] as const) {
  test(`a transaction whose answer was lost is found again when the lookup answers ${shape === 'object' ? 'one object (as documented)' : 'a list (as the Node client expects)'}: added once`, async () => {
    const { emulator } = harness;
    const invoice = `INV-LK-${shape}`;
    await importInvoice(invoice);
    emulator.configure({ transactionLookup: shape });
    emulator.scriptFaults([
      { route: 'POST /v1/import/invoices/:uuid/transactions', fault: { kind: 'lost', answer: 'reset' } },
    ]);
    const result = await runSync(
      harness.temporal.client,
      transactionsSpec(`lost-transaction-${shape}`, [
        [`TR-LK-${shape}`, invoice, 'payment', '2026-01-05', 'successful', '1000'],
      ]),
    );
    assert.deepEqual(result.totals, totals({ read: 1, created: 1 }), JSON.stringify(result.issues));
    assert.deepEqual(await transactionsOn(invoice), [`TR-LK-${shape}`], 'added once');
  });
}
