// A dry run shows the change before it is made: against a populated emulator, 2,000 rows with 5% changed in
// two fields report exactly those rows and fields, with ChartMogul's value and the row's, the counts per field
// and the "changes pending" exit code; with nothing changed it exits "nothing would change". The emulator sees
// no write. Both ways of knowing ChartMogul's values are covered: a listing of the data source (when it costs
// fewer requests) and, for a few rows the store knows, a read of each changed record by its UUID.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { ReportEntry } from '../src/contracts/sync-types';
import { killStartedProcesses, runCommand, startWorkerProcess } from './helpers/processes';
import { reportEntries, workFolder, writeCsv, writesIn } from './helpers/sync';
import { startTestEmulator, startTestTemporal, type TestEmulator, type TestTemporal } from './helpers/temporal';

const ROWS = 2000;
const CHANGED = 100;
const EXIT_CHANGES_PENDING = 4;

let temporal: TestTemporal;
let emulator: TestEmulator;

before(async () => {
  temporal = await startTestTemporal();
  emulator = await startTestEmulator();
});

after(async () => {
  killStartedProcesses();
  await emulator?.stop();
  await temporal?.stop();
});

const key = (index: number) => `DRY-${String(index).padStart(5, '0')}`;
/** Every 20th row changes both its name and its Seats: 5%. */
const changes = (index: number) => index % 20 === 7;

function writeRows(changed: boolean, indexes = Array.from({ length: ROWS }, (_, index) => index)): string {
  return writeCsv(
    indexes.length === ROWS ? 'dry-run.csv' : 'dry-run-few.csv',
    ['id', 'name', 'seats', 'owner'],
    indexes.map((index) => {
      const edit = changed && changes(index);
      return [key(index), edit ? `Renamed ${index}` : `Customer ${index}`, edit ? 12 : 10, 'ops@example.com'];
    }),
  );
}

function writeSpec(path: string, name = 'dry-run.sync.json'): string {
  const spec = join(workFolder, name);
  writeFileSync(
    spec,
    JSON.stringify({
      name: 'dry-run',
      object: 'customers',
      mode: 'upsert',
      dataSourceUuid: emulator.dataSourceUuid,
      source: { type: 'file', path },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'name', to: 'name' },
        { from: 'seats', to: 'Seats', type: 'Integer' },
        { from: 'owner', to: 'owner_email', type: 'String' },
      ],
    }),
  );
  return spec;
}

const storeIn = (folder: string) => join(folder, '.state', 'chartmogul-sync.sqlite');

/** `run` in its own folder (its own state store and reports), on the test's Temporal server. */
async function run(folder: string, ...args: string[]) {
  mkdirSync(folder, { recursive: true });
  const outcome = await runCommand(['run', ...args, '--json'], {
    cwd: folder,
    env: {
      ...process.env,
      ...emulator.env,
      TEMPORAL_ADDRESS: temporal.server.address,
      STATE_SQLITE_PATH: storeIn(folder),
    },
  });
  const result = JSON.parse(outcome.stdout.trim().split('\n').pop() || '{}');
  return { ...outcome, result };
}

/** `status --json` once the sync has finished. */
async function waitForStatus(env: NodeJS.ProcessEnv) {
  for (;;) {
    const status = await runCommand(['status', 'dry-run', '--json'], { env: { ...process.env, ...env } });
    if (JSON.parse(status.stdout || '{}').status !== 'running') return status;
    await sleep(500);
  }
}

const writes = () => writesIn(emulator.stats());

function assertExactChanges(entries: ReportEntry[]): void {
  const expected = Array.from({ length: ROWS }, (_, index) => index).filter(changes);
  assert.deepEqual(
    entries.map((entry) => entry.key),
    expected.map(key),
    'exactly the changed rows',
  );
  for (const entry of entries) {
    const index = Number(entry.key.slice(4));
    assert.equal(entry.status, 'would-update');
    assert.deepEqual(
      [...(entry.changes ?? [])].sort((a, b) => a.field.localeCompare(b.field)),
      [
        { field: 'custom.Seats', from: 10, to: 12 },
        { field: 'name', from: `Customer ${index}`, to: `Renamed ${index}` },
      ],
      entry.key,
    );
  }
}

