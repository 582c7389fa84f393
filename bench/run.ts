// The benchmark: syncs against the emulator at ChartMogul's limits (40 requests/s, 20 connections, 50-150 ms
// latency) and prints, per scenario, requests per row, 429s/503s, requests/s reached, rows/s, the worker's
// peak memory and the largest workflow history. Writes the figures to bench/results/<time>.json.
//   npm run bench -- [--rows N] [--million-rows N] [--scenarios a,b,...]
//   (scenarios: initial-empty, initial-populated, rerun-no-change, rerun-1pct, naive-1pct, contacts-upsert,
//   invoices, invoice-kills, multi-worker, two-accounts, encryption, rerun-1pct-10k, million-rerun, worker-start, scale)

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

import { Client, Connection } from '@temporalio/client';

import { readConfig } from '../src/config';
import { startEmulator, type EmulatorHandle } from '../src/emulator';
import { dataConverterFor } from '../src/privacy/data-converter';
import { parseEncryptionKeys } from '../src/privacy/encryption-keys';
import { startDevServer } from '../src/temporal/dev-server';
import { generateCustomersCsv, parsedSpec, seedSyncedSource } from './seed';
import { SEARCH_ATTRIBUTES, syncStartOptions } from '../src/contracts/names';
import type { SyncResult } from '../src/contracts/sync-types';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '2000' },
    'million-rows': { type: 'string', default: '1000000' },
    scenarios: { type: 'string' },
  },
});
const ROWS = Number(args.rows);
const API_KEY = 'bench_key';
const DS = 'ds_be7c0000-0000-4000-8000-000000000001';
const ROOT = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'cms-bench-'));

interface Figures {
  scenario: string;
  rows: number;
  requests: number;
  requestsPerRow: number;
  status429: number;
  status503: number;
  wallSeconds: number;
  requestsPerSecond: number;
  limitUsedPercent: number;
  rowsPerSecond: number;
  peakWorkerMemoryMb: number;
  maxHistoryEvents: number;
  /** The most requests the emulator saw in any one second (ChartMogul allows 40). */
  peakRequestsPerSecond: number;
  totals: SyncResult['totals'];
}

function csv(name: string, header: string[], rows: (string | number)[][]): string {
  const path = join(work, name);
  writeFileSync(path, [header.join(','), ...rows.map((row) => row.join(','))].join('\n') + '\n');
  return path;
}

const customerRows = (changed: Set<number> = new Set()) =>
  Array.from({ length: ROWS }, (_, index) => [
    `B-${String(index).padStart(6, '0')}`,
    `Company ${index}${changed.has(index) ? ' v2' : ''}`,
    `owner${index}@example.com`,
    index % 250,
  ]);

function customersSpec(name: string, path: string, options: Record<string, unknown> = {}) {
  return {
    name,
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: DS,
    source: { type: 'file', path },
    options,
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'email', to: 'email' },
      { from: 'seats', to: 'seats', type: 'Integer' },
    ],
  };
}

/** The environment of a worker on the bench's server, for the emulator as the `default` account. */
function workerEnv(address: string, emulator: EmulatorHandle, statePath: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: address,
    CHARTMOGUL_API_KEY: API_KEY,
    CHARTMOGUL_API_URL: emulator.url,
    STATE_SQLITE_PATH: statePath,
  };
}

