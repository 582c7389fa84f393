// Incremental syncs: unchanged rows cost no request, a populated data source is listed (200 a request)
// instead of looked up row by row, and values edited in ChartMogul since the last sync are corrected.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, listAll, runSync, useSyncHarness, writeCsv, totals } from './helpers/sync';
import type { TestEmulator } from './helpers/temporal';

const harness = useSyncHarness();
const ROWS = 450;

function requestsSince(emulator: TestEmulator, before: number): number {
  return emulator.stats().total - before;
}

/** Each test syncs its own data source under its own sync name, so any one runs alone. */
interface Target {
  name: string;
  dataSourceUuid: string;
}

function spec(target: Target, path: string, options: Record<string, unknown> = {}) {
  return {
    name: target.name,
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: target.dataSourceUuid,
    source: { type: 'file', path },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'seats', to: 'seats', type: 'Integer' },
    ],
    options,
  };
}

const names = (changed: Set<number> = new Set()) =>
  Array.from({ length: ROWS }, (_, index) => [
    `I-${String(index).padStart(4, '0')}`,
    `Name ${index}${changed.has(index) ? ' (new)' : ''}`,
    index,
  ]);

/** A data source of its own holding the ROWS customers, as if another tool had made them. */
async function populatedDataSource(name: string): Promise<Target> {
  const source = await api(harness.emulator, 'POST', '/v1/data_sources', { name: `Incremental ${name}` });
  for (const [id, customerName, seats] of names()) {
    await api(harness.emulator, 'POST', '/v1/customers', {
      data_source_uuid: source.uuid,
      external_id: id,
      name: customerName,
      attributes: { custom: [{ type: 'Integer', key: 'seats', value: seats }] },
    });
  }
  return { name, dataSourceUuid: source.uuid };
}

/** A populated data source that a first sync has already seen, so the store knows every row. */
async function syncedOnce(name: string): Promise<Target> {
  const target = await populatedDataSource(name);
  const first = await runSync(
    harness.temporal.client,
    spec(target, writeCsv(`${name}.csv`, ['id', 'name', 'seats'], names())),
  );
  assert.equal(first.totals.unchanged, ROWS);
  return target;
}

test(
  'a populated data source and an empty store: listed, not looked up, and nothing needlessly sent',
  { timeout: 300_000 },
  async () => {
    const { temporal, emulator } = harness;
    const target = await populatedDataSource('incremental-first');
    const before = emulator.stats().total;
    const listingsBefore = emulator.stats().byRoute['GET /v1/customers']?.['200'] ?? 0;
    const result = await runSync(
      temporal.client,
      spec(target, writeCsv('incremental.csv', ['id', 'name', 'seats'], names())),
    );
    assert.deepEqual(result.totals, totals({ read: ROWS, unchanged: ROWS }));
    const requests = requestsSince(emulator, before);
    assert.ok(requests <= Math.ceil(ROWS / 200) + 2, `${requests} requests: ping, data source, and 3 list pages`);
    assert.equal(emulator.stats().byRoute['GET /v1/customers']?.['200'], listingsBefore + Math.ceil(ROWS / 200));
  },
);

test(
  'a re-run with no change sends nothing; 1% changed sends only those rows, without lookups',
  { timeout: 300_000 },
  async () => {
    const { temporal, emulator } = harness;
    const target = await syncedOnce('incremental-rerun');
    let before = emulator.stats().total;
    const unchanged = await runSync(
      temporal.client,
      spec(target, writeCsv('incremental-rerun.csv', ['id', 'name', 'seats'], names())),
    );
    assert.equal(unchanged.totals.unchanged, ROWS);
    assert.ok(requestsSince(emulator, before) / ROWS <= 0.01, `${requestsSince(emulator, before)} requests`);

    const changed = new Set([3, 77, 150, 299]);
    before = emulator.stats().total;
    const lookupsBefore = emulator.stats().byRoute['GET /v1/customers']?.['200'] ?? 0;
    const result = await runSync(
      temporal.client,
      spec(target, writeCsv('incremental-rerun.csv', ['id', 'name', 'seats'], names(changed))),
    );
    assert.deepEqual(result.totals, totals({ read: ROWS, updated: 4, unchanged: ROWS - 4 }));
    assert.equal(requestsSince(emulator, before), 2 + 4, 'ping, data source, then one PATCH per changed row');
    assert.equal(
      emulator.stats().byRoute['GET /v1/customers']?.['200'] ?? 0,
      lookupsBefore,
      'known records need no lookup',
    );
    const stored = await listAll(emulator, '/v1/customers', target.dataSourceUuid);
    assert.equal(stored.find((customer) => customer.external_id === 'I-0077').name, 'Name 77 (new)');
  },
);

