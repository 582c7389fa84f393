// A worker killed with SIGKILL in the middle of a sync, then started again: the sync completes, no record
// is created twice, and every row is accounted for.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { listAll, runSync, workFolder, writeCsv } from './helpers/sync';
import { startTestEmulator, startTestTemporal, type TestEmulator, type TestTemporal } from './helpers/temporal';

let temporal: TestTemporal;
let emulator: TestEmulator;
const workers = new Set<ChildProcess>();

before(async () => {
  temporal = await startTestTemporal();
  // Slow enough that the kill lands mid-sync, with creates in flight.
  emulator = await startTestEmulator({ latency: '40-80' });
});

after(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await emulator?.stop();
  await temporal?.stop();
});

/** `chartmogul-sync worker`, as a user runs it, in its own process. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'bin', 'chartmogul-sync.js'), 'worker', '--reports-dir', join(workFolder, 'reports')], {
    env: { ...process.env, ...emulator.env, TEMPORAL_ADDRESS: temporal.server.address },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  workers.add(child);
  let output = '';
  while (!output.includes('Worker running')) {
    const [chunk] = (await once(child.stderr, 'data')) as [Buffer];
    output += chunk.toString();
  }
  return child;
}

test('SIGKILL mid-sync: the restarted worker finishes it with every row synced exactly once', { timeout: 240_000 }, async () => {
  const rows = Array.from({ length: 300 }, (_, index) => [`K-${String(index).padStart(4, '0')}`, `Customer ${index}`, index]);
  const path = writeCsv('crash.csv', ['id', 'name', 'seats'], rows);
  const first = await startWorkerProcess();
  const result = runSync(temporal.client, {
    name: 'crash', object: 'customers', mode: 'upsert', dataSourceUuid: emulator.dataSourceUuid,
    source: { type: 'file', path }, options: { pageSize: 100 },
    mapping: [{ from: 'id', to: 'external_id' }, { from: 'name', to: 'name' }, { from: 'seats', to: 'seats', type: 'Integer' }],
  });
  while ((emulator.stats().byRoute['POST /v1/customers']?.['201'] ?? 0) < 120) await sleep(50);
  first.kill('SIGKILL');
  await once(first, 'exit');
  const createdBeforeKill = emulator.stats().byRoute['POST /v1/customers']?.['201'] ?? 0;
  assert.ok(createdBeforeKill < 300, 'the kill happened mid-sync');
  await startWorkerProcess();
  const totals = (await result).totals;
  assert.deepEqual(totals, { read: 300, created: 300, updated: 0, unchanged: 0, rejected: 0, failed: 0 });
  const customers = await listAll(emulator, '/v1/customers');
  assert.equal(customers.length, 300);
  assert.equal(new Set(customers.map((customer) => customer.external_id)).size, 300, 'no customer was created twice');
});
