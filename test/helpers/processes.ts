// The product's own commands as child processes, as a user runs them: `chartmogul-sync worker` and others.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
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

export interface CommandOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `chartmogul-sync <args>` to its end, as a user's shell would, and answers its exit code and output. */
export function runCommand(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A customers spec file over a CSV of `<name>-1`…`<name>-N`, written into `folder`. One request a customer
 * (no bulk import), so the sync has rows in flight for a while: the tests that use it stop, kill and watch
 * processes mid-sync. */
export function customersSpecFile(
  folder: string,
  name: string,
  rows: number,
  dataSourceUuid: string,
  options: Record<string, unknown> = {},
): string {
  const csv = join(folder, `${name}.csv`);
  writeFileSync(
    csv,
    ['id,name', ...Array.from({ length: rows }, (_, index) => `${name}-${index + 1},Customer ${index + 1}`)].join(
      '\n',
    ) + '\n',
  );
  const path = join(folder, `${name}.sync.json`);
  writeFileSync(
    path,
    JSON.stringify({
      name,
      object: 'customers',
      mode: 'upsert',
      dataSourceUuid,
      source: { type: 'file', path: csv },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'name', to: 'name' },
      ],
      options: { bulkImport: 'never', ...options },
    }),
  );
  return path;
}
