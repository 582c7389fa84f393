// The benchmark: syncs against the emulator at ChartMogul's limits (40 requests/s, 20 connections, 50-150 ms
// latency) and prints, per scenario, requests per row, 429s/503s, requests/s reached, rows/s, the worker's
// peak memory and the largest workflow history. Writes the figures to bench/results/<time>.json.
//   npm run bench -- [--rows N] [--million-rows N] [--bulk-invoices N] [--scenarios a,b,...]
//   (scenarios: initial-empty, initial-populated, rerun-no-change, rerun-1pct, naive-1pct, contacts-upsert,
//   invoices, invoice-kills, bulk-first-load, bulk-off, bulk-slow, bulk-kills, multi-worker, two-accounts, encryption, rerun-1pct-10k, million-rerun, worker-start, scale)
// Each scenario is a module of bench/scenarios/; this runner starts what they share (bench/bench.ts), runs the
// ones asked for in this order, and prints the summary.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { Client, Connection } from '@temporalio/client';

import { readConfig } from '../src/config';
import { SEARCH_ATTRIBUTES } from '../src/contracts/names';
import { startEmulator } from '../src/emulator';
import { startDevServer } from '../src/temporal/dev-server';
import { API_KEY, Bench, DS, type Scenario } from './bench';
import { bulk } from './scenarios/bulk';
import { customers } from './scenarios/customers';
import { encryption } from './scenarios/encryption';
import { invoiceKills } from './scenarios/invoice-kills';
import { invoices } from './scenarios/invoices';
import { multiWorker } from './scenarios/multi-worker';
import { scale } from './scenarios/scale';
import { seededReruns } from './scenarios/seeded-rerun';
import { twoAccounts } from './scenarios/two-accounts';
import { workerStart } from './scenarios/worker-start';

/** In the order they run. */
const SCENARIOS: Scenario[] = [
  customers,
  invoices,
  invoiceKills,
  bulk,
  multiWorker,
  twoAccounts,
  encryption,
  seededReruns,
  workerStart,
  scale,
];

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      rows: { type: 'string', default: '2000' },
      'million-rows': { type: 'string', default: '1000000' },
      'bulk-invoices': { type: 'string', default: '100000' },
      scenarios: { type: 'string' },
    },
  });
  const asked = args.scenarios?.split(',');
  const known = SCENARIOS.flatMap((scenario) => scenario.names);
  const unknown = asked?.filter((name) => !known.includes(name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; the scenarios: ${known.join(', ')}`);
  const wanted = (name: string) => !asked || asked.includes(name);
  const rows = Number(args.rows);
  const work = mkdtempSync(join(tmpdir(), 'cms-bench-'));
  console.error(
    `Benchmark: ${rows} rows; emulator at 40 requests/s, 20 connections, 50-150 ms latency. Work folder ${work}`,
  );
  // Temporal's default of four task-queue partitions, as a cluster has: the pace must not depend on it.
  const server = await startDevServer({
    temporalCli: readConfig().temporalCli,
    ui: false,
    searchAttributes: SEARCH_ATTRIBUTES,
    dynamicConfig: { 'matching.numTaskqueueReadPartitions': 4, 'matching.numTaskqueueWritePartitions': 4 },
  });
  const connection = await Connection.connect({ address: server.address });
  const emulator = await startEmulator({
    apiKey: API_KEY,
    dataSources: [DS],
    rps: 40,
    maxConnections: 20,
    latency: '50-150',
    seed: 7,
  });
  const bench = new Bench(
    rows,
    Number(args['million-rows']),
    work,
    server.address,
    connection,
    new Client({ connection }),
    emulator,
    Number(args['bulk-invoices']),
  );
  for (const scenario of SCENARIOS) if (scenario.names.some(wanted)) await scenario.run(bench, wanted);
  await emulator.stop();
  await connection.close();
  await server.stop();
  printSummary(bench);
}

function printSummary({ rows, results, extras }: Bench): void {
  const ours = results.find((figures) => figures.scenario === 'rerun-1pct');
  const naive = results.find((figures) => figures.scenario === 'naive-1pct');
  const summary = {
    date: new Date().toISOString(),
    rows,
    limits: { requestsPerSecond: 40, connections: 20, latencyMs: '50-150' },
    scenarios: results,
    workerStart: extras.workerStart ?? [],
    encryption: extras.encryption,
    invoiceKillSlowDown: extras.invoiceKillSlowDown,
    naiveOverOursWallTime: ours && naive ? Number((naive.wallSeconds / ours.wallSeconds).toFixed(1)) : undefined,
    scale: extras.scale,
    bulk: extras.bulk,
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
  for (const start of summary.workerStart)
    console.log(
      `worker start, ${start.mode.padEnd(14)} ready in ${start.readySeconds.toFixed(2)} s, peak ${start.peakMbBeforeFirstRow} MB before the first row`,
    );
  if (summary.naiveOverOursWallTime)
    console.log(`naive / ours, wall time on the 1%-changed re-run: ${summary.naiveOverOursWallTime}x`);
  if (summary.encryption) console.log(summary.encryption);
  if (summary.invoiceKillSlowDown)
    console.log(`invoices under faults, 8 worker kills / none, wall time: ${summary.invoiceKillSlowDown}x`);
  for (const [name, value] of Object.entries(summary.bulk ?? {}))
    console.log(`${name}: ${Number.isInteger(value) ? value : value.toFixed(4)}`);
  if (summary.scale)
    console.log(
      `scale: ${summary.scale.rows} rows in ${summary.scale.seconds} s = ${summary.scale.rowsPerSecond} rows/s, peak memory ${summary.scale.peakMemoryMb} MB`,
    );
  console.log(`figures: ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
