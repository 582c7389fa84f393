// A worker left running: under 20% 429s its log has one line per retried request (status, row key,
// attempt) and no stack trace, as text or as JSON lines; and `--metrics-port` serves Prometheus metrics
// whose rows-by-outcome and requests-by-status counters move while a sync runs.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { freePort } from '../src/temporal/dev-server';
import { killStartedProcesses, startWorkerProcess, type WorkerProcess } from './helpers/processes';
import { runSync, workFolder, writeCsv } from './helpers/sync';
import { startTestEmulator, startTestTemporal, type TestEmulator, type TestTemporal } from './helpers/temporal';

let temporal: TestTemporal;
let emulator: TestEmulator;

before(async () => {
  temporal = await startTestTemporal();
  emulator = await startTestEmulator({ faults: '429=0.2', seed: 7 });
});

after(async () => {
  killStartedProcesses();
  await emulator?.stop();
  await temporal?.stop();
});

function worker(args: string[]): Promise<WorkerProcess> {
  return startWorkerProcess({ ...emulator.env, TEMPORAL_ADDRESS: temporal.server.address }, [
    '--reports-dir',
    join(workFolder, 'reports'),
    ...args,
  ]);
}

async function stop(child: WorkerProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

function customersSpec(name: string, rows: number) {
  const prefix = name.toUpperCase().slice(0, 3);
  const path = writeCsv(
    `${name}.csv`,
    ['id', 'name'],
    Array.from({ length: rows }, (_, index) => [
      `${prefix}-${String(index + 1).padStart(4, '0')}`,
      `Customer ${index}`,
    ]),
  );
  return {
    name,
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: emulator.dataSourceUuid,
    source: { type: 'file', path },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
    ],
    // One request a customer, so the metrics are seen moving while the sync runs.
    options: { bulkImport: 'never' },
  };
}

const STACK_LINE = /^\s+at /m;

test('text log: one line per retried request with its status, row key and attempt; no stack trace', async () => {
  const child = await worker([]);
  const result = await runSync(temporal.client, customersSpec('textlog', 80));
  assert.equal(result.totals.created, 80);
  await stop(child);
  const lines = child.output().split('\n').filter(Boolean);
  assert.doesNotMatch(child.output(), STACK_LINE);
  // The api worker runs activities only: the SDK's warning about it is the design, not a fault.
  assert.doesNotMatch(child.output(), /No workflows registered/);
  const retries = lines.filter((line) => line.includes('Activity failed'));
  assert.ok(retries.length >= 5, `${retries.length} retried requests logged:\n${lines.slice(0, 20).join('\n')}`);
  for (const line of retries)
    assert.match(line, /WARN Activity failed: \w+, attempt \d+, status 429(, row TEX-\d{4})?, sync textlog: /);
  const rowRequests = retries.filter((line) => /Activity failed: (create|update|lookup)Customer/.test(line));
  assert.ok(rowRequests.length >= 3, `${rowRequests.length} retried row requests`);
  for (const line of rowRequests) assert.match(line, /, row TEX-\d{4}, /);
});

test('JSON log lines and Prometheus metrics that move during a sync', async () => {
  const port = await freePort();
  const child = await worker(['--log-format', 'json', '--metrics-port', String(port)]);
  const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const counter = (text: string, name: string, labels: RegExp) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(name) && labels.test(line))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  const running = runSync(temporal.client, customersSpec('jsonlog', 300));
  let done = false;
  void running.finally(() => {
    done = true;
  });
  const samples: { rows: number; ok: number; limited: number }[] = [];
  while (!done) {
    const text = await scrape();
    samples.push({
      rows: counter(
        text,
        'chartmogul_sync_rows',
        /outcome="created".*sync="jsonlog"|sync="jsonlog".*outcome="created"/,
      ),
      ok: counter(text, 'chartmogul_sync_requests', /status="20\d"/),
      limited: counter(text, 'chartmogul_sync_requests', /status="429"/),
    });
    await sleep(300);
  }
  const result = await running;
  assert.equal(result.totals.created, 300);
  const final = await scrape();
  const during = samples.filter((sample) => sample.rows > 0 && sample.rows < 300);
  assert.ok(during.length >= 2, `rows seen moving during the sync: ${JSON.stringify(samples)}`);
  assert.ok(
    samples.some((sample, index) => index > 0 && sample.ok > samples[index - 1]!.ok),
    'requests by status moved',
  );
  assert.equal(
    counter(final, 'chartmogul_sync_rows', /outcome="created".*sync="jsonlog"|sync="jsonlog".*outcome="created"/),
    300,
  );
  assert.ok(counter(final, 'chartmogul_sync_requests', /status="429"/) > 0, '429s are visible');
  assert.ok(counter(final, 'chartmogul_sync_activity_retries', /./) > 0, 'retries are counted');
  assert.match(final, /chartmogul_sync_last_success_timestamp_seconds\{[^}]*sync="jsonlog"/);
  assert.match(final, /chartmogul_sync_duration_seconds_(bucket|sum|count)\{[^}]*sync="jsonlog"/);
  assert.match(final, /temporal_/, "the SDK's own metrics are there too");

  await stop(child);
  assert.doesNotMatch(child.output(), STACK_LINE);
  const entries = child
    .output()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const retries = entries.filter((entry) => entry.message === 'Activity failed');
  assert.ok(retries.length >= 5, `${retries.length} retried requests logged`);
  for (const entry of retries) {
    assert.equal(entry.syncName, 'jsonlog');
    assert.equal(entry.status, 429);
    assert.equal(typeof entry.attempt, 'number');
  }
  const rowRequests = retries.filter((entry) => /^(create|update|lookup)Customer$/.test(String(entry.activityType)));
  assert.ok(rowRequests.length >= 3, `${rowRequests.length} retried row requests`);
  for (const entry of rowRequests) {
    assert.match(String(entry.rowKey), /^JSO-\d{4}$/);
    assert.match(String(entry.workflowId), /^chartmogul-sync:jsonlog:page-[\d.]+$/);
  }
});