async function startWorker(env: NodeJS.ProcessEnv, extraArgs: string[] = []): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'chartmogul-sync.js'), 'worker', '--reports-dir', join(work, 'reports'), ...extraArgs],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    // The worker says so once its workflow code is loaded, just before it polls.
    child.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (output.includes('Worker running')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker exited ${code}: ${output}`)));
  });
  return child;
}

interface StartFigures {
  mode: string;
  /** From spawning `chartmogul-sync worker` to its first poll (median of the runs). */
  readySeconds: number;
  /** Peak resident memory by then, before any row (median). */
  peakMbBeforeFirstRow: number;
}

/** A worker's start as a user gets it: from the TypeScript sources through tsx (a checkout), and from the
 * production build (`npm run build`: compiled, workflow code bundled at build time). */
async function workerStart(env: NodeJS.ProcessEnv): Promise<StartFigures[]> {
  const build = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = (await once(build, 'exit')) as [number];
  if (code !== 0) throw new Error(`npm run build failed (${code})`);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const figures: StartFigures[] = [];
  for (const [mode, extra] of [
    ['sources (tsx)', {}],
    ['build (dist)', { CHARTMOGUL_SYNC_USE_DIST: '1' }],
  ] as const) {
    const ready: number[] = [];
    const memory: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = Date.now();
      const worker = await startWorker({ ...env, ...extra });
      ready.push((Date.now() - started) / 1000);
      memory.push(peakMemoryMb(worker.pid ?? 0));
      await stopWorkers([worker]);
    }
    figures.push({ mode, readySeconds: Number(median(ready).toFixed(2)), peakMbBeforeFirstRow: median(memory) });
    console.error(`worker-start       ${JSON.stringify(figures[figures.length - 1])}`);
  }
  return figures;
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(async (worker) => {
      worker.kill('SIGTERM');
      await once(worker, 'exit');
    }),
  );
}

/** Requests per second between the first and last request an emulator saw (0 for runs too short to tell). */
function requestRate(stats: ReturnType<EmulatorHandle['stats']>): number {
  const activeSeconds = Math.max(0.001, ((stats.lastRequestAt ?? 0) - (stats.firstRequestAt ?? 0)) / 1000);
  return stats.total > 20 ? stats.total / activeSeconds : 0;
}

function peakMemoryMb(pid: number): number {
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
}

async function maxHistoryEvents(client: Client, name: string): Promise<number> {
  let max = 0;
  for await (const execution of client.workflow.list({ query: `ChartMogulSyncName = "${name}"` })) {
    max = Math.max(
      max,
      (await client.workflow.getHandle(execution.workflowId, execution.runId).describe()).historyLength,
    );
  }
  return max;
}

/** The external ids of every record of one list of the bench's data source, each as often as it is there. */
async function listedExternalIds(emulator: EmulatorHandle, path: string, entries: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor = '';
  for (;;) {
    const response = await fetch(
      `${emulator.url}${path}?data_source_uuid=${DS}&per_page=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { headers: { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}` } },
    );
    if (response.status === 429) {
      await sleep(250);
      continue;
    }
    const page = (await response.json()) as Record<string, unknown> & { has_more: boolean; cursor: string };
    ids.push(...((page[entries] as { external_id: string }[] | undefined) ?? []).map((entry) => entry.external_id));
    if (!page.has_more) return ids;
    cursor = page.cursor;
  }
}

async function seedCustomers(emulator: EmulatorHandle, rows: (string | number)[][]): Promise<void> {
  emulator.configure({ rps: 0, maxConnections: 0 });
  const auth = {
    authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`,
    'content-type': 'application/json',
  };
  for (let start = 0; start < rows.length; start += 50) {
    await Promise.all(
      rows.slice(start, start + 50).map(([id, name, email, seats]) =>
        fetch(`${emulator.url}/v1/customers`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({
            data_source_uuid: DS,
            external_id: id,
            name,
            email,
            attributes: { custom: [{ type: 'Integer', key: 'seats', value: seats }] },
          }),
        }).then((response) => response.arrayBuffer()),
      ),
    );
  }
  emulator.configure({ rps: 40, maxConnections: 20 });
}

