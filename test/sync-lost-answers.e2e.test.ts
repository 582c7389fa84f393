// Retries that fit the fault: a create whose answer was lost settles by looking itself up, however many
// faults stand between (its lookups retry on their own, without spending the create's attempts), and a plan
// lookup shared by the invoices that start together fails only itself. Faults are scripted on exact routes, so
// each test meets exactly the sequence it names.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { ScriptedFault } from '../src/emulator';
import { SYNC_NAME } from '../src/contracts/names';
import { api, listAll, runSync, useSyncHarness, writeCsv, totals } from './helpers/sync';

const harness = useSyncHarness({ seed: 5 }, async ({ emulator }) => {
  await api(emulator, 'POST', '/v1/customers', { data_source_uuid: emulator.dataSourceUuid, external_id: 'LA-1' });
  // A plan for each test: a worker remembers a plan's UUID once it has found it.
  for (const plan of ['PL-LA', 'PL-SH'])
    await api(emulator, 'POST', '/v1/plans', {
      data_source_uuid: emulator.dataSourceUuid,
      external_id: plan,
      name: 'Monthly',
      interval_count: 1,
      interval_unit: 'month',
    });
});

/** 25 faults in a row, each of the kinds a lookup meets: 500s, 429s, dropped connections. */
function faultsInARow(route: string, query: Record<string, string>, count: number): ScriptedFault[] {
  const kinds: ScriptedFault['fault'][] = [
    { kind: 'status', status: 500 },
    { kind: 'status', status: 429 },
    { kind: 'reset' },
  ];
  return Array.from({ length: count }, (_, index) => ({ route, query, fault: kinds[index % kinds.length]! }));
}

function invoicesSpec(name: string, ids: string[], plan = 'PL-LA') {
  const item = JSON.stringify([
    {
      type: 'subscription',
      plan_external_id: plan,
      subscription_external_id: 'SUB-LA',
      service_period_start: '2026-01-01',
      service_period_end: '2026-02-01',
      amount_in_cents: 1000,
      quantity: 1,
    },
  ]);
  const columns = ['external_id', 'customer_external_id', 'date', 'currency', 'line_items'];
  return {
    name,
    object: 'invoices',
    mode: 'insert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: {
      type: 'file',
      path: writeCsv(
        `${name}.csv`,
        columns,
        ids.map((id) => [id, 'LA-1', '2026-01-01', 'USD', item]),
      ),
    },
    mapping: columns.map((column) => ({ from: column, to: column })),
  };
}

/** Attempts of each activity type in a sync's workflows (the sync and its pages), by activity type. */
async function attemptsByType(sync: string): Promise<Map<string, number[]>> {
  const { client } = harness.temporal;
  const attempts = new Map<string, number[]>();
  for await (const execution of client.workflow.list({ query: `${SYNC_NAME.name} = "${sync}"` })) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const types = new Map<string, string>();
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) types.set(String(event.eventId), scheduled.activityType?.name ?? '');
      const started = event.activityTaskStartedEventAttributes;
      if (started) {
        const type = types.get(String(started.scheduledEventId)) ?? '';
        attempts.set(type, [...(attempts.get(type) ?? []), started.attempt ?? 1]);
      }
    }
  }
  return attempts;
}

test('an import whose answer was lost, then 25 faults on its lookups, ends created: one invoice, never failed', async () => {
  const { emulator } = harness;
  const lookup = { route: 'GET /v1/invoices', query: { external_id: 'INV-LOST' } };
  emulator.scriptFaults([
    // Insert mode looks the invoice up first: not there yet. Then the import is applied and its answer lost.
    { ...lookup, fault: { kind: 'none' } },
    { route: 'POST /v1/import/customers/:uuid/invoices', fault: { kind: 'lost', answer: 'reset' } },
    ...faultsInARow('GET /v1/invoices', { external_id: 'INV-LOST' }, 25),
  ]);
  const result = await runSync(harness.temporal.client, invoicesSpec('lost-answer', ['INV-LOST']));
  assert.deepEqual(result.totals, totals({ read: 1, created: 1 }), JSON.stringify(result.issues));
  const invoices = (await listAll(emulator, '/v1/invoices')).filter((invoice) => invoice.external_id === 'INV-LOST');
  assert.equal(invoices.length, 1, 'one invoice');
});

test('a shared plan lookup that faults costs the invoices waiting on it no attempt', async () => {
  const { emulator } = harness;
  const ids = Array.from({ length: 20 }, (_, index) => `INV-SH-${index + 1}`);
  emulator.scriptFaults(faultsInARow('GET /v1/plans', { external_id: 'PL-LA' }, 5));
  const result = await runSync(harness.temporal.client, {
    ...invoicesSpec('shared-lookup', ids),
    options: { pageSize: 20 },
  });
  assert.deepEqual(result.totals, totals({ read: 20, created: 20 }), JSON.stringify(result.issues));
  const imports = (await attemptsByType('shared-lookup')).get('importInvoice') ?? [];
  assert.equal(imports.length, 20, `each import ran once: attempts ${imports.join(', ')}`);
  assert.ok(
    imports.every((attempt) => attempt === 1),
    `no import spent an attempt on the plan lookup: ${imports.join(', ')}`,
  );
});
