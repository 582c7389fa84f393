// `run` killed in the middle of a sync, as a user's terminal or a scheduler might: its embedded Temporal
// server goes with it (checked on the process table), and running the same command again finishes the
// sync with every row exactly once, none failed, at about one request per row that was left.

import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { listAll, workFolder, writeCsv } from './helpers/sync';
import { startTestEmulator, TEST_DATA_SOURCE, type TestEmulator } from './helpers/temporal';
import { waitUntil } from './helpers/wait';

const BIN = join(__dirname, '..', 'bin', 'chartmogul-sync.js');
const ROWS = 400;
let emulator: TestEmulator;
const children = new Set<ChildProcess>();

before(async () => {
  // Slow enough that a kill lands mid-sync.
  emulator = await startTestEmulator({ latency: '30-60' });
});
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await emulator?.stop();
});

interface RunningCli {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function startRun(specPath: string): RunningCli {
  const child = spawn(process.execPath, [BIN, 'run', specPath, '--json'], {
    cwd: workFolder,
    env: { ...process.env, ...emulator.env, TEMPORAL_ADDRESS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, output: () => text, exited };
}

/** Command lines of the `temporal` servers that serve this Web UI port. */
function serversOnUiPort(port: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('start-dev') && line.includes(`--ui-port ${port} `));
}

/** Waits for `ready` while the run lives, at most `ms`; else fails with what the run printed (a wait that never
 * ends would keep the test file's process alive after its timeout). */
async function until(run: RunningCli, what: string, ready: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (run.child.exitCode !== null || run.child.signalCode !== null || Date.now() > deadline)
      throw new Error(
        `${what}: not seen (run ${run.child.exitCode === null ? 'still running' : `exited ${run.child.exitCode}`}); it printed:\n${run.output()}`,
      );
    await sleep(50);
  }
}

async function uiPortOf(run: RunningCli): Promise<string> {
  const port = () => /Temporal Web UI: http:\/\/127\.0\.0\.1:(\d+)\//.exec(run.output())?.[1];
  await until(run, 'the Temporal Web UI address', () => port() !== undefined);
  return port() ?? '';
}

async function untilGone(port: string): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  while (serversOnUiPort(port).length > 0 && Date.now() < deadline) await sleep(200);
  return serversOnUiPort(port);
}

function creates(): number {
  return emulator.stats().byRoute['POST /v1/customers']?.['201'] ?? 0;
}

async function killMidSyncAndRunAgain(mode: 'insert' | 'upsert') {
  const name = `killed-${mode}`;
  const csv = writeCsv(
    `${name}.csv`,
    ['id', 'name'],
    Array.from({ length: ROWS }, (_, index) => [`${mode}-${String(index).padStart(4, '0')}`, `Customer ${index}`]),
  );
  const specPath = join(workFolder, `${name}.spec.json`);
  writeFileSync(
    specPath,
    JSON.stringify({
      name,
      object: 'customers',
      mode,
      dataSourceUuid: TEST_DATA_SOURCE,
      source: { type: 'file', path: csv },
      // One request a customer, so the kill lands mid-sync (test/sync-crash-invoices.e2e.test.ts kills bulk imports).
      options: { pageSize: 100, bulkImport: 'never' },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'name', to: 'name' },
      ],
    }),
  );

  emulator.reset();
  const first = startRun(specPath);
  const port = await uiPortOf(first);
  await until(first, `${ROWS / 3} customers created`, () => creates() >= ROWS / 3);
  first.child.kill('SIGKILL');
  await first.exited;
  const createdBefore = creates();
  assert.ok(createdBefore < ROWS, 'the kill happened mid-sync');
  assert.deepEqual(await untilGone(port), [], 'the killed run left no Temporal server behind');

  emulator.reset();
  const second = startRun(specPath);
  const code = await Promise.race([second.exited, sleep(180_000).then(() => 'still running')]);
  if (code === 'still running') {
    second.child.kill('SIGKILL');
    assert.fail(`the re-run did not end within 3 minutes; it printed:\n${second.output()}`);
  }
  const result = JSON.parse(
    second
      .output()
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .pop() ?? '{}',
  );
  assert.equal(code, 0, second.output());
  assert.equal(result.totals.failed, 0);
  assert.equal(result.totals.rejected, 0);
  assert.equal(result.totals.read, ROWS);
  const customers = (await listAll(emulator, '/v1/customers')).filter((customer) =>
    String(customer.external_id).startsWith(`${mode}-`),
  );
  assert.equal(customers.length, ROWS);
  assert.equal(new Set(customers.map((customer) => customer.external_id)).size, ROWS, 'every row exactly once');

  const left = ROWS - createdBefore;
  const requests = emulator.stats().total;
  console.log(`${mode}: ${createdBefore} created before the kill, ${left} left; the re-run sent ${requests} requests`);
  // The re-run knows its last run was cut short, so it lists the data source (one request per 200) and
  // finds the rows that run wrote without recording: each row left costs its create, and little else.
  assert.ok(requests <= left * 1.05 + 6, `${requests} requests for ${left} rows left`);
}

test(
  'run SIGKILLed mid-sync in insert mode: no server left; the re-run finishes with every row once and none failed',
  { timeout: 300_000 },
  async () => {
    await killMidSyncAndRunAgain('insert');
  },
);

test(
  'run SIGKILLed mid-sync in upsert mode: no server left; the re-run finishes with every row once and none failed',
  { timeout: 300_000 },
  async () => {
    await killMidSyncAndRunAgain('upsert');
  },
);

test('run stopped with SIGTERM cancels in order and takes its server with it', { timeout: 120_000 }, async () => {
  const csv = writeCsv(
    'terminated.csv',
    ['id', 'name'],
    Array.from({ length: 200 }, (_, index) => [`T-${index}`, `T ${index}`]),
  );
  const specPath = join(workFolder, 'terminated.spec.json');
  writeFileSync(
    specPath,
    JSON.stringify({
      name: 'terminated',
      object: 'customers',
      mode: 'upsert',
      dataSourceUuid: TEST_DATA_SOURCE,
      source: { type: 'file', path: csv },
      // One request a customer, so the SIGTERM lands while rows are in flight.
      options: { bulkImport: 'never' },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'name', to: 'name' },
      ],
    }),
  );
  emulator.reset();
  const run = startRun(specPath);
  const port = await uiPortOf(run);
  await waitUntil(() => creates() >= 20, '20 customers created');
  run.child.kill('SIGTERM');
  const code = await Promise.race([run.exited, sleep(60_000).then(() => 'hung')]);
  assert.equal(code, 1, run.output());
  assert.match(run.output(), /Cancelling/);
  assert.match(run.output(), /"status":"cancelled"/);
  assert.deepEqual(await untilGone(port), []);
});
