// Test harness: a real Temporal dev server per test file, real workers, and the emulator.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, Connection } from '@temporalio/client';

import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/temporal/dev-server';
import { dataConverterFor } from '../../src/privacy/data-converter';
import { createWorkers, installRuntime, type RunningWorkers, type WorkerOptions } from '../../src/worker/workers';
import { SEARCH_ATTRIBUTES } from '../../src/contracts/names';
import { readConfig } from '../../src/config';

// Expected failures (429s, rejected rows) are what these tests are about: keep the output to errors.
installRuntime({ level: 'ERROR' });

export interface TestTemporal {
  server: DevServer;
  client: Client;
  stop(): Promise<void>;
}

/** Starts the dev server from the installed `temporal` CLI (installing it with Go if needed). */
export async function startTestTemporal(options: Pick<DevServerOptions, 'dynamicConfig'> = {}): Promise<TestTemporal> {
  const server = await startDevServer({
    ui: false,
    searchAttributes: SEARCH_ATTRIBUTES,
    temporalCli: readConfig().temporalCli,
    ...options,
  });
  const connection = await Connection.connect({ address: server.address });
  // The product's data converter; without keys it encrypts nothing (test/privacy.e2e.test.ts makes its own).
  const client = new Client({ connection, namespace: server.namespace, dataConverter: dataConverterFor([]) });
  return {
    server,
    client,
    async stop() {
      await connection.close();
      await server.stop();
    },
  };
}

/** Runs workers for the length of `fn`, then shuts them down and waits for them to stop. */
export async function withWorkers<T>(
  server: DevServer,
  { env, ...options }: Omit<WorkerOptions, 'address' | 'config'> & { env?: NodeJS.ProcessEnv },
  fn: (workers: RunningWorkers) => Promise<T>,
): Promise<T> {
  // The test is the entry point: its environment (or this process's) becomes the workers' configuration.
  const workers = await createWorkers({
    address: server.address,
    namespace: server.namespace,
    config: readConfig(env ?? process.env),
    ...options,
  });
  const running = workers.run();
  try {
    return await fn(workers);
  } finally {
    workers.shutdown();
    await running;
  }
}

export const TEST_DATA_SOURCE = 'ds_11111111-2222-4333-8444-555555555555';
export const TEST_API_KEY = 'test_api_key_5f2c9a';

export interface TestEmulator extends EmulatorHandle {
  apiKey: string;
  dataSourceUuid: string;
  /** Environment a worker needs to reach this emulator as the `default` account. */
  env: NodeJS.ProcessEnv;
}

export async function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
  const apiKey = options.apiKey ?? TEST_API_KEY;
  const emulator = await startEmulator({
    rps: 0,
    maxConnections: 0,
    dataSources: [TEST_DATA_SOURCE],
    ...options,
    apiKey,
  });
  return Object.assign(emulator, {
    apiKey,
    dataSourceUuid: TEST_DATA_SOURCE,
    // Each emulator is a fresh account, so each gets a fresh state store.
    env: {
      CHARTMOGUL_API_KEY: apiKey,
      CHARTMOGUL_API_URL: emulator.url,
      STATE_SQLITE_PATH: join(mkdtempSync(join(tmpdir(), 'cms-state-')), 'state.sqlite'),
    },
  });
}

/** Every string in a history, payloads decoded from their bytes, so a search cannot miss a value that
 * sits inside an encoded payload (JSON.stringify of a history shows payload bytes as numbers). */
export function historyText(history: unknown): string {
  const parts: string[] = [];
  const visit = (value: unknown): void => {
    if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(history);
  return parts.join('\n');
}
