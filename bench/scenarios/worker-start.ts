// A worker's start as a user gets it: from the TypeScript sources through tsx (a checkout), and from the
// production build (`npm run build`: compiled, workflow code bundled at build time). Median of three each.

import { spawn } from 'node:child_process';
import { once } from 'node:events';

import { peakMemoryMb, ROOT, stopWorkers, type Scenario, type StartFigures } from '../bench';

export const workerStart: Scenario = {
  names: ['worker-start'],
  async run(bench) {
    const env = bench.workerEnv(bench.emulator, bench.fresh());
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
        const worker = await bench.startWorker({ ...env, ...extra });
        ready.push((Date.now() - started) / 1000);
        memory.push(peakMemoryMb(worker.pid ?? 0));
        await stopWorkers([worker]);
      }
      figures.push({ mode, readySeconds: Number(median(ready).toFixed(2)), peakMbBeforeFirstRow: median(memory) });
      console.error(`worker-start       ${JSON.stringify(figures[figures.length - 1])}`);
    }
    bench.extras.workerStart = figures;
  },
};
