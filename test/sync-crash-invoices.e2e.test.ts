// Invoices under worker kills: a 2,000-invoice upsert, its worker killed with SIGKILL ten times while
// ChartMogul answers with faults (429s, 5xx, dropped connections, imports applied but their answers lost).
// Every invoice exists exactly once with its values: ChartMogul would count a second one in MRR.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { killStartedProcesses, startWorkerProcess, type WorkerProcess } from './helpers/processes';
import { api, runSync, workFolder, writeCsv, totals } from './helpers/sync';
import { startTestEmulator, startTestTemporal, type TestEmulator, type TestTemporal } from './helpers/temporal';
import { waitUntil } from './helpers/wait';

const INVOICES = 2000;
const CUSTOMERS = 50;

let temporal: TestTemporal;
let emulator: TestEmulator;

before(async () => {
  temporal = await startTestTemporal();
  emulator = await startTestEmulator({ latency: '20-40' });
  for (let index = 0; index < CUSTOMERS; index++)
    await api(emulator, 'POST', '/v1/customers', {
      data_source_uuid: emulator.dataSourceUuid,
      external_id: `KC-${index}`,
    });
  await api(emulator, 'POST', '/v1/plans', {
    data_source_uuid: emulator.dataSourceUuid,
    external_id: 'KP-1',
    name: 'Monthly',
    interval_count: 1,
    interval_unit: 'month',
  });
});

after(async () => {
  killStartedProcesses();
  await emulator?.stop();
  await temporal?.stop();
});

/** Every invoice of the data source, as ChartMogul lists them. */
async function allInvoices(): Promise<Record<string, any>[]> {
  const found: Record<string, any>[] = [];
  let cursor = '';
  for (;;) {
    const page = await api(
      emulator,
      'GET',
      `/v1/invoices?data_source_uuid=${emulator.dataSourceUuid}&per_page=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    found.push(...page.invoices);
    if (!page.has_more) return found;
    cursor = page.cursor;
  }
}

const COLUMNS = ['id', 'customer', 'date', 'currency', 'items'];

/** `count` invoices `<prefix>-00000` on, spread over the customers, each with a subscription line item on plan
 * KP-1 of `amount(index)`. */
function invoiceRows(prefix: string, count: number, amount: (index: number) => number): string[][] {
  return Array.from({ length: count }, (_, index) => [
    `${prefix}-${String(index).padStart(5, '0')}`,
    `KC-${index % CUSTOMERS}`,
    '2026-04-01',
    'USD',
    JSON.stringify([
      {
        type: 'subscription',
        plan_external_id: 'KP-1',
        subscription_external_id: `${prefix}S-${index}`,
        service_period_start: '2026-04-01',
        service_period_end: '2026-05-01',
        amount_in_cents: amount(index),
      },
    ]),
  ]);
}

function invoiceSpec(name: string, path: string, options: Record<string, unknown>) {
  return {
    name,
    object: 'invoices',
    mode: 'upsert',
    dataSourceUuid: emulator.dataSourceUuid,
    source: { type: 'file', path },
    options,
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'customer', to: 'customer_external_id' },
      { from: 'date', to: 'date' },
      { from: 'currency', to: 'currency' },
      { from: 'items', to: 'line_items' },
    ],
  };
}

function startWorker(): ReturnType<typeof startWorkerProcess> {
  return startWorkerProcess({ ...emulator.env, TEMPORAL_ADDRESS: temporal.server.address }, [
    '--reports-dir',
    join(workFolder, 'reports'),
  ]);
}

/** Kills the worker with SIGKILL and starts another. */
async function killAndRestart(worker: WorkerProcess): Promise<WorkerProcess> {
  worker.kill('SIGKILL');
  await once(worker, 'exit');
  return startWorker();
}

test(
  'SIGKILLed ten times during a 2,000-invoice upsert under faults: every invoice exactly once, with its values',
  { timeout: 900_000 },
  async () => {
    const amount = (index: number) => 1000 + index;
    const path = writeCsv('invoice-kills.csv', COLUMNS, invoiceRows('KI', INVOICES, amount));
    emulator.configure({ faults: '429=0.05,500=0.02,reset=0.01,lost=0.05' });
    emulator.reset();
    let worker = await startWorker();
    // One request an invoice, as the kills are timed by imports (bulk imports: test/sync-bulk-import.e2e.test.ts).
    const result = runSync(temporal.client, invoiceSpec('invoice-kills', path, { pageSize: 200, bulkImport: 'never' }));
    const imported = () => emulator.stats().byRoute['POST /v1/import/customers/:uuid/invoices']?.['201'] ?? 0;
    for (let kill = 1; kill <= 10; kill++) {
      await waitUntil(() => imported() >= (INVOICES * kill) / 12, `kill ${kill}'s share imported`);
      worker = await killAndRestart(worker);
    }
    const { totals: counted } = await result;
    const faults = emulator.stats().faults;
    emulator.configure({ faults: {} });
    assert.deepEqual(counted, totals({ read: INVOICES, created: INVOICES }));
    assert.ok((faults.lostStatus500 ?? 0) + (faults.lostReset ?? 0) > 0, 'some import answers were lost');
    const invoices = (await allInvoices()).filter((invoice) => String(invoice.external_id).startsWith('KI-'));
    assert.equal(invoices.length, INVOICES);
    assert.equal(new Set(invoices.map((invoice) => invoice.external_id)).size, INVOICES, 'no invoice imported twice');
    for (const invoice of invoices) {
      const index = Number(String(invoice.external_id).slice(3));
      assert.equal(invoice.line_items[0].amount_in_cents, amount(index), `${invoice.external_id}'s amount`);
      assert.equal(invoice.customer_uuid !== undefined, true);
    }
  },
);

