// Subscription events through the real worker and the emulator: 2,000 events under 429s and lost answers,
// each event once with its values; a re-run sends nothing; a changed event is updated in place, and one
// changed behind the sync's back is put back by a full refresh.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SUBSCRIPTION_EVENT_TYPES } from '../objects/subscription_events/definition';
import { api, listAll, runSync, totals, useSyncHarness, writeCsv, writesIn } from './helpers/sync';

const CUSTOMERS = 40;
const EVENTS = 2_000;

const harness = useSyncHarness({ seed: 28 }, async ({ emulator }) => {
  for (let index = 0; index < CUSTOMERS; index++)
    await api(emulator, 'POST', '/v1/customers', {
      data_source_uuid: emulator.dataSourceUuid,
      external_id: `EC-${index}`,
      name: `Event customer ${index}`,
    });
});

const HEADER = [
  'id',
  'customer',
  'type',
  'date',
  'effective',
  'subscription',
  'plan',
  'currency',
  'amount',
  'quantity',
  'retracts',
];

/** Event `index`: each of the ten types in turn, priced ones with a plan and an amount, retractions naming the
 * event before them. */
function eventRow(index: number, amount = 1_000 + index): (string | number)[] {
  const type = SUBSCRIPTION_EVENT_TYPES[index % SUBSCRIPTION_EVENT_TYPES.length] ?? 'subscription_cancelled';
  const priced = /start|updat/.test(type) && !type.endsWith('_retracted');
  return [
    `EV-${String(index).padStart(5, '0')}`,
    `EC-${index % CUSTOMERS}`,
    type,
    '2026-11-01',
    '2027-01-01',
    `SUB-${index % CUSTOMERS}`,
    priced ? 'PL-EV' : '',
    priced ? 'USD' : '',
    priced ? amount : '',
    priced ? 1 + (index % 3) : '',
    type.endsWith('_retracted') ? `EV-${String(index - 1).padStart(5, '0')}` : '',
  ];
}

function spec(path: string, options: Record<string, unknown> = {}) {
  return {
    name: 'events',
    object: 'subscription_events',
    mode: 'upsert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path },
    options: { pageSize: 500, ...options },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'customer', to: 'customer_external_id' },
      { from: 'type', to: 'event_type' },
      { from: 'date', to: 'event_date' },
      { from: 'effective', to: 'effective_date' },
      { from: 'subscription', to: 'subscription_external_id' },
      { from: 'plan', to: 'plan_external_id' },
      { from: 'currency', to: 'currency' },
      { from: 'amount', to: 'amount_in_cents' },
      { from: 'quantity', to: 'quantity' },
      { from: 'retracts', to: 'retracted_event_id' },
    ],
  };
}

/** The data source holds each row's event once (those whose external id starts with `prefix`), the first 20
 * with their type, amount and retracted event; answers them by external id. */
async function assertEachEventOnce(prefix: string, rows: (string | number)[][]): Promise<Map<string, any>> {
  const held = (await listAll(harness.emulator, '/v1/subscription_events')).filter((event) =>
    String(event.external_id).startsWith(prefix),
  );
  assert.equal(held.length, rows.length, 'each event once');
  assert.equal(new Set(held.map((event) => event.external_id)).size, rows.length);
  const byId = new Map(held.map((event) => [event.external_id as string, event]));
  for (const row of rows.slice(0, 20)) {
    const event = byId.get(String(row[0]));
    assert.equal(event?.event_type, row[2]);
    assert.equal(event?.amount_in_cents ?? '', row[8]);
    assert.equal(event?.retracted_event_id ?? '', row[10]);
  }
  return byId;
}

test(
  `${EVENTS} subscription events under 20% 429s and 20% lost answers: each event once, with its values`,
  { timeout: 600_000 },
  async () => {
    const { temporal, emulator } = harness;
    const rows = Array.from({ length: EVENTS }, (_, index) => eventRow(index));
    const path = writeCsv('events.csv', HEADER, rows);
    emulator.reset();
    emulator.configure({ faults: '429=0.2,lost=0.2' });
    // One request an event: the lost answers are those of single creates (bulk imports: the test below).
    const first = await runSync(temporal.client, spec(path, { bulkImport: 'never' }));
    emulator.configure({ faults: {} });
    assert.deepEqual(first.totals, totals({ read: EVENTS, created: EVENTS }));
    const faults = emulator.stats().faults;
    assert.ok((faults['429'] ?? 0) > 100, `429s were injected: ${JSON.stringify(faults)}`);
    assert.ok(
      (faults.lostStatus500 ?? 0) + (faults.lostReset ?? 0) > 100,
      `answers were lost: ${JSON.stringify(faults)}`,
    );

    const byId = await assertEachEventOnce('EV-', rows);

    // Nothing changed: nothing is sent.
    emulator.reset();
    const again = await runSync(temporal.client, spec(path));
    assert.deepEqual(again.totals, totals({ read: EVENTS, unchanged: EVENTS }));
    assert.equal(writesIn(emulator.stats()), 0);

    // A changed amount is a PATCH of that event; the event keeps its id.
    const changed = rows.map((row, index) => (index === 1 ? eventRow(1, 4_242) : row));
    writeCsv('events.csv', HEADER, changed);
    const before = byId.get('EV-00001');
    emulator.reset();
    const update = await runSync(temporal.client, spec(path));
    assert.deepEqual(update.totals, totals({ read: EVENTS, updated: 1, unchanged: EVENTS - 1 }));
    assert.equal(writesIn(emulator.stats()), 1);
    const after = (await listAll(emulator, '/v1/subscription_events')).find(
      (event) => event.external_id === 'EV-00001',
    );
    assert.equal(after?.amount_in_cents, 4_242);
    assert.equal(after?.id, before?.id);
  },
);

