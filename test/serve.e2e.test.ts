// `serve` as a user leaves it running: killed with SIGKILL mid-sync and started again, the sync finishes
// with every row in ChartMogul exactly once, and a schedule created before the kill fires after the
// restart. Other commands in the same folder find its server without TEMPORAL_ADDRESS. Stopped with SIGTERM while a
// notification waits for its receiver, the next serve sends it, once.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { Client, Connection } from '@temporalio/client';

import { readConfig } from '../src/config';
import { dataConverterFor } from '../src/privacy/data-converter';
import { freePort } from '../src/temporal/dev-server';
import { syncScheduleId, syncWorkflowId } from '../src/contracts/names';
import type { SyncResult } from '../src/contracts/sync-types';
import { BIN, customersSpecFile, runCommand, type CommandOutcome } from './helpers/processes';
import { listAll } from './helpers/sync';
import { startTestEmulator, type TestEmulator } from './helpers/temporal';
import { waitUntil } from './helpers/wait';

const ROWS = 400;
let emulator: TestEmulator;
let folder: string;
let port: number;
let uiPort: number;
let codecPort: number;
const started: ChildProcess[] = [];

before(async () => {
  emulator = await startTestEmulator({ rps: 40 });
  folder = mkdtempSync(join(tmpdir(), 'cms-serve-'));
  port = await freePort();
  uiPort = await freePort();
  codecPort = await freePort();
});

after(async () => {
  for (const child of started) child.kill('SIGKILL');
  await emulator?.stop();
});

function env(): NodeJS.ProcessEnv {
  const { TEMPORAL_ADDRESS: _, ...rest } = process.env;
  // The state store stays in the folder, as a user's would (not the test emulator's temporary file).
  return { ...rest, CHARTMOGUL_API_KEY: emulator.apiKey, CHARTMOGUL_API_URL: emulator.url };
}

async function serve(): Promise<ChildProcess & { output(): string }> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', String(port), '--ui-port', String(uiPort), '--codec-port', String(codecPort)],
    {
      cwd: folder,
      env: env(),
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  started.push(child);
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 180_000;
  while (!output.includes('Workers running')) {
    if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`serve did not start:\n${output}`);
    await sleep(100);
  }
  return Object.assign(child, { output: () => output });
}

function cli(...args: string[]): Promise<CommandOutcome> {
  return runCommand(args, { cwd: folder, env: env() });
}

function specFile(name: string, rows: number): string {
  return customersSpecFile(folder, name, rows, emulator.dataSourceUuid);
}

async function customersOf(name: string): Promise<string[]> {
  return (await listAll(emulator, '/v1/customers'))
    .map((customer) => customer.external_id as string)
    .filter((id) => id.startsWith(`${name}-`));
}

