// Three `worker` processes and a `run` (its own worker in process), all sharing one state store and so each
// account's pace, on a server with four task-queue partitions.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { SyncResult } from '../../src/contracts/sync-types';
import { customersSpec, peakMemoryMb, ROOT, stopWorkers, type Scenario } from '../bench';

export const multiWorker: Scenario = {
  names: ['multi-worker'],
  async run(bench) {
    const env = bench.workerEnv(bench.emulator, bench.fresh());
    const workers = await Promise.all([bench.startWorker(env), bench.startWorker(env), bench.startWorker(env)]);
    const spec = customersSpec(
      'bench-multi-worker',
      bench.csv(
        'multi.csv',
        ['id', 'name', 'email', 'seats'],
        bench.customerRows().map(([id, ...rest]) => [`M${String(id)}`, ...rest]),
      ),
    );
    const specPath = join(bench.work, 'multi.sync.json');
    writeFileSync(specPath, JSON.stringify(spec));
    bench.emulator.reset();
    const started = Date.now();
    const run = spawn(
      process.execPath,
      [
        join(ROOT, 'bin', 'chartmogul-sync.js'),
        'run',
        specPath,
        '--json',
        '--reports-dir',
        join(bench.work, 'reports'),
      ],
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
    await bench.record('multi-worker', spec, bench.emulator, { totals } as SyncResult, wallSeconds, memory);
  },
};