test(
  'a dry run reports every changed row and field with old and new values, and writes nothing',
  { timeout: 600_000 },
  async () => {
    const spec = writeSpec(writeRows(false));
    const populate = await run(join(workFolder, 'synced'), spec);
    assert.equal(populate.code, 0, populate.stderr);
    assert.equal(populate.result.totals.created, ROWS);
    const writesBefore = writes();

    // A few rows of a large data source, started on a worker: each changed record is read by its UUID (a listing
    // would cost more; the rows are past the first page the plan reads), and `status` shows the counts and
    // exits "changes pending".
    const fewSpec = writeSpec(writeRows(true, [1907, 1927, 1947, 1908, 1909]), 'dry-run-few.sync.json');
    const storeEnv = {
      ...emulator.env,
      TEMPORAL_ADDRESS: temporal.server.address,
      STATE_SQLITE_PATH: storeIn(join(workFolder, 'synced')),
    };
    const worker = await startWorkerProcess(storeEnv, ['--reports-dir', join(workFolder, 'few-reports')]);
    const readsBefore = emulator.stats().byRoute['GET /v1/customers/:uuid']?.['200'] ?? 0;
    const start = await runCommand(['start', fewSpec, '--dry-run'], { env: { ...process.env, ...storeEnv } });
    assert.equal(start.code, 0, start.stderr);
    assert.match(start.stderr, /Started a dry run of sync "dry-run"/);
    const status = await waitForStatus(storeEnv);
    worker.kill('SIGTERM');
    assert.equal(status.code, EXIT_CHANGES_PENDING, status.stderr);
    assert.deepEqual(JSON.parse(status.stdout).changedFields, { 'custom.Seats': 3, name: 3 });
    assert.equal((emulator.stats().byRoute['GET /v1/customers/:uuid']?.['200'] ?? 0) - readsBefore, 3);

    writeRows(true);
    // The store of the run that populated ChartMogul: the changed rows are read by their UUIDs.
    const known = await run(join(workFolder, 'synced'), spec, '--dry-run');
    assert.equal(known.code, EXIT_CHANGES_PENDING, known.stderr);
    assert.deepEqual(known.result.changedFields, { 'custom.Seats': CHANGED, name: CHANGED });
    assert.deepEqual(known.result.totals.updated, CHANGED);
    assert.equal(known.result.totals.unchanged, ROWS - CHANGED);
    assertExactChanges(reportEntries(known.result.reportPath));
    assert.match(known.stderr, /Dry run: 100 rows would change: 0 created, 100 updated/);
    assert.match(known.stderr, /By field: custom\.Seats: 100 rows, name: 100 rows/);
    assert.match(
      known.stderr,
      /~ DRY-00007: (name "Customer 7" → "Renamed 7", custom\.Seats 10 → 12|custom\.Seats 10 → 12, name "Customer 7" → "Renamed 7")/,
    );

    // A fresh store: the data source is listed (fewer requests than 2,000 lookups), then compared.
    const listingsBefore = emulator.stats().byRoute['GET /v1/customers']?.['200'] ?? 0;
    const fresh = await run(join(workFolder, 'fresh'), spec, '--dry-run');
    assert.equal(fresh.code, EXIT_CHANGES_PENDING, fresh.stderr);
    assert.deepEqual(fresh.result.changedFields, { 'custom.Seats': CHANGED, name: CHANGED });
    assertExactChanges(reportEntries(fresh.result.reportPath));
    assert.ok((emulator.stats().byRoute['GET /v1/customers']?.['200'] ?? 0) > listingsBefore, 'it was listed');

    // Nothing changed: the exit code says so.
    writeRows(false);
    const none = await run(join(workFolder, 'synced'), spec, '--dry-run');
    assert.equal(none.code, 0, none.stderr);
    assert.deepEqual(none.result.changedFields, {});
    assert.match(none.stderr, /Dry run: nothing would change/);

    assert.equal(writes(), writesBefore, 'no dry run wrote to ChartMogul');
  },
);
