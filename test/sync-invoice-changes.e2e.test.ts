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
