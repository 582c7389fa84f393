// Two ChartMogul accounts (two emulators) syncing at once through one worker: each has its own limit.

import { startEmulator } from '../../src/emulator';
import { customersSpec, DS, peakMemoryMb, stopWorkers, type Scenario } from '../bench';

export const twoAccounts: Scenario = {
  names: ['two-accounts'],
  async run(bench) {
    const second = await startEmulator({
      apiKey: 'bench_second',
      dataSources: [DS],
      rps: 40,
      maxConnections: 20,
      latency: '50-150',
      seed: 8,
    });
    const env = {
      ...bench.workerEnv(bench.emulator, bench.fresh()),
      CHARTMOGUL_API_KEY_SECOND: 'bench_second',
      CHARTMOGUL_API_URL_SECOND: second.url,
    };
    // One worker serving both accounts: each must still get its own limit.
    const workers = [await bench.startWorker(env)];
    const rows = bench.customerRows().map(([id, ...rest]) => [`T${String(id)}`, ...rest]);
    const header = ['id', 'name', 'email', 'seats'];
    const one = customersSpec('bench-account-one', bench.csv('account-one.csv', header, rows));
    const two = {
      ...customersSpec('bench-account-two', bench.csv('account-two.csv', header, rows)),
      account: 'second',
    };
    bench.emulator.reset();
    const started = Date.now();
    const [first, other] = await Promise.all([bench.runSync(one), bench.runSync(two)]);
    const wallSeconds = (Date.now() - started) / 1000;
    const memory = Math.max(...workers.map((worker) => peakMemoryMb(worker.pid ?? 0)));
    await stopWorkers(workers);
    await bench.record('two-accounts:1', one, bench.emulator, first, wallSeconds, memory);
    await bench.record('two-accounts:2', two, second, other, wallSeconds, memory);
    await second.stop();
  },
};
