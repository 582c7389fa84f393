// One pace per ChartMogul account however many processes poll: three `worker` processes and a `run` on a
// server whose task queues have four partitions stay within the emulator's 40 requests/s and 20
// connections; two accounts syncing at once each get their own limit. Rates are the benchmark's business
// (`npm run bench -- --scenarios multi-worker,two-accounts`); this test holds the limits.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startEmulator, type EmulatorHandle } from '../src/emulator';
import type { StatsSnapshot } from '../src/emulator/stats';
import { BIN, killStartedProcesses, startWorkerProcess } from './helpers/processes';
import { listAll, runSync, workFolder, writeCsv } from './helpers/sync';
import {
  startTestEmulator,
  startTestTemporal,
  TEST_DATA_SOURCE,
  type TestEmulator,
  type TestTemporal,
} from './helpers/temporal';

const LIMITS = { rps: 40, maxConnections: 20, latency: '50-150' };
let temporal: TestTemporal;
let first: TestEmulator;
let second: EmulatorHandle;
let env: NodeJS.ProcessEnv;

before(async () => {
  temporal = await startTestTemporal({
    dynamicConfig: { 'matching.numTaskqueueReadPartitions': 4, 'matching.numTaskqueueWritePartitions': 4 },
  });
  first = await startTestEmulator(LIMITS);
  second = await startEmulator({ ...LIMITS, apiKey: 'second_account_key', dataSources: [TEST_DATA_SOURCE] });
  env = {
    ...first.env,
    CHARTMOGUL_API_KEY_SECOND: 'second_account_key',
    CHARTMOGUL_API_URL_SECOND: second.url,
    // Every process shares the state store, and with it each account's pace.
    STATE_SQLITE_PATH: join(mkdtempSync(join(tmpdir(), 'cms-shared-')), 'state.sqlite'),
    TEMPORAL_ADDRESS: temporal.server.address,
  };
  for (let index = 0; index < 3; index++) await startWorkerProcess(env, ['--reports-dir', join(workFolder, 'reports')]);
});

after(async () => {
  killStartedProcesses();
  await first?.stop();
  await second?.stop();
  await temporal?.stop();
});

function describeStats(label: string, stats: StatsSnapshot): string {
  const seconds = ((stats.lastRequestAt ?? 0) - (stats.firstRequestAt ?? 0)) / 1000;
  return (
    `${label}: ${stats.total} requests in ${seconds.toFixed(1)} s (${(stats.total / seconds).toFixed(1)}/s), peak ${stats.peakRequestsPerSecond} in one second, ` +
    `${stats.peakInFlight} in flight, 429s ${stats.byStatus['429'] ?? 0}, 503s ${stats.byStatus['503'] ?? 0}`
  );
}

function assertWithinLimits(stats: StatsSnapshot): void {
  assert.ok(stats.peakRequestsPerSecond <= 40, `peak ${stats.peakRequestsPerSecond} requests in one second`);
  assert.ok(
    (stats.byStatus['429'] ?? 0) / stats.total < 0.005,
    `${stats.byStatus['429']} answers of 429 of ${stats.total}`,
  );
  assert.equal(stats.byStatus['503'] ?? 0, 0);
}

function customersCsv(name: string, prefix: string, rows: number): string {
  return writeCsv(
    name,
    ['id', 'name'],
    Array.from({ length: rows }, (_, index) => [`${prefix}-${String(index).padStart(5, '0')}`, `${prefix} ${index}`]),
  );
}

function spec(name: string, path: string, account = 'default') {
  return {
    name,
    object: 'customers',
    mode: 'upsert',
    account,
    dataSourceUuid: TEST_DATA_SOURCE,
    source: { type: 'file', path },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
    ],
    // One request a customer: the pace is what is measured.
    options: { bulkImport: 'never' },
  };
}

test(
  'three workers and a run on a four-partition server: 2,000 rows within 40 requests/s and 20 connections',
  { timeout: 600_000 },
  async () => {
    const specPath = join(workFolder, 'shared-pace.spec.json');
    writeFileSync(specPath, JSON.stringify(spec('shared-pace', customersCsv('shared-pace.csv', 'SP', 2000))));
    first.reset();
    const run = spawn(
      process.execPath,
      [BIN, 'run', specPath, '--json', '--reports-dir', join(workFolder, 'reports')],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    run.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    run.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => run.on('exit', resolve));
    assert.equal(code, 0, output);
    const stats = first.stats();
    console.log(describeStats('three workers and a run', stats));
    assertWithinLimits(stats);
    assert.equal(
      (await listAll(first, '/v1/customers')).filter((customer) => String(customer.external_id).startsWith('SP-'))
        .length,
      2000,
    );
  },
);

test('two accounts syncing at once each get their own limit', { timeout: 600_000 }, async () => {
  first.reset();
  second.reset();
  const [one, two] = await Promise.all([
    runSync(temporal.client, spec('account-one', customersCsv('account-one.csv', 'A1', 1000))),
    runSync(temporal.client, spec('account-two', customersCsv('account-two.csv', 'A2', 1000), 'second')),
  ]);
  assert.equal(one.totals.created, 1000);
  assert.equal(two.totals.created, 1000);
  for (const [label, stats] of [
    ['first account', first.stats()],
    ['second account', second.stats()],
  ] as const) {
    console.log(describeStats(label, stats));
    assertWithinLimits(stats);
    // One shared budget would cap the two together at 37 a second.
    assert.ok(
      stats.peakRequestsPerSecond >= 30,
      `${label} peaked at ${stats.peakRequestsPerSecond} requests in one second`,
    );
  }
  const [a, b] = [first.stats(), second.stats()];
  assert.ok(
    (a.firstRequestAt ?? 0) < (b.lastRequestAt ?? 0) && (b.firstRequestAt ?? 0) < (a.lastRequestAt ?? 0),
    'the two syncs ran at the same time',
  );
});