test(
  'a first load of 600 events goes in bulk imports, one a page: each event once with its values, a lost answer not sent again',
  { timeout: 300_000 },
  async () => {
    const { temporal, emulator } = harness;
    const rows = Array.from({ length: 600 }, (_, index) => eventRow(index)).map((row) => [
      `B${row[0]}`,
      ...row.slice(1, 10),
      row[10] === '' ? '' : `B${row[10]}`,
    ]);
    const path = writeCsv('events-bulk.csv', HEADER, rows);
    const bulk = { ...spec(path, { pageSize: 300 }), name: 'events-bulk' };
    emulator.reset();
    emulator.scriptFaults([
      { route: 'POST /v1/data_sources/:ds/json_imports', fault: { kind: 'lost', answer: 'reset' }, times: 1 },
    ]);
    const first = await runSync(temporal.client, bulk);
    assert.deepEqual(first.totals, totals({ read: 600, created: 600 }), JSON.stringify(first.issues));
    const imports = emulator.bulkImports().filter((run) => run.externalId?.includes(':events-bulk:'));
    assert.equal(imports.length, 2, 'an import a page');
    assert.deepEqual(emulator.stats().byRoute['POST /v1/data_sources/:ds/json_imports'], { 201: 1, dropped: 1 });
    assert.equal(emulator.stats().byRoute['POST /v1/subscription_events'], undefined, 'no event sent alone');
    assert.ok(emulator.stats().total < 20, `${emulator.stats().total} requests for 600 events`);
    await assertEachEventOnce('BEV-', rows);
    emulator.reset();
    assert.deepEqual((await runSync(temporal.client, bulk)).totals, totals({ read: 600, unchanged: 600 }));
    assert.equal(writesIn(emulator.stats()), 0);
  },
);

test(
  'an event changed in ChartMogul behind the sync is put back by a full refresh, and a deleted one made again',
  { timeout: 300_000 },
  async () => {
    const { temporal, emulator } = harness;
    const rows = Array.from({ length: 30 }, (_, index) => eventRow(index)).map((row) => [
      `H${row[0]}`,
      ...row.slice(1),
    ]);
    const path = writeCsv('events-heal.csv', HEADER, rows);
    const heal = { ...spec(path), name: 'events-heal' };
    assert.deepEqual((await runSync(temporal.client, heal)).totals, totals({ read: 30, created: 30 }));
    const held = await listAll(emulator, '/v1/subscription_events');
    const changedBehind = held.find((event) => event.external_id === 'HEV-00001');
    const deletedBehind = held.find((event) => event.external_id === 'HEV-00002');
    await api(emulator, 'PATCH', '/v1/subscription_events', {
      subscription_event: { id: changedBehind.id, amount_in_cents: 1 },
    });
    await api(emulator, 'DELETE', `/v1/subscription_events?subscription_event%5Bid%5D=${deletedBehind.id}`);

    // Incremental: the rows did not change, so nothing is sent (the state store is a cache).
    assert.deepEqual((await runSync(temporal.client, heal)).totals, totals({ read: 30, unchanged: 30 }));
    emulator.reset();
    const refreshed = await runSync(temporal.client, { ...heal, options: { pageSize: 500, fullRefresh: true } });
    assert.deepEqual(refreshed.totals, totals({ read: 30, created: 1, updated: 1, unchanged: 28 }));
    // The listing named each event by its id: one PATCH and one POST, and no event looked up on its own.
    assert.equal(writesIn(emulator.stats()), 2);
    const lookups = emulator.stats().byRoute['GET /v1/subscription_events'];
    assert.equal(
      Object.values(lookups ?? {}).reduce((a, b) => a + b, 0),
      Math.max(1, Math.ceil((held.length - 1) / 200)),
    );
    const after = await listAll(emulator, '/v1/subscription_events');
    const ours = after.filter((event) => String(event.external_id).startsWith('H'));
    assert.equal(ours.length, 30);
    assert.equal(ours.find((event) => event.external_id === 'HEV-00001')?.amount_in_cents, rows[1]?.[8]);
  },
);