async function main(): Promise<void> {
  console.error(
    `Benchmark: ${ROWS} rows; emulator at 40 requests/s, 20 connections, 50-150 ms latency. Work folder ${work}`,
  );
  // Temporal's default of four task-queue partitions, as a cluster has: the pace must not depend on it.
  const server = await startDevServer({
    temporalCli: readConfig().temporalCli,
    ui: false,
    searchAttributes: SEARCH_ATTRIBUTES,
    dynamicConfig: { 'matching.numTaskqueueReadPartitions': 4, 'matching.numTaskqueueWritePartitions': 4 },
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const emulator = await startEmulator({
    apiKey: API_KEY,
    dataSources: [DS],
    rps: 40,
    maxConnections: 20,
    latency: '50-150',
    seed: 7,
  });
  const results: Figures[] = [];
  let encryptionSummary: string | undefined;
  let killSlowDown: number | undefined;
  const wanted = args.scenarios?.split(',');

  const runSync = (spec: Record<string, unknown>) =>
    client.workflow.execute<(spec: unknown) => Promise<SyncResult>>('syncWorkflow', syncStartOptions(spec));

  async function record(
    label: string,
    spec: Record<string, unknown>,
    target: EmulatorHandle,
    result: SyncResult,
    wallSeconds: number,
    memory: number,
  ): Promise<void> {
    const stats = target.stats();
    const requestsPerSecond = requestRate(stats);
    const figures: Figures = {
      scenario: label,
      rows: result.totals.read,
      requests: stats.total,
      requestsPerRow: Number((stats.total / result.totals.read).toFixed(4)),
      status429: stats.byStatus['429'] ?? 0,
      status503: stats.byStatus['503'] ?? 0,
      wallSeconds: Number(wallSeconds.toFixed(1)),
      requestsPerSecond: Number(requestsPerSecond.toFixed(1)),
      limitUsedPercent: Math.round((requestsPerSecond / 40) * 100),
      rowsPerSecond: Number((result.totals.read / wallSeconds).toFixed(1)),
      peakWorkerMemoryMb: memory,
      maxHistoryEvents: await maxHistoryEvents(client, String(spec.name)),
      peakRequestsPerSecond: stats.peakRequestsPerSecond,
      totals: result.totals,
    };
    results.push(figures);
    console.error(`${label.padEnd(18)} ${JSON.stringify(figures)}`);
  }

  async function scenario(
    label: string,
    spec: ReturnType<typeof customersSpec> | Record<string, unknown>,
    statePath: string,
  ): Promise<void> {
    if (wanted && !wanted.includes(label)) return;
    await measure(label, spec, statePath);
  }

  /** One sync through a fresh worker on the state store, with the emulator's counters from zero. */
  async function measure(label: string, spec: Record<string, unknown>, statePath: string): Promise<void> {
    const worker = await startWorker(workerEnv(server.address, emulator, statePath));
    emulator.reset();
    const started = Date.now();
    const result = await runSync(spec);
    const wallSeconds = (Date.now() - started) / 1000;
    const memory = peakMemoryMb(worker.pid ?? 0);
    await stopWorkers([worker]);
    await record(label, spec, emulator, result, wallSeconds, memory);
  }

  /** An empty account with a plan and the populated data source's customers, and a file of one invoice per
   * customer (line items as JSON lines, as a query's JSON column would give them); answers its spec. */
  async function seedInvoices(name: string): Promise<Record<string, unknown>> {
    emulator.reset({ data: true });
    // Unlimited while seeding (seedCustomers sets ChartMogul's limits again when it is done).
    emulator.configure({ rps: 0, maxConnections: 0 });
    const plan = await fetch(`${emulator.url}/v1/plans`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        data_source_uuid: DS,
        external_id: 'BP-1',
        name: 'Monthly',
        interval_count: 1,
        interval_unit: 'month',
      }),
    });
    if (plan.status !== 201) throw new Error(`could not seed the plan: ${plan.status} ${await plan.text()}`);
    await seedCustomers(emulator, customerRows());
    const path = join(work, 'invoices.jsonl');
    writeFileSync(
      path,
      customerRows()
        .map(([customer], index) =>
          JSON.stringify({
            id: `BI-${String(index).padStart(6, '0')}`,
            customer,
            date: '2026-01-01',
            currency: 'USD',
            line_items: [
              {
                type: 'subscription',
                plan_external_id: 'BP-1',
                subscription_external_id: `BS-${index}`,
                service_period_start: '2026-01-01',
                service_period_end: '2026-02-01',
                amount_in_cents: 1000 + index,
              },
            ],
          }),
        )
        .join('\n') + '\n',
    );
    return {
      name,
      object: 'invoices',
      mode: 'upsert',
      dataSourceUuid: DS,
      source: { type: 'file', path },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'customer', to: 'customer_external_id' },
        { from: 'date', to: 'date' },
        { from: 'currency', to: 'currency' },
        { from: 'line_items', to: 'line_items' },
      ],
    };
  }

  /** Invoices on customers and a plan the data source holds (the populated data source's customers): a
   * first load (an import each, plus listing the customers and looking the plan up once per worker), then
   * the same file again, unchanged. */
  async function invoices(): Promise<void> {
    if (wanted && !wanted.includes('invoices')) return;
    const spec = await seedInvoices('bench-invoices');
    const state = fresh();
    for (const label of ['invoices-first-load', 'invoices-rerun']) await measure(label, spec, state);
    // Then one payment per invoice, in insert mode: the invoices are listed (200 a request), not looked up.
    const payments = join(work, 'transactions.csv');
    writeFileSync(
      payments,
      ['id,invoice,type,date,result,amount']
        .concat(
          customerRows().map(
            (_, index) =>
              `BT-${index},BI-${String(index).padStart(6, '0')},payment,2026-01-02,successful,${1000 + index}`,
          ),
        )
        .join('\n') + '\n',
    );
    const transactions = {
      name: 'bench-transactions',
      object: 'transactions',
      mode: 'insert',
      dataSourceUuid: DS,
      source: { type: 'file', path: payments },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'invoice', to: 'invoice_external_id' },
        { from: 'type', to: 'type' },
        { from: 'date', to: 'date' },
        { from: 'result', to: 'result' },
        { from: 'amount', to: 'amount_in_cents' },
      ],
    };
    await measure('transactions-first-load', transactions, state);
  }

  /** Invoices under faults (20% 429s, 5% 500s, 2% resets, 5% of writes applied with their answers lost), as
   * a first load with one worker, then again with the worker SIGKILLed 8 times and started again: how much
   * the kills slow the sync down, and every invoice there exactly once. */
  async function invoiceKills(): Promise<void> {
    if (wanted && !wanted.includes('invoice-kills')) return;
    const importRoute = 'POST /v1/import/customers/:uuid/invoices';
    const imported = () =>
      Object.entries(emulator.stats().byRoute[importRoute] ?? {})
        .filter(([status]) => status.startsWith('2'))
        .reduce((sum, [, count]) => sum + count, 0);
    const wall: Record<string, number> = {};
    for (const kills of [0, 8]) {
      const label = kills === 0 ? 'invoices-faults' : 'invoices-faults-kills';
      const spec = await seedInvoices(`bench-${label}`);
      const env = workerEnv(server.address, emulator, fresh());
      let worker = await startWorker(env);
      emulator.reset();
      emulator.configure({ faults: '429=0.2,500=0.05,reset=0.02,lost=0.05' });
      const started = Date.now();
      const handle = await client.workflow.start('syncWorkflow', syncStartOptions(spec));
      for (let kill = 1; kill <= kills; kill++) {
        while (imported() < (ROWS * kill) / (kills + 1)) await sleep(50);
        worker.kill('SIGKILL');
        await once(worker, 'exit');
        worker = await startWorker(env);
      }
      const result = (await handle.result()) as SyncResult;
      wall[label] = (Date.now() - started) / 1000;
      const memory = peakMemoryMb(worker.pid ?? 0);
      await stopWorkers([worker]);
      emulator.configure({ faults: {} });
      await record(label, spec, emulator, result, wall[label], memory);
      const held = await listedExternalIds(emulator, '/v1/invoices', 'invoices');
      const once_ = new Set(held).size === held.length && held.length === ROWS;
      console.error(`${label}: ${held.length} invoices in ChartMogul, ${once_ ? 'each once' : 'NOT each once'}`);
      if (!once_) throw new Error(`${label}: ${held.length} invoices for ${ROWS} rows`);
    }
    killSlowDown = Number((wall['invoices-faults-kills']! / wall['invoices-faults']!).toFixed(2));
  }

  /** Three `worker` processes and a `run` (its own worker in process), all sharing one state store and so
   * each account's pace, on a server with four task-queue partitions. */
  async function multiWorker(): Promise<void> {
    if (wanted && !wanted.includes('multi-worker')) return;
    const env = workerEnv(server.address, emulator, fresh());
    const workers = await Promise.all([startWorker(env), startWorker(env), startWorker(env)]);
    const spec = customersSpec(
      'bench-multi-worker',
      csv(
        'multi.csv',
        ['id', 'name', 'email', 'seats'],
        customerRows().map(([id, ...rest]) => [`M${String(id)}`, ...rest]),
      ),
    );
    const specPath = join(work, 'multi.sync.json');
    writeFileSync(specPath, JSON.stringify(spec));
    emulator.reset();
    const started = Date.now();
    const run = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'chartmogul-sync.js'), 'run', specPath, '--json', '--reports-dir', join(work, 'reports')],
      { env, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let output = '';
    run.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await once(run, 'exit');
    const wallSeconds = (Date.now() - started) / 1000;
    const totals = (JSON.parse(output.trim().split('\n').pop() ?? '{}') as { totals: SyncResult['totals'] }).totals;
    const memory = Math.max(...workers.map((worker) => peakMemoryMb(worker.pid ?? 0)));
    await stopWorkers(workers);
    await record('multi-worker', spec, emulator, { totals } as SyncResult, wallSeconds, memory);
  }

  /** Two ChartMogul accounts (two emulators) syncing at once through one worker: each has its own limit. */
  async function twoAccounts(): Promise<void> {
    if (wanted && !wanted.includes('two-accounts')) return;
    const second = await startEmulator({
      apiKey: 'bench_second',
      dataSources: [DS],
      rps: 40,
      maxConnections: 20,
      latency: '50-150',
      seed: 8,
    });
    const env = {
      ...workerEnv(server.address, emulator, fresh()),
      CHARTMOGUL_API_KEY_SECOND: 'bench_second',
      CHARTMOGUL_API_URL_SECOND: second.url,
    };
    // One worker serving both accounts: each must still get its own limit.
    const workers = [await startWorker(env)];
    const rows = customerRows().map(([id, ...rest]) => [`T${String(id)}`, ...rest]);
    const one = customersSpec('bench-account-one', csv('account-one.csv', ['id', 'name', 'email', 'seats'], rows));
    const two = {
      ...customersSpec('bench-account-two', csv('account-two.csv', ['id', 'name', 'email', 'seats'], rows)),
      account: 'second',
    };
    emulator.reset();
    const started = Date.now();
    const [first, other] = await Promise.all([runSync(one), runSync(two)]);
    const wallSeconds = (Date.now() - started) / 1000;
    const memory = Math.max(...workers.map((worker) => peakMemoryMb(worker.pid ?? 0)));
    await stopWorkers(workers);
    await record('two-accounts:1', one, emulator, first, wallSeconds, memory);
    await record('two-accounts:2', two, second, other, wallSeconds, memory);
    await second.stop();
  }

  /** The cost of encryption, where ChartMogul's limit cannot hide it: the same sync against an emulator
   * without limits or latency and a worker without a pace, with CHARTMOGUL_SYNC_ENCRYPTION_KEYS unset, then
   * set. Each runs three times; the median counts. */
  async function encryption(): Promise<void> {
    if (wanted && !wanted.includes('encryption')) return;
    const unlimited = await startEmulator({ apiKey: API_KEY, dataSources: [DS], rps: 0, maxConnections: 0, seed: 9 });
    const key = `bench:${randomBytes(32).toString('base64')}`;
    const medians: Record<string, number> = {};
    for (const [label, keys] of [
      ['encryption-off', ''],
      ['encryption-on', key],
    ] as const) {
      const env = { ...workerEnv(server.address, unlimited, fresh()), CHARTMOGUL_SYNC_ENCRYPTION_KEYS: keys };
      const worker = await startWorker(env, ['--rps', '0']);
      const codecClient = new Client({ connection, dataConverter: dataConverterFor(parseEncryptionKeys(keys)) });
      const rates: number[] = [];
      for (let round = 0; round < 3; round += 1) {
        unlimited.reset({ data: true });
        const spec = { ...customersSpec(`bench-${label}-${round}`, original), options: { incremental: false } };
        const started = Date.now();
        const result = await codecClient.workflow.execute<(spec: unknown) => Promise<SyncResult>>(
          'syncWorkflow',
          syncStartOptions(spec),
        );
        const wallSeconds = (Date.now() - started) / 1000;
        rates.push(result.totals.read / wallSeconds);
        if (round === 2) await record(label, spec, unlimited, result, wallSeconds, peakMemoryMb(worker.pid ?? 0));
      }
      await stopWorkers([worker]);
      medians[label] = rates.sort((a, b) => a - b)[1]!;
    }
    await unlimited.stop();
    const off = medians['encryption-off'] ?? 0;
    const on = medians['encryption-on'] ?? 0;
    encryptionSummary = `encryption: ${on.toFixed(1)} rows/s on vs ${off.toFixed(1)} off (median of 3, no rate limit) = ${((on / off) * 100).toFixed(1)}% of off`;
  }

  /** A re-run over a data source and state store seeded directly (bench/seed.ts), as a finished sync leaves
   * them: every row unchanged, or one in `changedEvery` changed. Its own emulator, at ChartMogul's limits. */
  async function seededRerun(label: string, rows: number, changedEvery: number): Promise<void> {
    if (wanted && !wanted.includes(label)) return;
    const seeded = await startEmulator({ apiKey: API_KEY, dataSources: [DS], rps: 0, maxConnections: 0, seed: 10 });
    const base = join(work, `${label}.csv`);
    await generateCustomersCsv(base, rows);
    const name = `bench-${label}`;
    const env = workerEnv(server.address, seeded, fresh());
    const seedStarted = Date.now();
    const count = await seedSyncedSource(seeded, parsedSpec(customersSpec(name, base)), env);
    console.error(
      `${label.padEnd(18)} seeded ${count} customers and their state in ${(Date.now() - seedStarted) / 1000} s`,
    );
    let path = base;
    if (changedEvery > 0) {
      path = join(work, `${label}-changed.csv`);
      await generateCustomersCsv(path, rows, changedEvery);
    }
    seeded.configure({ rps: 40, maxConnections: 20, latency: '50-150' });
    const worker = await startWorker(env);
    seeded.reset();
    const spec = customersSpec(name, path);
    const started = Date.now();
    const result = await runSync(spec);
    const wallSeconds = (Date.now() - started) / 1000;
    const memory = peakMemoryMb(worker.pid ?? 0);
    await stopWorkers([worker]);
    await record(label, spec, seeded, result, wallSeconds, memory);
    await seeded.stop();
  }

  const fresh = () => join(mkdtempSync(join(work, 'state-')), 'state.sqlite');
  const original = csv('customers.csv', ['id', 'name', 'email', 'seats'], customerRows());
  const changed = new Set(
    Array.from({ length: Math.max(1, Math.round(ROWS / 100)) }, (_, index) => index * 100 + 7).filter(
      (index) => index < ROWS,
    ),
  );
  const onePercent = csv('customers-1pct.csv', ['id', 'name', 'email', 'seats'], customerRows(changed));

  await scenario('initial-empty', customersSpec('bench-initial', original), fresh());
  emulator.reset({ data: true });
  await seedCustomers(emulator, customerRows());
  const populatedState = fresh();
  await scenario('initial-populated', customersSpec('bench-populated', original), populatedState);
  await scenario('rerun-no-change', customersSpec('bench-populated', original), populatedState);
  await scenario('rerun-1pct', customersSpec('bench-populated', onePercent), populatedState);
  await scenario('naive-1pct', customersSpec('bench-naive', onePercent, { incremental: false }), fresh());
  const contacts = csv(
    'contacts.csv',
    ['customer', 'email', 'first'],
    Array.from({ length: ROWS }, (_, index) => [
      `B-${String(index).padStart(6, '0')}`,
      `person${index}@example.com`,
      `Person ${index}`,
    ]),
  );
  await scenario(
    'contacts-upsert',
    {
      name: 'bench-contacts',
      object: 'contacts',
      mode: 'upsert',
      dataSourceUuid: DS,
      source: { type: 'file', path: contacts },
      mapping: [
        { from: 'customer', to: 'customer_external_id' },
        { from: 'email', to: 'email' },
        { from: 'first', to: 'first_name' },
      ],
    },
    fresh(),
  );

  await invoices();
  await invoiceKills();
  await multiWorker();
  await twoAccounts();
  await encryption();
  await seededRerun('rerun-1pct-10k', 10_000, 100);
  await seededRerun('million-rerun', Number(args['million-rows']), 0);
  const starts =
    !wanted || wanted.includes('worker-start') ? await workerStart(workerEnv(server.address, emulator, fresh())) : [];

  const ours = results.find((figures) => figures.scenario === 'rerun-1pct');
  const naive = results.find((figures) => figures.scenario === 'naive-1pct');
  let scale: Record<string, number> | undefined;
  if (!wanted || wanted.includes('scale')) {
    console.error(`scale: reading ${args['million-rows']} generated rows through source, mapping and diff...`);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'scale.ts'), String(args['million-rows'])],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await once(child, 'exit');
    scale = JSON.parse(output.trim()) as Record<string, number>;
    console.error(`scale              ${JSON.stringify(scale)}`);
  }

  await emulator.stop();
  await connection.close();
  await server.stop();

  const summary = {
    date: new Date().toISOString(),
    rows: ROWS,
    limits: { requestsPerSecond: 40, connections: 20, latencyMs: '50-150' },
    scenarios: results,
    workerStart: starts,
    encryption: encryptionSummary,
    invoiceKillSlowDown: killSlowDown,
    naiveOverOursWallTime: ours && naive ? Number((naive.wallSeconds / ours.wallSeconds).toFixed(1)) : undefined,
    scale,
  };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const out = join(__dirname, 'results', `${summary.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, JSON.stringify(summary, null, 2));
  console.log(
    '\nscenario            rows  req/row   429  503   req/s  peak/s  limit%  rows/s  wall s  peak MB  max events',
  );
  for (const f of results) {
    console.log(
      `${f.scenario.padEnd(18)} ${String(f.rows).padStart(5)}  ${f.requestsPerRow.toFixed(4).padStart(7)} ${String(f.status429).padStart(5)} ${String(f.status503).padStart(4)}  ${f.requestsPerSecond.toFixed(1).padStart(6)}  ${String(f.peakRequestsPerSecond).padStart(6)}  ${String(f.limitUsedPercent).padStart(6)}  ${f.rowsPerSecond.toFixed(1).padStart(6)}  ${f.wallSeconds.toFixed(1).padStart(6)}  ${String(f.peakWorkerMemoryMb).padStart(7)}  ${String(f.maxHistoryEvents).padStart(10)}`,
    );
  }
  for (const start of starts)
    console.log(
      `worker start, ${start.mode.padEnd(14)} ready in ${start.readySeconds.toFixed(2)} s, peak ${start.peakMbBeforeFirstRow} MB before the first row`,
    );
  if (summary.naiveOverOursWallTime)
    console.log(`naive / ours, wall time on the 1%-changed re-run: ${summary.naiveOverOursWallTime}x`);
  if (encryptionSummary) console.log(encryptionSummary);
  if (killSlowDown) console.log(`invoices under faults, 8 worker kills / none, wall time: ${killSlowDown}x`);
  if (scale)
    console.log(
      `scale: ${scale.rows} rows in ${scale.seconds} s = ${scale.rowsPerSecond} rows/s, peak memory ${scale.peakMemoryMb} MB`,
    );
  console.log(`figures: ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
