// First loads through ChartMogul's bulk import (2026, json_imports), on a real worker and the emulator: new
// invoices with their line items and payments go in bulk imports, each sent once even when its answer is lost;
// no two imports running at once hold one customer; every row ends created, or goes one by one when
// ChartMogul holds no valid record of it, and an invalid invoice ChartMogul kept is corrected by the next run,
// never doubled; a bulk page's workflow passes pause on to its page workflows.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { ReadPageResult } from '../src/contracts/activities';
import { syncStartOptions, syncWorkflowId } from '../src/contracts/names';
import type { SyncResult } from '../src/contracts/sync-types';
import { MAX_PAGE_BYTES } from '../src/limits';
import { COMPRESSED_ENCODING, GzipPayloadCodec } from '../src/privacy/compression-codec';
import { pauseSignal, resumeSignal } from '../workflows/messages';
import { api, runSync, totals, useSyncHarness, writeCsv, writesIn } from './helpers/sync';
import { waitUntil } from './helpers/wait';

const CUSTOMERS = 30;

const harness = useSyncHarness({ seed: 29 }, async ({ emulator }) => {
  for (let index = 0; index < CUSTOMERS; index++)
    await api(emulator, 'POST', '/v1/customers', {
      data_source_uuid: emulator.dataSourceUuid,
      external_id: `BC-${String(index).padStart(2, '0')}`,
    });
  await api(emulator, 'POST', '/v1/plans', {
    data_source_uuid: emulator.dataSourceUuid,
    external_id: 'BPL',
    name: 'Monthly',
    interval_count: 1,
    interval_unit: 'month',
  });
});

const COLUMNS = ['id', 'customer', 'date', 'currency', 'items', 'payments'];

/** `count` invoices from `prefix`, spread over the customers, each with a subscription line item on `plan`
 * and its payment. */
function invoiceRows(
  prefix: string,
  count: number,
  plan = (_index: number) => 'BPL',
  customerOf = (index: number) => index % CUSTOMERS,
): string[][] {
  return Array.from({ length: count }, (_, index) => {
    const id = `${prefix}-${String(index).padStart(4, '0')}`;
    const customer = `BC-${String(customerOf(index)).padStart(2, '0')}`;
    const item = {
      type: 'subscription',
      external_id: `${id}-li`,
      plan_external_id: plan(index),
      subscription_external_id: `${customer}-${prefix}`,
      service_period_start: '2026-01-01',
      service_period_end: '2026-02-01',
      amount_in_cents: 1000 + index,
    };
    const payment = {
      type: 'payment',
      external_id: `${id}-tr`,
      date: '2026-01-02',
      result: 'successful',
      amount_in_cents: 1000 + index,
    };
    return [id, customer, '2026-01-01', 'USD', JSON.stringify([item]), JSON.stringify([payment])];
  });
}

function spec(name: string, path: string, options: Record<string, unknown> = {}) {
  return {
    name,
    object: 'invoices',
    mode: 'upsert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path },
    options: { pageSize: 500, ...options },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'customer', to: 'customer_external_id' },
      { from: 'date', to: 'date' },
      { from: 'currency', to: 'currency' },
      { from: 'items', to: 'line_items' },
      { from: 'payments', to: 'transactions' },
    ],
  };
}

/** The data source's invoices of `prefix`, valid or not. */
async function invoices(prefix: string, validation = 'all'): Promise<any[]> {
  const { emulator } = harness;
  const found: any[] = [];
  let cursor = '';
  for (;;) {
    const page = await api(
      emulator,
      'GET',
      `/v1/invoices?data_source_uuid=${emulator.dataSourceUuid}&per_page=200&validation_type=${validation}${cursor}`,
    );
    found.push(...page.invoices.filter((invoice: any) => invoice.external_id.startsWith(`${prefix}-`)));
    if (!page.has_more) return found;
    cursor = `&cursor=${encodeURIComponent(page.cursor)}`;
  }
}

/** No two imports that ran at once held one customer (ChartMogul's rule). */
function assertCustomersNeverShared(): void {
  const runs = harness.emulator.bulkImports();
  for (const [index, first] of runs.entries())
    for (const second of runs.slice(index + 1)) {
      const overlapped = second.takenAt < (first.completedAt ?? Infinity);
      const shared = first.customers.filter((customer) => second.customers.includes(customer));
      assert.ok(
        !overlapped || shared.length === 0,
        `${first.externalId} and ${second.externalId} both held ${shared.join(', ')}`,
      );
    }
}

