// A re-run over a data source and state store seeded directly (bench/seed.ts), as a finished sync leaves
// them: 10,000 rows with one in a hundred changed, and a million (--million-rows) unchanged. Its own
// emulator, at ChartMogul's limits.

import { join } from 'node:path';

import { startEmulator } from '../../src/emulator';
import { API_KEY, customersSpec, DS, peakMemoryMb, stopWorkers, type Bench, type Scenario } from '../bench';
import { generateCustomersCsv, parsedSpec, seedSyncedSource } from '../seed';

export const seededReruns: Scenario = {
  names: ['rerun-1pct-10k', 'million-rerun'],
  async run(bench, wanted) {
    if (wanted('rerun-1pct-10k')) await seededRerun(bench, 'rerun-1pct-10k', 10_000, 100);
    if (wanted('million-rerun')) await seededRerun(bench, 'million-rerun', bench.millionRows, 0);
  },
};

/** Every row unchanged, or one in `changedEvery` changed. */
async function seededRerun(bench: Bench, label: string, rows: number, changedEvery: number): Promise<void> {
  const seeded = await startEmulator({ apiKey: API_KEY, dataSources: [DS], rps: 0, maxConnections: 0, seed: 10 });
  const base = join(bench.work, `${label}.csv`);
  await generateCustomersCsv(base, rows);
  const name = `bench-${label}`;
  const env = bench.workerEnv(seeded, bench.fresh());
  const seedStarted = Date.now();
  const count = await seedSyncedSource(seeded, parsedSpec(customersSpec(name, base)), env);
  console.error(
    `${label.padEnd(18)} seeded ${count} customers and their state in ${(Date.now() - seedStarted) / 1000} s`,
  );
  let path = base;
  if (changedEvery > 0) {
    path = join(bench.work, `${label}-changed.csv`);
    await generateCustomersCsv(path, rows, changedEvery);
  }
  seeded.configure({ rps: 40, maxConnections: 20, latency: '50-150' });
  const worker = await bench.startWorker(env);
  seeded.reset();
  const spec = customersSpec(name, path);
  const started = Date.now();
  const result = await bench.runSync(spec);
  const wallSeconds = (Date.now() - started) / 1000;
  const memory = peakMemoryMb(worker.pid ?? 0);
  await stopWorkers([worker]);
  await bench.record(label, spec, seeded, result, wallSeconds, memory);
  await seeded.stop();
}
