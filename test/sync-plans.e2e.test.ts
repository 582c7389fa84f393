// Plans end to end on a real Temporal server and the emulator: upsert, insert, update, bad rows, unchanged
// re-runs, and every plan exactly once when creates lose their answers.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, listAll, runSync, useSyncHarness, writeCsv, writesIn, totals } from './helpers/sync';

const harness = useSyncHarness({ seed: 21 });

const COLUMNS = ['id', 'name', 'count', 'unit'];
const MAPPING = [
  { from: 'id', to: 'external_id' },
  { from: 'name', to: 'name' },
  { from: 'count', to: 'interval_count' },
  { from: 'unit', to: 'interval_unit' },
];

function spec(name: string, mode: string, path: string, options: Record<string, unknown> = { pageSize: 3 }) {
  return {
    name,
    object: 'plans',
    mode,
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path },
    mapping: MAPPING,
    options,
  };
}

/** Writes (anything but a GET) the emulator saw since the last reset of its counters. */
function writes(): number {
  return writesIn(harness.emulator.stats());
}

async function plansByKey(): Promise<Map<string, Record<string, unknown>>> {
  const plans = await listAll(harness.emulator, '/v1/plans');
  return new Map(plans.map((plan) => [plan.external_id as string, plan]));
}

/** `count` plans `<prefix>-000` on, named `<name> <index>`, of every interval. */
function planRows(prefix: string, count: number, name: string): (string | number)[][] {
  return Array.from({ length: count }, (_, index) => [
    `${prefix}-${String(index).padStart(3, '0')}`,
    `${name} ${index}`,
    (index % 12) + 1,
    ['day', 'month', 'year'][index % 3] ?? 'month',
  ]);
}

/** The data source holds each row's plan once (those whose external id starts with `prefix`), with its values. */
async function assertEachPlanOnce(prefix: string, rows: (string | number)[][]): Promise<void> {
  const plans = [...(await plansByKey()).values()].filter((plan) => String(plan.external_id).startsWith(prefix));
  assert.equal(plans.length, rows.length, 'each plan once');
  for (const [id, name, count, unit] of rows) {
    const plan = plans.find((candidate) => candidate.external_id === id);
    assert.deepEqual([plan?.name, plan?.interval_count, plan?.interval_unit], [name, count, unit]);
  }
}

test('upsert: plans land with their interval; bad rows are rejected with reasons; a re-run sends only the change', async () => {
  const rows = [
    ['PL-1', 'Bronze', 1, 'month'],
    ['PL-2', 'Silver yearly', '1', 'Year'],
    ['PL-3', 'Fortnightly', 2, 'fortnight'],
    ['PL-4', 'Half', '1.5', 'month'],
    ['PL-5', 'Zero', 0, 'day'],
    ['PL-6', 'Trial week', 7, 'day'],
  ];
  const path = writeCsv('plans-upsert.csv', COLUMNS, rows);
  const result = await runSync(harness.temporal.client, spec('plans-upsert', 'upsert', path));
  assert.equal(result.status, 'completed');
  assert.deepEqual(result.totals, totals({ read: 6, created: 3, rejected: 3 }));
  const reason = (key: string) => result.issues.find((issue) => issue.key === key)?.reason ?? '';
  assert.match(reason('PL-3'), /field "interval_unit" value "fortnight": expected one of day, month, year/);
  assert.match(reason('PL-4'), /field "interval_count" value "1.5": expected a whole number of at least 1/);
  assert.match(reason('PL-5'), /field "interval_count" value "0": expected a whole number of at least 1/);

  const plans = await plansByKey();
  assert.deepEqual(
    [...plans.values()]
      .map(({ external_id, name, interval_count, interval_unit }) => [external_id, name, interval_count, interval_unit])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    [
      ['PL-1', 'Bronze', 1, 'month'],
      ['PL-2', 'Silver yearly', 1, 'year'],
      ['PL-6', 'Trial week', 7, 'day'],
    ],
  );

  // Nothing changed: nothing sent. Then one name and one interval change: one PATCH each, in place.
  harness.emulator.reset();
  const again = await runSync(harness.temporal.client, spec('plans-upsert', 'upsert', path));
  assert.deepEqual(again.totals, totals({ read: 6, unchanged: 3, rejected: 3 }));
  assert.equal(writes(), 0);
  rows[0] = ['PL-1', 'Bronze+', 1, 'month'];
  rows[5] = ['PL-6', 'Trial week', 14, 'day'];
  writeCsv('plans-upsert.csv', COLUMNS, rows);
  harness.emulator.reset();
  const changed = await runSync(harness.temporal.client, spec('plans-upsert', 'upsert', path));
  assert.deepEqual(changed.totals, totals({ read: 6, updated: 2, unchanged: 1, rejected: 3 }));
  assert.deepEqual(harness.emulator.stats().byRoute['PATCH /v1/plans/:uuid'], { '202': 2 });
  assert.equal(writes(), 2, 'no plan created twice');
  const after = await plansByKey();
  assert.equal(after.size, 3);
  assert.equal(after.get('PL-1')?.name, 'Bronze+');
  assert.equal(after.get('PL-6')?.interval_count, 14);
  assert.equal(after.get('PL-6')?.uuid, plans.get('PL-6')?.uuid, 'changed in place, never re-created');
});

