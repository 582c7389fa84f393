// Steering a running sync: progress, pause and resume, cancel, dry runs, invalid specs, and a start from
// the `temporal` CLI with the spec as its only input.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { WorkflowFailedError } from '@temporalio/client';

import { queryProgress, startSync, syncHandle } from '../src/client/sync-client';
import { parseSpec, type SyncSpec } from '../src/sync-spec/schema';
import { findTemporalCli } from '../src/temporal/cli-binary';
import { pauseSignal, resumeSignal } from '../workflows/messages';
import { listAll, runSync, useSyncHarness, writeCsv, totals } from './helpers/sync';
import { readConfig } from '../src/config';

const harness = useSyncHarness({ latency: '60-100' });

function customersSpec(name: string, rows: number, options: Record<string, unknown> = {}): SyncSpec {
  const path = writeCsv(
    `${name}.csv`,
    ['id', 'name'],
    Array.from({ length: rows }, (_, index) => [`${name}-${String(index).padStart(4, '0')}`, `Row ${index}`]),
  );
  const parsed = parseSpec({
    name,
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
    ],
    // One request a row (no bulk import), so pauses and cancels land while rows are in flight.
    options: { concurrency: 4, bulkImport: 'never', ...options },
  });
  assert.ok(parsed.ok);
  return parsed.spec;
}

async function customersNamed(prefix: string): Promise<number> {
  return (await listAll(harness.emulator, '/v1/customers')).filter((customer) =>
    customer.external_id.startsWith(prefix),
  ).length;
}

async function waitForProgress(name: string, read: number) {
  for (;;) {
    const progress = await queryProgress(syncHandle(harness.temporal.client, name));
    if (progress && progress.read >= read) return progress;
    await sleep(100);
  }
}

test(
  'progress moves; pause stops new rows after those in flight; resume finishes the sync',
  { timeout: 180_000 },
  async () => {
    const spec = customersSpec('pausing', 120);
    const handle = await startSync(harness.temporal.client, spec);
    const early = await waitForProgress('pausing', 10);
    assert.ok(early.created >= 10 && early.requestsPerSecond > 0, JSON.stringify(early));
    await handle.signal(pauseSignal);
    await sleep(1_500);
    const paused = await queryProgress(handle);
    assert.equal(paused?.paused, true);
    const frozen = await customersNamed('pausing');
    await sleep(1_500);
    assert.equal(await customersNamed('pausing'), frozen, 'no rows start while paused');
    assert.ok(frozen < 120);
    await handle.signal(resumeSignal);
    const result = await handle.result();
    assert.deepEqual(result.totals, totals({ read: 120, created: 120 }));
    assert.equal(result.status, 'completed');
  },
);

test(
  'cancel finishes the rows in flight and reports totals that match what was written',
  { timeout: 180_000 },
  async () => {
    const handle = await startSync(harness.temporal.client, customersSpec('cancelling', 120, { pageSize: 15 }));
    await waitForProgress('cancelling', 10);
    await handle.cancel();
    const result = await handle.result();
    assert.equal(result.status, 'cancelled');
    assert.ok(result.totals.read < 120, `read ${result.totals.read}`);
    assert.equal(await customersNamed('cancelling'), result.totals.created, 'every row written is counted');
  },
);

test('a dry run looks records up and writes nothing', async () => {
  await runSync(harness.temporal.client, customersSpec('dry', 3));
  const before = harness.emulator.stats();
  const spec = customersSpec('dry', 5, { dryRun: true });
  const result = await runSync(harness.temporal.client, spec);
  assert.deepEqual(result.totals, totals({ read: 5, created: 2, unchanged: 3 }));
  assert.equal(await customersNamed('dry'), 3);
  const after = harness.emulator.stats();
  for (const route of ['POST /v1/customers', 'PATCH /v1/customers/:uuid']) {
    assert.deepEqual(after.byRoute[route], before.byRoute[route], `${route} was not called`);
  }
});

test('an invalid spec fails the workflow with every problem listed', async () => {
  await assert.rejects(
    runSync(harness.temporal.client, { name: 'broken', object: 'customers', mode: 'sideways', mapping: [] }),
    (error: unknown) => {
      assert.ok(error instanceof WorkflowFailedError);
      const message = error.cause?.message ?? '';
      assert.match(message, /mode: /);
      assert.match(message, /dataSourceUuid: /);
      assert.match(message, /source: /);
      return true;
    },
  );
});

test('a source that cannot be read fails the sync at once with the reason', async () => {
  const spec = { ...customersSpec('unreadable', 1), source: { type: 'file' as const, path: '/nowhere/customers.csv' } };
  await assert.rejects(runSync(harness.temporal.client, spec), (error: unknown) => {
    assert.ok(error instanceof WorkflowFailedError);
    let cause: Error | undefined = error.cause;
    while (cause?.cause instanceof Error) cause = cause.cause;
    assert.match(cause?.message ?? '', /could not read the file "\/nowhere\/customers.csv"/);
    return true;
  });
});

test('a spec mapping a column its source lacks fails the sync before any request, naming the column', async () => {
  const base = customersSpec('missing-column', 3);
  const spec = { ...base, mapping: [...base.mapping, { from: 'seatz', to: 'seats' }] };
  const before = harness.emulator.stats().total;
  await assert.rejects(runSync(harness.temporal.client, spec), (error: unknown) => {
    assert.ok(error instanceof WorkflowFailedError);
    let cause: Error | undefined = error.cause;
    while (cause?.cause instanceof Error) cause = cause.cause;
    assert.match(cause?.message ?? '', /mapping\[2\]\.from: column "seatz" is not in the source/);
    assert.match(cause?.message ?? '', /the source has the columns "id", "name"/);
    return true;
  });
  assert.equal(harness.emulator.stats().total, before, 'no request reached ChartMogul');
});

test('`temporal workflow start --input <spec>` runs a sync', async () => {
  const cli = await findTemporalCli(readConfig().temporalCli);
  assert.ok(cli, 'the temporal CLI is installed');
  const spec = customersSpec('from-cli', 5);
  await promisify(execFile)(cli, [
    'workflow',
    'start',
    '--address',
    harness.temporal.server.address,
    '--namespace',
    harness.temporal.server.namespace,
    '--task-queue',
    'chartmogul-sync-io',
    '--type',
    'syncWorkflow',
    '--workflow-id',
    'chartmogul-sync:from-cli',
    '--input',
    JSON.stringify(spec),
  ]);
  const result = await syncHandle(harness.temporal.client, 'from-cli').result();
  assert.deepEqual(result.totals, totals({ read: 5, created: 5 }));
});