test(
  '--full-refresh finds values edited in ChartMogul since the last sync and corrects them',
  { timeout: 300_000 },
  async () => {
    const { temporal, emulator } = harness;
    const target = await syncedOnce('incremental-refresh');
    const customers = await listAll(emulator, '/v1/customers', target.dataSourceUuid);
    const victim = customers.find((customer) => customer.external_id === 'I-0010');
    await api(emulator, 'PATCH', `/v1/customers/${victim.uuid}`, { name: 'Edited by hand in ChartMogul' });
    const path = writeCsv('incremental-refresh.csv', ['id', 'name', 'seats'], names());
    const plain = await runSync(temporal.client, spec(target, path));
    assert.equal(plain.totals.unchanged, ROWS, 'without a refresh the store trusts what it sent');
    const refreshed = await runSync(temporal.client, spec(target, path, { fullRefresh: true }));
    assert.deepEqual(refreshed.totals, totals({ read: ROWS, updated: 1, unchanged: ROWS - 1 }));
    assert.equal(
      (await listAll(emulator, '/v1/customers', target.dataSourceUuid)).find(
        (customer) => customer.external_id === 'I-0010',
      ).name,
      'Name 10',
    );
  },
);

test('into an empty data source, rows are created without lookups; one made elsewhere meanwhile is updated, not duplicated', async () => {
  const { temporal, emulator } = harness;
  const source = await api(emulator, 'POST', '/v1/data_sources', { name: 'Empty for incremental' });
  const path = writeCsv(
    'empty-ds.csv',
    ['id', 'name', 'seats'],
    [
      ['E-1', 'One', 1],
      ['E-2', 'Two', 2],
      ['E-3', 'Three', 3],
    ],
  );
  const lookupsBefore = emulator.stats().byRoute['GET /v1/customers']?.['200'] ?? 0;
  const spec = {
    name: 'empty-ds',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: source.uuid,
    source: { type: 'file', path },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'seats', to: 'seats', type: 'Integer' },
    ],
  };
  const result = await runSync(temporal.client, spec);
  assert.deepEqual(result.totals, totals({ read: 3, created: 3 }));
  assert.equal(
    (emulator.stats().byRoute['GET /v1/customers']?.['200'] ?? 0) - lookupsBefore,
    1,
    'one listing, no lookups',
  );

  // E-4 was made elsewhere since the last run: the refresh's listing finds it, so it is updated, not duplicated.
  const raced = writeCsv(
    'empty-ds.csv',
    ['id', 'name', 'seats'],
    [
      ['E-1', 'One', 1],
      ['E-2', 'Two', 2],
      ['E-3', 'Three', 3],
      ['E-4', 'Four', 4],
      ['E-5', 'Five', 5],
      ['E-6', 'Six', 6],
    ],
  );
  await api(emulator, 'POST', '/v1/customers', {
    data_source_uuid: source.uuid,
    external_id: 'E-4',
    name: 'Made elsewhere',
  });
  const second = await runSync(temporal.client, {
    ...spec,
    source: { type: 'file', path: raced },
    options: { fullRefresh: true },
  });
  assert.deepEqual(second.totals, totals({ read: 6, created: 2, updated: 1, unchanged: 3 }));
  const customers = await listAll({ ...emulator, dataSourceUuid: source.uuid }, '/v1/customers');
  assert.equal(customers.length, 6);
  assert.equal(customers.find((customer) => customer.external_id === 'E-4').name, 'Four');
});
