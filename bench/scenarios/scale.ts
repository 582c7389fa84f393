// Reading --million-rows generated rows through the source, the mapping and the diff, in a process of its
// own (bench/scale.ts), without Temporal or ChartMogul: rows per second and peak memory.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

import type { Scenario } from '../bench';

export const scale: Scenario = {
  names: ['scale'],
  async run(bench) {
    console.error(`scale: reading ${bench.millionRows} generated rows through source, mapping and diff...`);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', 'scale.ts'), String(bench.millionRows)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await once(child, 'exit');
    bench.extras.scale = JSON.parse(output.trim()) as Record<string, number>;
    console.error(`scale              ${JSON.stringify(bench.extras.scale)}`);
  },
};
