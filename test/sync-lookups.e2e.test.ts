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

const lineItems = (plan: string) =>
  JSON.stringify([
    {
      type: 'subscription',
      plan_external_id: plan,
      subscription_external_id: 'SUB-LK',
      service_period_start: '2026-01-01',
      service_period_end: '2026-02-01',
      amount_in_cents: 1000,
    },
  ]);

function invoiceSpec(externalId: string, plan = 'PL-LK') {
  const columns = ['external_id', 'customer_external_id', 'date', 'currency', 'line_items'];
  return {
    name: `invoice-${externalId}`,
    object: 'invoices',
    mode: 'insert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: {
      type: 'file',
      path: writeCsv(`${externalId}.csv`, columns, [[externalId, 'LK-1', '2026-01-01', 'USD', lineItems(plan)]]),
    },
    mapping: columns.map((column) => ({ from: column, to: column })),
  };
}

async function importInvoice(externalId: string, plan?: string): Promise<void> {
  const result = await runSync(harness.temporal.client, invoiceSpec(externalId, plan));
  assert.deepEqual(result.totals, totals({ read: 1, created: 1 }), JSON.stringify(result.issues));
}

async function createPlan(externalId: string): Promise<string> {
  const { emulator } = harness;
  const plan = await api(emulator, 'POST', '/v1/plans', {
    data_source_uuid: emulator.dataSourceUuid,
    external_id: externalId,
    name: 'Yearly',
    interval_count: 1,
    interval_unit: 'year',
  });
  return plan.uuid;
}

/** The invoices with this external id that ChartMogul shows a read with this `validation_type`. */
async function invoicesNamed(externalId: string, validationType?: 'all'): Promise<Record<string, any>[]> {
  const { emulator } = harness;
  const query = new URLSearchParams({ data_source_uuid: emulator.dataSourceUuid, external_id: externalId });
  if (validationType) query.set('validation_type', validationType);
  return (await api(emulator, 'GET', `/v1/invoices?${query.toString()}`)).invoices;
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

test('an invoice ChartMogul keeps as invalid is found after the refusal, failed with its errors and never doubled; a re-run replaces it once it can be valid', async () => {
  const { emulator } = harness;
  // The worker resolves the plan once and remembers its UUID; then the plan is deleted and made again behind
  // the sync's back, so the next import names a plan UUID that no longer exists.
  const first = await createPlan('PL-GONE');
  await importInvoice('INV-BEFORE', 'PL-GONE');
  await api(emulator, 'DELETE', `/v1/plans/${first}`);
  await createPlan('PL-GONE');

  const refused = await runSync(harness.temporal.client, invoiceSpec('INV-INVALID', 'PL-GONE'));
  assert.deepEqual(refused.totals, totals({ read: 1, failed: 1 }));
  assert.match(
    refused.issues[0]?.reason ?? '',
    /ChartMogul keeps invoice INV-INVALID as invalid, out of every metric: line_items\.plan_uuid: .*Correct the row and run the sync again/,
  );
  assert.equal((await invoicesNamed('INV-INVALID')).length, 0, 'hidden from default reads');
  assert.equal((await invoicesNamed('INV-INVALID', 'all')).length, 1, 'kept once, as invalid');

  const again = await runSync(harness.temporal.client, invoiceSpec('INV-INVALID', 'PL-GONE'));
  assert.deepEqual(again.totals, totals({ read: 1, updated: 1 }), JSON.stringify(again.issues));
  assert.match(again.issues[0]?.reason ?? '', /deleted and imported again, because ChartMogul kept it as invalid/);
  const held = await invoicesNamed('INV-INVALID', 'all');
  assert.deepEqual(
    held.map((invoice) => invoice.errors),
    [{}],
    'one invoice, valid',
  );
});