test('serve killed mid-sync and started again: every row exactly once; a schedule made before the kill fires after', async () => {
  let server = await serve();
  assert.match(server.output(), new RegExp(`Temporal Web: http://localhost:${uiPort} \\(payloads encrypted`));
  assert.match(server.output(), /Made encryption key "k\d{8}" in .*encryption-keys \(readable by you only\)/);
  const keyFile = join(folder, '.state', 'encryption-keys');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.ok(!server.output().includes(readFileSync(keyFile, 'utf8').trim().split(':')[1]!), 'the key is never printed');
  // Its Web UI may call the codec server from the browser.
  const preflight = await fetch(`http://127.0.0.1:${codecPort}/decode`, {
    method: 'OPTIONS',
    headers: { origin: `http://localhost:${uiPort}`, 'access-control-request-method': 'POST' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), `http://localhost:${uiPort}`);
  assert.ok(existsSync(join(folder, '.state', 'serve.json')), 'serve says where its server is');

  // Both commands find serve's server through .state/serve.json: no TEMPORAL_ADDRESS.
  const schedule = await cli('schedule', 'create', specFile('tick', 3), '--every', '2s');
  assert.equal(schedule.code, 0, schedule.stderr);
  const start = await cli('start', specFile('served', ROWS));
  assert.equal(start.code, 0, start.stderr);

  await waitUntil(async () => (await customersOf('served')).length >= ROWS / 4, 'a quarter of the rows served', {
    everyMs: 500,
  });
  server.kill('SIGKILL');
  await new Promise((resolve) => server.once('exit', resolve));
  const createdBeforeKill = (await customersOf('served')).length;
  assert.ok(createdBeforeKill < ROWS, `${createdBeforeKill} rows were in before the kill`);

  const restartedAt = Date.now();
  server = await serve();
  assert.doesNotMatch(server.output(), /Made encryption key/, 'the key is made once');
  const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  try {
    // serve made a key on its first start; the commands in its folder, and this client, use it.
    const keys = readConfig(env(), folder).encryptionKeys;
    assert.equal(keys.length, 1);
    const client = new Client({ connection, dataConverter: dataConverterFor(keys) });
    const result: SyncResult = await client.workflow.getHandle(syncWorkflowId('served')).result();
    assert.equal(result.status, 'completed');
    const ids = await customersOf('served');
    assert.equal(ids.length, ROWS, 'every row is in ChartMogul');
    assert.equal(new Set(ids).size, ROWS, 'and none twice');

    const fired = async () =>
      (await client.schedule.getHandle(syncScheduleId('tick')).describe()).info.recentActions.some(
        (action) => action.takenAt.getTime() > restartedAt,
      );
    const deadline = Date.now() + 60_000;
    while (!(await fired())) {
      assert.ok(Date.now() < deadline, 'the schedule fired after the restart');
      await sleep(250);
    }
    await client.schedule.getHandle(syncScheduleId('tick')).delete();
  } finally {
    await connection.close();
  }

  server.kill('SIGTERM');
  const code = await new Promise((resolve) => server.once('exit', resolve));
  assert.equal(code, 0, server.output());
  assert.ok(!existsSync(join(folder, '.state', 'serve.json')), 'a stopped serve leaves no address behind');
});

test('serve stopped with SIGTERM while a notification is pending sends it once after it is started again', async () => {
  // A receiver that is down (503) until the first serve has stopped.
  let down = true;
  const received: string[] = [];
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (down) return void response.writeHead(503).end();
      received.push(String(request.headers['idempotency-key']));
      response.writeHead(200).end('ok');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  process.env.SERVE_TEST_HOOK = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  try {
    let server = await serve();
    const csv = join(folder, 'noisy.csv');
    writeFileSync(csv, 'id,email\nN-1,not-an-email\nN-2,also-not\nN-3,n3@example.com\n');
    const spec = join(folder, 'noisy.sync.json');
    writeFileSync(
      spec,
      JSON.stringify({
        name: 'noisy',
        object: 'customers',
        mode: 'upsert',
        dataSourceUuid: emulator.dataSourceUuid,
        source: { type: 'file', path: csv },
        mapping: [
          { from: 'id', to: 'external_id' },
          { from: 'email', to: 'email' },
        ],
        notify: { url: 'env:SERVE_TEST_HOOK', rejectedRowsOver: 1 },
      }),
    );
    const start = await cli('start', spec);
    assert.equal(start.code, 0, start.stderr);
    // `status` exits 3 once the sync has completed with its rejected rows.
    const finished = Date.now() + 60_000;
    while ((await cli('status', 'noisy')).code !== 3) {
      assert.ok(Date.now() < finished, 'the sync completes');
      await sleep(500);
    }
    await sleep(3_000);
    server.kill('SIGTERM');
    assert.equal(await new Promise((resolve) => server.once('exit', resolve)), 0, server.output());
    assert.deepEqual(received, [], 'nothing delivered while the receiver was down');

    down = false;
    server = await serve();
    const deadline = Date.now() + 90_000;
    while (received.length === 0) {
      assert.ok(Date.now() < deadline, 'the restarted serve sends the pending message');
      await sleep(500);
    }
    await sleep(2_000);
    assert.equal(received.length, 1, 'sent once');
    assert.match(received[0]!, /chartmogul-sync:noisy\/.*\/rejected-over-threshold$/);
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  } finally {
    receiver.close();
  }
});