test('insert: a plan already there with the same values is unchanged; with other values it fails naming them', async () => {
  const { emulator } = harness;
  for (const [externalId, name] of [
    ['INS-1', 'Gold'],
    ['INS-2', 'Platinum'],
  ])
    await api(emulator, 'POST', '/v1/plans', {
      data_source_uuid: emulator.dataSourceUuid,
      external_id: externalId,
      name,
      interval_count: 1,
      interval_unit: 'month',
    });
  const path = writeCsv('plans-insert.csv', COLUMNS, [
    ['INS-1', 'Gold', 1, 'month'],
    ['INS-2', 'Platinum', 3, 'month'],
    ['INS-3', 'Diamond', 1, 'year'],
  ]);
  // No prefetch (incremental off): every create meets what is there, as a run cut short before its records would.
  const result = await runSync(
    harness.temporal.client,
    spec('plans-insert', 'insert', path, { incremental: false, pageSize: 3 }),
  );
  assert.deepEqual(result.totals, totals({ read: 3, created: 1, unchanged: 1, failed: 1 }));
  const failed = result.issues.find((issue) => issue.key === 'INS-2');
  assert.equal(failed?.status, 'failed');
  assert.match(failed?.reason ?? '', /interval_count: 1 in ChartMogul, 3 in the row/);
  assert.match(failed?.reason ?? '', /upsert or update mode/);
  const plans = await plansByKey();
  assert.equal(plans.get('INS-2')?.interval_count, 1, 'insert mode changed nothing');
  assert.equal([...plans.keys()].filter((key) => key.startsWith('INS-')).length, 3);
});

test('update: a plan that is not there is rejected with what to do; one that is there is changed', async () => {
  const path = writeCsv('plans-update.csv', COLUMNS, [
    ['PL-1', 'Bronze renamed', 1, 'month'],
    ['NOPE-1', 'Ghost', 1, 'month'],
  ]);
  const result = await runSync(harness.temporal.client, spec('plans-update', 'update', path));
  assert.deepEqual(result.totals, totals({ read: 2, updated: 1, rejected: 1 }));
  assert.match(
    result.issues.find((issue) => issue.key === 'NOPE-1')?.reason ?? '',
    /plan not found for update: no plan with external_id "NOPE-1"/,
  );
  assert.equal((await plansByKey()).get('PL-1')?.name, 'Bronze renamed');
});

test(
  'under 20% 429s and 30% lost create answers, every plan exists once with its values',
  { timeout: 300_000 },
  async () => {
    const { emulator } = harness;
    const rows = planRows('LOST', 60, 'Plan');
    const path = writeCsv('plans-lost.csv', COLUMNS, rows);
    emulator.configure({ faults: '429=0.2,lost=0.3' });
    try {
      const result = await runSync(harness.temporal.client, spec('plans-lost', 'upsert', path, { pageSize: 30 }));
      assert.deepEqual(result.totals, totals({ read: 60, created: 60 }));
    } finally {
      emulator.configure({ faults: '' });
    }
    assert.ok(
      (emulator.stats().faults.lostStatus500 ?? 0) + (emulator.stats().faults.lostReset ?? 0) > 0,
      'answers were lost',
    );
    await assertEachPlanOnce('LOST-', rows);
  },
);

test(
  'a first load of 150 plans goes in one bulk import; a plan it created is changed in place later, found by its external id',
  { timeout: 300_000 },
  async () => {
    const { emulator } = harness;
    const rows = planRows('BULK', 150, 'Bulk plan');
    const path = writeCsv('plans-bulk.csv', COLUMNS, rows);
    emulator.reset();
    const first = await runSync(harness.temporal.client, spec('plans-bulk', 'upsert', path, { pageSize: 200 }));
    assert.deepEqual(first.totals, totals({ read: 150, created: 150 }), JSON.stringify(first.issues));
    assert.equal(emulator.bulkImports().filter((run) => run.externalId?.includes(':plans-bulk:')).length, 1);
    assert.equal(emulator.stats().byRoute['POST /v1/plans'], undefined, 'no plan sent alone');
    await assertEachPlanOnce('BULK-', rows);

    // The import told no UUID: a changed plan is looked up by its external id, then changed in place.
    writeCsv(
      'plans-bulk.csv',
      COLUMNS,
      rows.map((row, index) => (index === 7 ? [row[0] ?? '', 'Renamed', ...row.slice(2)] : row)),
    );
    emulator.reset();
    const second = await runSync(harness.temporal.client, spec('plans-bulk', 'upsert', path, { pageSize: 200 }));
    assert.deepEqual(second.totals, totals({ read: 150, updated: 1, unchanged: 149 }));
    assert.equal(writes(), 1);
    assert.equal((await plansByKey()).get('BULK-007')?.name, 'Renamed');
    assert.equal([...(await plansByKey()).keys()].filter((key) => key.startsWith('BULK-')).length, 150);
  },
);