test(
  'a first load of 600 invoices goes in bulk imports: each once with its line item and payment, for a few requests; a lost answer is not sent again',
  { timeout: 300_000 },
  async () => {
    const { temporal, emulator } = harness;
    const path = writeCsv('bulk.csv', COLUMNS, invoiceRows('BI', 600));
    // Slow enough that a page would start while the import before it is processed, were it allowed to.
    emulator.configure({ bulkRate: 2_000 });
    emulator.reset();
    emulator.scriptFaults([
      { route: 'POST /v1/data_sources/:ds/json_imports', fault: { kind: 'lost', answer: 'status500' }, times: 2 },
    ]);
    // Four pages of 150: each holds every customer, so each waits for the one before it.
    const result = await runSync(temporal.client, spec('bulk', path, { pageSize: 150 }));
    emulator.configure({ bulkRate: 0 });
    assert.deepEqual(result.totals, totals({ read: 600, created: 600 }), JSON.stringify(result.issues));
    const held = await invoices('BI');
    assert.equal(held.length, 600, 'each invoice once');
    assert.equal(new Set(held.map((invoice) => invoice.external_id)).size, 600);
    const one = held.find((invoice) => invoice.external_id === 'BI-0007');
    assert.deepEqual(
      [one?.line_items[0]?.amount_in_cents, one?.transactions[0]?.amount_in_cents, Object.keys(one?.errors ?? {})],
      [1007, 1007, []],
    );
    const runs = emulator.bulkImports();
    const posts = emulator.stats().byRoute['POST /v1/data_sources/:ds/json_imports'] ?? {};
    assert.equal(runs.length, 4, 'an import a page');
    assert.equal(new Set(runs.map((run) => run.externalId)).size, runs.length, 'no import id twice');
    // Two answers were lost after the import was taken: the retry found it by its id and sent nothing again.
    assert.deepEqual(posts, { 201: runs.length - 2, 500: 2 });
    assertCustomersNeverShared();
    assert.ok(emulator.stats().total < 60, `${emulator.stats().total} requests for 600 invoices`);

    // Nothing changed: the re-run sends nothing.
    emulator.reset();
    const again = await runSync(temporal.client, spec('bulk', path, { pageSize: 150 }));
    assert.deepEqual(again.totals, totals({ read: 600, unchanged: 600 }));
    assert.equal(writesIn(emulator.stats()), 0);
  },
);

test(
  'pages whose customers are apart import at once; one that shares a customer with a running import waits for it',
  { timeout: 300_000 },
  async () => {
    const { temporal, emulator } = harness;
    // Pages of 100: pages 0 to 2 each on their own 7 customers, page 3 on page 0's again.
    const path = writeCsv(
      'bulk-apart.csv',
      COLUMNS,
      invoiceRows('BA', 400, undefined, (index) => (Math.floor(index / 100) % 3) * 7 + (index % 7)),
    );
    emulator.configure({ bulkRate: 300 });
    emulator.reset();
    const result = await runSync(temporal.client, spec('bulk-apart', path, { pageSize: 100 }));
    emulator.configure({ bulkRate: 0 });
    assert.deepEqual(result.totals, totals({ read: 400, created: 400 }), JSON.stringify(result.issues));
    const runs = emulator.bulkImports().filter((run) => run.externalId?.includes(':bulk-apart:'));
    assert.equal(runs.length, 4);
    const overlapped = (first: (typeof runs)[number], second: (typeof runs)[number]) =>
      second.takenAt < (first.completedAt ?? Infinity) && first.takenAt < (second.completedAt ?? Infinity);
    assert.ok(
      overlapped(runs[0]!, runs[1]!) || overlapped(runs[1]!, runs[2]!),
      `imports of pages apart ran one after another: ${JSON.stringify(runs.map(({ takenAt, completedAt }) => [takenAt, completedAt]))}`,
    );
    assertCustomersNeverShared();
    assert.equal((await invoices('BA', 'valid')).length, 400);
  },
);

