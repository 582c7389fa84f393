// The product's own commands as child processes, as a user runs them: `chartmogul-sync worker` and others.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export const BIN = join(__dirname, '..', '..', 'bin', 'chartmogul-sync.js');

const started = new Set<ChildProcess>();

export type WorkerProcess = ChildProcess & {
  /** Its log so far (the last 2 MB). */
  output(): string;
};

/** `chartmogul-sync worker` in its own process; resolves once it polls. */
export async function startWorkerProcess(env: NodeJS.ProcessEnv, args: string[] = []): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  // Keep reading its log: a pipe nobody reads fills up and stalls the worker on its next write.
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2_000_000);
  });
  while (!output.includes('Worker running')) {
    if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}):\n${output}`);
    await once(child.stderr, 'data');
  }
  return Object.assign(child, { output: () => output });
}

/** Kills every process these helpers started that is still running (for `after` hooks). */
export function killStartedProcesses(): void {
  for (const child of started) child.kill('SIGKILL');
}
