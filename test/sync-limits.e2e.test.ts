// At ChartMogul's own limits (40 requests/s, 20 connections, realistic latency) a 2000-row customer upsert
// completes with 429s under 1% of requests. Figures go to the log; speed is the benchmark's business.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { listAll, runSync, useSyncHarness, writeCsv, totals } from './helpers/sync';

const harness = useSyncHarness({ rps: 40, maxConnections: 20, latency: '50-150' });

test('2000-row upsert at 40 requests/s and 20 connections: under 1% 429s, no 503s', { timeout: 600_000 }, async () => {
  const { temporal, emulator } = harness;
  const path = writeCsv(
    'limits.csv',
    ['id', 'name', 'plan'],
    Array.from({ length: 2000 }, (_, index) => [
      `L-${String(index).padStart(5, '0')}`,
      `Limited ${index}`,
      index % 3 === 0 ? 'pro' : 'basic',
    ]),
  );
  emulator.reset();
  const result = await runSync(temporal.client, {
    name: 'limits',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: emulator.dataSourceUuid,
    source: { type: 'file', path },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'plan', to: 'plan' },
    ],
  });
  assert.deepEqual(result.totals, totals({ read: 2000, created: 2000 }));
  const stats = emulator.stats();
  const limited = stats.byStatus['429'] ?? 0;
  const seconds = ((stats.lastRequestAt ?? 0) - (stats.firstRequestAt ?? 0)) / 1000;
  console.log(
    `limits: ${stats.total} requests in ${seconds.toFixed(1)} s = ${(stats.total / seconds).toFixed(1)} requests/s; 429s ${limited} (${((100 * limited) / stats.total).toFixed(2)}%); 503s ${stats.byStatus['503'] ?? 0}; peak ${stats.peakRequestsPerSecond}/s, ${stats.peakInFlight} in flight`,
  );
  assert.ok(limited / stats.total < 0.01, `429s were ${limited} of ${stats.total}`);
  assert.equal(stats.byStatus['503'] ?? 0, 0);
  assert.equal((await listAll(emulator, '/v1/customers')).length, 2000);
});