test(
  "invoices ChartMogul's bulk import keeps as invalid are rejected with what to do, and corrected by the next run, never doubled",
  { timeout: 300_000 },
  async () => {
    const { temporal, emulator } = harness;
    // Four invoices in five name a plan the data source does not have yet: so many that the next run sends
    // them in bulk again, where ChartMogul's listing of valid records could not see the invalid ones.
    const rows = invoiceRows('BX', 150, (index) => (index % 5 === 0 ? 'BPL' : 'BPL-LATER'));
    const path = writeCsv('bulk-invalid.csv', COLUMNS, rows);
    const first = await runSync(temporal.client, spec('bulk-invalid', path));
    assert.deepEqual(first.totals, totals({ read: 150, created: 30, rejected: 120 }), JSON.stringify(first.issues));
    // The import kept them as invalid; each then went one by one, where its missing plan rejects it.
    assert.match(
      first.issues[0]?.reason ?? '',
      /plan "BPL-LATER" named by invoice BX-0001's line items not found in the data source: sync plans first/,
    );
    assert.equal((await invoices('BX', 'valid')).length, 30);
    assert.equal((await invoices('BX')).length, 150, 'the invalid ones are kept, hidden');

    await api(emulator, 'POST', '/v1/plans', {
      data_source_uuid: emulator.dataSourceUuid,
      external_id: 'BPL-LATER',
      name: 'Later',
      interval_count: 1,
      interval_unit: 'month',
    });
    const importsBefore = emulator.bulkImports().length;
    const second = await runSync(temporal.client, spec('bulk-invalid', path));
    // The import meets each invalid invoice's external id; each row then goes one by one, which deletes the
    // invalid invoice and imports it again, valid (the report says replaced).
    assert.deepEqual(second.totals, totals({ read: 150, updated: 120, unchanged: 30 }), JSON.stringify(second.issues));
    assert.ok(emulator.bulkImports().length > importsBefore, 'the second run sent its 120 rows in bulk first');
    const all = await invoices('BX');
    assert.equal(all.length, 150, 'never doubled');
    assert.deepEqual(
      all.filter((invoice) => Object.keys(invoice.errors).length > 0),
      [],
    );
  },
);

test(
  'insert mode: a first load of invoices goes in one import, then payments on them in one more (the listing of the invoices shows which are new)',
  { timeout: 300_000 },
  async () => {
    const { emulator, temporal } = harness;
    const count = 150;
    const rows = invoiceRows('INS', count).map((row) => [...row.slice(0, 5), '[]']);
    emulator.reset();
    const first = await runSync(temporal.client, {
      ...spec('invoices-insert-bulk', writeCsv('invoices-insert.csv', COLUMNS, rows)),
      mode: 'insert',
    });
    assert.deepEqual(first.totals, totals({ read: count, created: count }), JSON.stringify(first.issues));
    const importsOf = (name: string) =>
      emulator.bulkImports().filter((run) => run.externalId?.includes(`:${name}:`)).length;
    assert.equal(importsOf('invoices-insert-bulk'), 1);
    assert.equal(emulator.stats().byRoute['POST /v1/import/customers/:uuid/invoices'], undefined, 'none alone');

    // Payments on those invoices, and a few on an invoice ChartMogul does not hold, which go alone.
    const payments = [
      ...rows.map(([id], index) => [`${id}-pay`, id ?? '', 'payment', '2026-01-03', 'successful', 500 + index]),
      ...Array.from({ length: 5 }, (_, index) => [
        `NOPE-${index}-pay`,
        `NOPE-${index}`,
        'payment',
        '2026-01-03',
        'successful',
        1,
      ]),
    ];
    const paymentsSpec = {
      name: 'payments-bulk',
      object: 'transactions',
      mode: 'insert',
      dataSourceUuid: emulator.dataSourceUuid,
      source: {
        type: 'file',
        path: writeCsv('payments-bulk.csv', ['id', 'invoice', 'type', 'date', 'result', 'amount'], payments),
      },
      options: { pageSize: 500 },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'invoice', to: 'invoice_external_id' },
        { from: 'type', to: 'type' },
        { from: 'date', to: 'date' },
        { from: 'result', to: 'result' },
        { from: 'amount', to: 'amount_in_cents' },
      ],
    };
    emulator.reset();
    const paid = await runSync(temporal.client, paymentsSpec);
    assert.equal(paid.totals.created, count, JSON.stringify(paid.issues));
    assert.deepEqual(
      paid.issues.map((issue) => issue.key),
      payments.slice(count).map(([id]) => id),
      'the payments on a missing invoice, with their reason',
    );
    assert.equal(importsOf('payments-bulk'), 1);
    assert.equal(emulator.stats().byRoute['POST /v1/import/invoices/:uuid/transactions'], undefined, 'none alone');
    const held = await invoices('INS');
    assert.equal(held.length, count);
    for (const [index, invoice] of held.entries()) {
      const payment = invoice.transactions.filter((transaction: any) => transaction.external_id.endsWith('-pay'));
      assert.deepEqual(
        payment.map((transaction: any) => [transaction.external_id, transaction.amount_in_cents]),
        [[`${invoice.external_id}-pay`, 500 + Number(invoice.external_id.slice(4))]],
        `invoice ${index}`,
      );
    }

    // A re-run sends nothing.
    emulator.reset();
    const again = await runSync(temporal.client, paymentsSpec);
    assert.equal(again.totals.created, 0);
    assert.equal(writesIn(emulator.stats()), 0);
  },
);

