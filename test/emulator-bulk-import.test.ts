// The emulator's bulk import as ChartMogul documents it (2026, "Import Data in Bulk", "Track the status"): one
// body of linked objects, answered `queued` and processed afterwards customer by customer, at a set rate;
// status_details by customer; invalid objects kept and marked failed; over 5 MB refused; the emulator's
// choices for a repeated import id and repeated objects.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startEmulator } from '../src/emulator';

const API_KEY = 'bulk-key';
const DS = 'ds_00000000-0000-4000-8000-0000000b0c1c';
let emulator: Awaited<ReturnType<typeof startEmulator>>;

before(async () => {
  emulator = await startEmulator({ apiKey: API_KEY, dataSources: [DS], rps: 0, maxConnections: 0 });
});
after(() => emulator.stop());

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(emulator.url + path, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const IMPORTS = `/v1/data_sources/${DS}/json_imports`;

/** Two customers with a subscription invoice each (line item and payment in their own arrays, linked by
 * external ids), a plan, and a scheduled cancellation. `prefix` keeps bodies apart. */
function body(prefix: string, planExternalId = `${prefix}-plan`) {
  const customers = [`${prefix}-c1`, `${prefix}-c2`];
  return {
    external_id: `${prefix}-import`,
    plans: [{ external_id: `${prefix}-plan`, name: 'Monthly', interval_count: 1, interval_unit: 'month' }],
    customers: customers.map((external_id) => ({ external_id, name: external_id, country: 'US' })),
    invoices: customers.map((customer, index) => ({
      external_id: `${prefix}-inv-${index}`,
      customer_external_id: customer,
      date: '2026-01-01 00:00:00',
      currency: 'USD',
    })),
    line_items: customers.map((_customer, index) => ({
      invoice_external_id: `${prefix}-inv-${index}`,
      type: 'subscription',
      external_id: `${prefix}-li-${index}`,
      plan_external_id: planExternalId,
      subscription_external_id: `${prefix}-sub-${index}`,
      service_period_start: '2026-01-01',
      service_period_end: '2026-02-01',
      amount_in_cents: 1000 + index,
    })),
    transactions: customers.map((_customer, index) => ({
      invoice_external_id: `${prefix}-inv-${index}`,
      external_id: `${prefix}-tr-${index}`,
      type: 'payment',
      date: '2026-01-02',
      result: 'successful',
      amount_in_cents: 1000 + index,
    })),
    subscription_events: [
      {
        external_id: `${prefix}-ev-0`,
        customer_external_id: customers[0],
        event_type: 'subscription_cancellation_scheduled',
        event_date: '2026-11-01',
        effective_date: '2027-01-01',
        subscription_external_id: `${prefix}-sub-0`,
      },
    ],
  };
}

async function invoicesOf(validation = 'valid') {
  const listed = await api('GET', `/v1/invoices?data_source_uuid=${DS}&per_page=200&validation_type=${validation}`);
  return listed.body.invoices as any[];
}

test('an import is answered queued, then holds every object as its own endpoint would, with its status by customer', async () => {
  const created = await api('POST', IMPORTS, body('ok'));
  assert.equal(created.status, 201);
  assert.equal(created.body.status, 'queued');
  assert.equal(created.body.external_id, 'ok-import');
  assert.equal(typeof created.body.id, 'string');
  for (const name of [created.body.id, 'ok-import']) {
    const tracked = await api('GET', `${IMPORTS}/${name}`);
    assert.equal(tracked.body.status, 'completed', name);
    assert.deepEqual(tracked.body.status_details, {
      plans: { status: 'imported' },
      'ok-c1': {
        status: 'imported',
        customers: { status: 'imported' },
        invoices: { status: 'imported' },
        line_items: { status: 'imported' },
        transactions: { status: 'imported' },
        subscription_events: { status: 'imported' },
      },
      'ok-c2': {
        status: 'imported',
        customers: { status: 'imported' },
        invoices: { status: 'imported' },
        line_items: { status: 'imported' },
        transactions: { status: 'imported' },
      },
    });
    assert.deepEqual([tracked.body.processed_count, tracked.body.error_count], [10, 0]);
  }
  const invoice = (await invoicesOf()).find((entry) => entry.external_id === 'ok-inv-1');
  assert.equal(invoice?.line_items[0]?.plan_external_id, 'ok-plan');
  assert.equal(invoice?.line_items[0]?.amount_in_cents, 1001);
  assert.equal(invoice?.transactions[0]?.external_id, 'ok-tr-1');
  const events = await api('GET', `/v1/subscription_events?data_source_uuid=${DS}&external_id=ok-ev-0`);
  assert.equal(events.body.subscription_events.length, 1);
});

test('an invalid invoice is kept, hidden from default reads and marked failed; a repeated object fails and is never doubled', async () => {
  const broken = body('bad', 'no-such-plan');
  const created = await api('POST', IMPORTS, broken);
  const tracked = await api('GET', `${IMPORTS}/${created.body.id}`);
  assert.equal(tracked.body.status_details['bad-c1'].status, 'failed');
  assert.deepEqual(tracked.body.status_details['bad-c1'].invoices, { status: 'failed' });
  assert.deepEqual(tracked.body.status_details['bad-c1'].customers, { status: 'imported' });
  assert.ok(tracked.body.error_count >= 2);
  assert.equal((await invoicesOf()).filter((entry) => entry.external_id.startsWith('bad-')).length, 0);
  const kept = (await invoicesOf('all')).filter((entry) => entry.external_id.startsWith('bad-'));
  assert.deepEqual(
    kept.map((entry) => [entry.external_id, Object.keys(entry.errors)]),
    [
      ['bad-inv-0', ['line_items.plan_uuid']],
      ['bad-inv-1', ['line_items.plan_uuid']],
    ],
  );

  // The same objects again under another import id: each fails on its taken external id, none is doubled.
  const again = await api('POST', IMPORTS, { ...body('ok'), external_id: 'ok-import-again' });
  const repeated = await api('GET', `${IMPORTS}/${again.body.id}`);
  assert.equal(repeated.body.status_details['ok-c1'].status, 'failed');
  assert.equal((await invoicesOf('all')).filter((entry) => entry.external_id === 'ok-inv-0').length, 1);
});

test("a repeated import id is refused (the emulator's choice), and a body over 5 MB is refused before anything is kept", async () => {
  const repeated = await api('POST', IMPORTS, body('ok'));
  assert.deepEqual([repeated.status, repeated.body], [422, { errors: { external_id: 'has already been taken' } }]);
  const huge = {
    external_id: 'huge',
    customers: Array.from({ length: 30_000 }, (_, index) => ({ external_id: `huge-${index}`, name: 'x'.repeat(200) })),
  };
  const refused = await api('POST', IMPORTS, huge);
  assert.equal(refused.status, 413);
  assert.equal((await api('GET', `${IMPORTS}/huge`)).status, 404);
});

test('at a set rate an import is queued, then processing, then completed, customer by customer', async () => {
  emulator.configure({ bulkRate: 40 });
  try {
    const slow = body('slow');
    const many = {
      ...slow,
      customers: [
        ...slow.customers,
        ...Array.from({ length: 20 }, (_, index) => ({ external_id: `slow-x${index}`, name: 'x' })),
      ],
    };
    const started = Date.now();
    const created = await api('POST', IMPORTS, many);
    const seen = new Set<string>([created.body.status]);
    let tracked: any;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      tracked = (await api('GET', `${IMPORTS}/${created.body.id}`)).body;
      seen.add(tracked.status);
    } while (tracked.status !== 'completed');
    assert.deepEqual([...seen], ['queued', 'processing', 'completed']);
    assert.ok(Date.now() - started >= 300, 'about 30 records at 40 a second take most of a second');
    assert.equal(Object.keys(tracked.status_details).length, 23, 'the plans and each of 22 customers');
  } finally {
    emulator.configure({ bulkRate: 0 });
  }
});