test(
  'SIGKILLed while its bulk imports run (one mid-request, one while ChartMogul processes it): each import is found again by its id, never sent twice',
  { timeout: 300_000 },
  async () => {
    const count = 400;
    const path = writeCsv(
      'bulk-kills.csv',
      COLUMNS,
      invoiceRows('KB', count, (index) => 2000 + index),
    );
    // Two pages of 200 on the same customers: two imports, one after the other, each about 2 s to process.
    emulator.configure({ faults: {}, bulkRate: 200 });
    emulator.reset();
    // The first import is taken, and its answer never comes: its activity is mid-request when the worker dies.
    emulator.scriptFaults([
      { route: 'POST /v1/data_sources/:ds/json_imports', fault: { kind: 'lost', answer: 'hang' }, times: 1 },
    ]);
    let worker = await startWorker();
    const result = runSync(temporal.client, invoiceSpec('bulk-kills', path, { pageSize: 200 }));
    const imports = () => emulator.bulkImports().filter((run) => run.externalId?.includes(':bulk-kills:'));
    for (const taken of [1, 2]) {
      await waitUntil(() => imports().length >= taken, `${taken} imports taken`, { everyMs: 10 });
      // The second kill lands while ChartMogul processes the import: the workflow waits on its timer.
      if (taken === 2) await sleep(300);
      worker = await killAndRestart(worker);
    }
    const { totals: counted } = await result;
    emulator.configure({ bulkRate: 0 });
    assert.deepEqual(counted, totals({ read: count, created: count }));
    assert.equal(imports().length, 2, 'an import a page, each sent once');
    assert.equal(new Set(imports().map((run) => run.externalId)).size, 2);
    // The hung POST was never answered: the retry after the kill found the import by its id and sent nothing.
    assert.deepEqual(emulator.stats().byRoute['POST /v1/data_sources/:ds/json_imports'], { 201: 1 });
    assert.equal(emulator.stats().faults.lostHang, 1);
    const invoices = (await allInvoices()).filter((invoice) => String(invoice.external_id).startsWith('KB-'));
    assert.equal(invoices.length, count);
    assert.equal(new Set(invoices.map((invoice) => invoice.external_id)).size, count, 'no invoice imported twice');
    for (const invoice of invoices)
      assert.equal(invoice.line_items[0].amount_in_cents, 2000 + Number(String(invoice.external_id).slice(3)));
  },
);
