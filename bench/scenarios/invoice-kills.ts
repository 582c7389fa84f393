// Invoices under faults (20% 429s, 5% 500s, 2% resets, 5% of writes applied with their answers lost), as a
// first load with one worker, then again with the worker SIGKILLed 8 times and started again: how much the
// kills slow the sync down, and every invoice there exactly once.

import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

import { syncStartOptions } from '../../src/contracts/names';
import type { SyncResult } from '../../src/contracts/sync-types';
import { peakMemoryMb, stopWorkers, type Scenario } from '../bench';
import { seedInvoices } from './invoices';

export const invoiceKills: Scenario = {
  names: ['invoice-kills'],
  async run(bench) {
    const { emulator } = bench;
    const importRoute = 'POST /v1/import/customers/:uuid/invoices';
    const imported = () =>
      Object.entries(emulator.stats().byRoute[importRoute] ?? {})
        .filter(([status]) => status.startsWith('2'))
        .reduce((sum, [, count]) => sum + count, 0);
    const wall: Record<string, number> = {};
    for (const kills of [0, 8]) {
      const label = kills === 0 ? 'invoices-faults' : 'invoices-faults-kills';
      // One request an invoice: the kills are timed by imports (bulk kills: the bulk scenarios).
      const spec = await seedInvoices(bench, `bench-${label}`);
      spec.options = { bulkImport: 'never' };
      const env = bench.workerEnv(emulator, bench.fresh());
      let worker = await bench.startWorker(env);
      emulator.reset();
      emulator.configure({ faults: '429=0.2,500=0.05,reset=0.02,lost=0.05' });
      const started = Date.now();
      const handle = await bench.client.workflow.start('syncWorkflow', syncStartOptions(spec));
      for (let kill = 1; kill <= kills; kill++) {
        while (imported() < (bench.rows * kill) / (kills + 1)) await sleep(50);
        worker.kill('SIGKILL');
        await once(worker, 'exit');
        worker = await bench.startWorker(env);
      }
      const result = (await handle.result()) as SyncResult;
      wall[label] = (Date.now() - started) / 1000;
      const memory = peakMemoryMb(worker.pid ?? 0);
      await stopWorkers([worker]);
      emulator.configure({ faults: {} });
      await bench.record(label, spec, emulator, result, wall[label], memory);
      const held = await bench.listedExternalIds('/v1/invoices', 'invoices');
      const eachOnce = new Set(held).size === held.length && held.length === bench.rows;
      console.error(`${label}: ${held.length} invoices in ChartMogul, ${eachOnce ? 'each once' : 'NOT each once'}`);
      if (!eachOnce) throw new Error(`${label}: ${held.length} invoices for ${bench.rows} rows`);
    }
    bench.extras.invoiceKillSlowDown = Number((wall['invoices-faults-kills']! / wall['invoices-faults']!).toFixed(2));
  },
};
