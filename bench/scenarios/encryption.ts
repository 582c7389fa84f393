// The cost of encryption, where ChartMogul's limit cannot hide it: the same sync against an emulator without
// limits or latency and a worker without a pace, with CHARTMOGUL_SYNC_ENCRYPTION_KEYS unset, then set. Each
// runs three times; the median counts.

import { randomBytes } from 'node:crypto';

import { Client } from '@temporalio/client';

import { syncStartOptions } from '../../src/contracts/names';
import type { SyncResult } from '../../src/contracts/sync-types';
import { startEmulator } from '../../src/emulator';
import { dataConverterFor } from '../../src/privacy/data-converter';
import { parseEncryptionKeys } from '../../src/privacy/encryption-keys';
import { API_KEY, customersSpec, DS, peakMemoryMb, stopWorkers, type Scenario } from '../bench';

export const encryption: Scenario = {
  names: ['encryption'],
  async run(bench) {
    const unlimited = await startEmulator({ apiKey: API_KEY, dataSources: [DS], rps: 0, maxConnections: 0, seed: 9 });
    const original = bench.customersFile();
    const key = `bench:${randomBytes(32).toString('base64')}`;
    const medians: Record<string, number> = {};
    for (const [label, keys] of [
      ['encryption-off', ''],
      ['encryption-on', key],
    ] as const) {
      const env = { ...bench.workerEnv(unlimited, bench.fresh()), CHARTMOGUL_SYNC_ENCRYPTION_KEYS: keys };
      const worker = await bench.startWorker(env, ['--rps', '0']);
      const codecClient = new Client({
        connection: bench.connection,
        dataConverter: dataConverterFor(parseEncryptionKeys(keys)),
      });
      const rates: number[] = [];
      for (let round = 0; round < 3; round += 1) {
        unlimited.reset({ data: true });
        const spec = { ...customersSpec(`bench-${label}-${round}`, original), options: { incremental: false } };
        const started = Date.now();
        const result = await codecClient.workflow.execute<(spec: unknown) => Promise<SyncResult>>(
          'syncWorkflow',
          syncStartOptions(spec),
        );
        const wallSeconds = (Date.now() - started) / 1000;
        rates.push(result.totals.read / wallSeconds);
        if (round === 2) await bench.record(label, spec, unlimited, result, wallSeconds, peakMemoryMb(worker.pid ?? 0));
      }
      await stopWorkers([worker]);
      medians[label] = rates.sort((a, b) => a - b)[1]!;
    }
    await unlimited.stop();
    const off = medians['encryption-off'] ?? 0;
    const on = medians['encryption-on'] ?? 0;
    bench.extras.encryption = `encryption: ${on.toFixed(1)} rows/s on vs ${off.toFixed(1)} off (median of 3, no rate limit) = ${((on / off) * 100).toFixed(1)}% of off`;
  },
};