test(
  "a first load's pages in bulk are stored compressed, so one sync run holds many of them before it continues as new",
  { timeout: 300_000 },
  async () => {
    const { emulator, temporal } = harness;
    const count = 3_200;
    const path = writeCsv('bulk-many-pages.csv', COLUMNS, invoiceRows('BM', count));
    emulator.reset();
    const name = 'bulk-many-pages';
    // Pages of 500 invoices, sized for bulk imports (over MAX_PAGE_BYTES each): a run counting raw copies of
    // their rows would have continued as new after the third.
    const result = await runSync(temporal.client, spec(name, path, { pageSize: 500 }));
    assert.deepEqual(result.totals, totals({ read: count, created: count }), JSON.stringify(result.issues));
    const imports = emulator.bulkImports().filter((run) => run.externalId?.includes(`:${name}:`)).length;
    assert.ok(imports >= 6, `${imports} imports`);
    const history = await temporal.client.workflow.getHandle(syncWorkflowId(name)).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    assert.equal(started?.continuedExecutionRunId ?? '', '', `${imports} pages in one run`);
    const events = history.events ?? [];
    const readIds = new Set(
      events
        .filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'readPage')
        .map((event) => String(event.eventId)),
    );
    const reads = events
      .map((event) => event.activityTaskCompletedEventAttributes)
      .filter((completed) => completed && readIds.has(String(completed.scheduledEventId)))
      .map((completed) => completed?.result?.payloads?.[0]);
    assert.ok(reads.length >= imports, `${reads.length} reads`);
    // Each full page's rows are stored gzip-compressed (the last, shorter page may be too small to be), and a
    // page read for a bulk import holds more than other pages may.
    for (const payload of reads.slice(0, imports - 1)) {
      assert.equal(Buffer.from(payload?.metadata?.encoding ?? new Uint8Array()).toString(), COMPRESSED_ENCODING);
      const [page] = await new GzipPayloadCodec().decode([payload ?? {}]);
      const { rows, bytes } = JSON.parse(Buffer.from(page?.data ?? new Uint8Array()).toString()) as ReadPageResult;
      assert.equal(rows.length, 500);
      assert.ok((bytes ?? 0) > MAX_PAGE_BYTES, `a page of ${bytes} bytes`);
    }
  },
);

test(
  "pause reaches a bulk page's workflow: the rows its import did not create wait until resume",
  { timeout: 300_000 },
  async () => {
    const { emulator, temporal } = harness;
    // One invoice in five names a plan the data source lacks: the import keeps it as invalid, so it goes one by one.
    const rows = invoiceRows('BP', 150, (index) => (index % 5 === 0 ? 'BPL-MISSING' : 'BPL'));
    const path = writeCsv('bulk-pause.csv', COLUMNS, rows);
    emulator.configure({ bulkRate: 300 });
    emulator.reset();
    const importsBefore = emulator.bulkImports().length;
    const handle = await temporal.client.workflow.start('syncWorkflow', syncStartOptions(spec('bulk-pause', path)));
    await waitUntil(() => emulator.bulkImports().length > importsBefore, 'the import taken');
    await handle.signal(pauseSignal);
    emulator.reset();
    // The import ends with the 30 invalid invoices kept; its look finds each by its external id.
    const lookups = () => Object.values(emulator.stats().byRoute['GET /v1/invoices'] ?? {}).reduce((a, b) => a + b, 0);
    await waitUntil(() => lookups() >= 30, "the import's 30 lookups");
    await sleep(2_000);
    const whilePaused = Object.keys(emulator.stats().byRoute);
    assert.deepEqual(
      whilePaused.filter((route) => !route.includes('json_imports') && route !== 'GET /v1/invoices'),
      [],
      'no row went one by one while paused',
    );
    emulator.reset();
    await handle.signal(resumeSignal);
    const result = (await handle.result()) as SyncResult;
    // Each invalid invoice's procedure looks up its plan: after the resume only.
    assert.ok(emulator.stats().byRoute['GET /v1/plans'], JSON.stringify(emulator.stats().byRoute));
    emulator.configure({ bulkRate: 0 });
    assert.deepEqual(result.totals, totals({ read: 150, created: 120, rejected: 30 }), JSON.stringify(result.issues));
    assert.match(result.issues[0]?.reason ?? '', /plan "BPL-MISSING"/);
  },
);
