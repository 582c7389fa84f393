// The emulator's limits (40 requests/s → 429, 20 in flight → 503), seeded fault injection and counters.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseFaultSpec, parseLatency, startEmulator, type EmulatorOptions } from '../src/emulator';

const API_KEY = 'limits_key';
const DS = 'ds_11111111-2222-4333-8444-555555555555';
const AUTH = { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}` };

async function withEmulator<T>(
  options: Partial<EmulatorOptions>,
  fn: (url: string, emulator: Awaited<ReturnType<typeof startEmulator>>) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator({ apiKey: API_KEY, dataSources: [DS], ...options });
  try {
    return await fn(emulator.url, emulator);
  } finally {
    await emulator.stop();
  }
}

/** Status of one request, or `dropped` when the emulator cut the connection. */
async function statusOf(url: string, init: RequestInit = {}): Promise<number | 'dropped'> {
  try {
    const response = await fetch(url, {
      ...init,
      headers: { ...AUTH, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 'dropped';
  }
}

function count(statuses: (number | 'dropped')[], status: number | 'dropped'): number {
  return statuses.filter((candidate) => candidate === status).length;
}

test("45 requests at once at --rps 40: at least 5 get 429 with ChartMogul's message", () =>
  withEmulator({ rps: 40, maxConnections: 0 }, async (url, emulator) => {
    const statuses = await Promise.all(Array.from({ length: 45 }, () => statusOf(`${url}/v1/ping`)));
    assert.ok(count(statuses, 429) >= 5, `429s: ${count(statuses, 429)}`);
    assert.equal(count(statuses, 200), 40);
    assert.equal(emulator.stats().rateLimited, count(statuses, 429));
    const body = await (await fetch(`${url}/v1/ping`, { headers: AUTH })).json();
    assert.deepEqual(body, { code: 429, message: 'Your request rate has exceeded our rate limit.', param: null });
  }));

test('25 slow requests in flight at --max-connections 20: the extra ones get 503', () =>
  withEmulator({ rps: 0, maxConnections: 20, latency: '400-400' }, async (url, emulator) => {
    const statuses = await Promise.all(Array.from({ length: 25 }, () => statusOf(`${url}/v1/ping`)));
    assert.ok(count(statuses, 503) >= 5, `503s: ${count(statuses, 503)}`);
    assert.equal(count(statuses, 200) + count(statuses, 503), 25);
    const stats = emulator.stats();
    assert.equal(stats.tooManyConnections, count(statuses, 503));
    assert.ok(stats.peakInFlight >= 21);
  }));

test('the 503 names the configured limit, and every answer carries Retry-Count as recorded', () =>
  withEmulator({ rps: 0, maxConnections: 3, latency: '300-300' }, async (url) => {
    const responses = await Promise.all(Array.from({ length: 6 }, () => fetch(`${url}/v1/ping`, { headers: AUTH })));
    const refused = responses.find((response) => response.status === 503);
    assert.ok(refused, 'six requests at once over a limit of 3 get a 503');
    assert.deepEqual(await refused.json(), {
      code: 503,
      message: 'Too many parallel connections. Please do not exceed 3 parallel connections.',
      param: null,
    });
    for (const response of responses) assert.equal(response.headers.get('retry-count'), '0');
    await Promise.all(responses.filter((response) => response !== refused).map((response) => response.arrayBuffer()));
  }));

test('with both limits off, 45 slow requests at once all succeed', () =>
  withEmulator({ rps: 0, maxConnections: 0, latency: '100-200' }, async (url, emulator) => {
    const statuses = await Promise.all(Array.from({ length: 45 }, () => statusOf(`${url}/v1/ping`)));
    assert.deepEqual(new Set(statuses), new Set([200]));
    const stats = emulator.stats();
    assert.equal(stats.rateLimited + stats.tooManyConnections, 0);
    assert.equal(stats.peakRequestsPerSecond, 45);
    assert.ok(stats.peakInFlight > 20, `peak in flight ${stats.peakInFlight}`);
  }));

async function faultSequence(seed: number): Promise<(number | 'dropped')[]> {
  return withEmulator(
    { rps: 0, maxConnections: 0, seed, faults: '429=0.15,500=0.1,502=0.05,503=0.05,reset=0.05,lost=0.2' },
    async (url) => {
      const statuses: (number | 'dropped')[] = [];
      for (let i = 0; i < 80; i++) {
        statuses.push(
          i % 2 === 0
            ? await statusOf(`${url}/v1/ping`)
            : await statusOf(`${url}/v1/customers`, {
                method: 'POST',
                body: JSON.stringify({ data_source_uuid: DS, external_id: `c${i}` }),
              }),
        );
      }
      return statuses;
    },
  );
}

test('the same seed and the same requests inject the same faults', async () => {
  const first = await faultSequence(7);
  const second = await faultSequence(7);
  assert.deepEqual(second, first);
  for (const status of [429, 500, 'dropped'] as const)
    assert.ok(count(first, status) > 0, `some ${status} in ${JSON.stringify(first)}`);
  assert.notDeepEqual(await faultSequence(8), first, 'another seed gives other faults');
});

test('"applied but lost" writes are stored even though the client saw a failure', () =>
  withEmulator({ rps: 0, maxConnections: 0, faults: 'lost=1' }, async (url, emulator) => {
    const status = await statusOf(`${url}/v1/customers`, {
      method: 'POST',
      body: JSON.stringify({ data_source_uuid: DS, external_id: 'lost-1' }),
    });
    assert.ok(status === 500 || status === 'dropped', `status ${status}`);
    const listed = (await (await fetch(`${url}/v1/customers?external_id=lost-1`, { headers: AUTH })).json()) as {
      entries: unknown[];
    };
    assert.equal(listed.entries.length, 1, 'the customer exists');
    const retry = await statusOf(`${url}/v1/customers`, {
      method: 'POST',
      body: JSON.stringify({ data_source_uuid: DS, external_id: 'lost-1' }),
    });
    assert.equal(retry, 422, 'a retried create meets the duplicate external_id');
    const faults = emulator.stats().faults;
    assert.equal((faults.lostStatus500 ?? 0) + (faults.lostReset ?? 0), 1, 'reads are never "lost"');
  }));

test('stats count by route and status over HTTP, and reset clears them (data too when asked)', () =>
  withEmulator({ rps: 0, maxConnections: 0 }, async (url) => {
    await statusOf(`${url}/v1/ping`);
    await statusOf(`${url}/v1/ping`, { headers: { authorization: 'Basic eDo=' } });
    await statusOf(`${url}/v1/customers`, {
      method: 'POST',
      body: JSON.stringify({ data_source_uuid: DS, external_id: 'kept' }),
    });
    const customer = (await (await fetch(`${url}/v1/customers?external_id=kept`, { headers: AUTH })).json()) as {
      entries: { uuid: string }[];
    };
    await statusOf(`${url}/v1/customers/${customer.entries[0]?.uuid}`);
    const stats = (await (await fetch(`${url}/_emulator/stats`)).json()) as Record<string, any>;
    assert.equal(stats.total, 5);
    assert.deepEqual(stats.byRoute['GET /v1/ping'], { 200: 1, 401: 1 });
    assert.deepEqual(stats.byRoute['GET /v1/customers/:uuid'], { 200: 1 });
    assert.deepEqual(stats.byStatus, { 200: 3, 201: 1, 401: 1 });
    assert.equal(stats.peakRequestsPerSecond, 5);
    assert.equal(stats.peakInFlight, 1);
    await fetch(`${url}/_emulator/reset`, { method: 'POST' });
    assert.equal(((await (await fetch(`${url}/_emulator/stats`)).json()) as { total: number }).total, 0);
    const kept = (await (await fetch(`${url}/v1/customers?external_id=kept`, { headers: AUTH })).json()) as {
      entries: unknown[];
    };
    assert.equal(kept.entries.length, 1, 'a plain reset keeps the data');
    await fetch(`${url}/_emulator/reset?data=true`, { method: 'POST' });
    const emptied = (await (await fetch(`${url}/v1/customers?external_id=kept`, { headers: AUTH })).json()) as {
      entries: unknown[];
    };
    assert.equal(emptied.entries.length, 0);
    const source = await statusOf(`${url}/v1/data_sources/${DS}`);
    assert.equal(source, 200, 'the initial data sources stay');
  }));

test('fault and latency specs are checked, with messages that say what is expected', () => {
  assert.deepEqual(parseFaultSpec('429=0.2, 500=5%,reset:0.01'), { 429: 0.2, 500: 0.05, reset: 0.01 });
  assert.throws(() => parseFaultSpec('418=0.1'), /KEY one of 429, 500, 502, 503, reset, lost/);
  assert.throws(() => parseFaultSpec('429=2'), /from 0 to 1/);
  assert.throws(() => parseFaultSpec('429=0.6,500=0.6'), /more than 1/);
  assert.deepEqual(parseLatency('50-150'), { minMs: 50, maxMs: 150 });
  assert.deepEqual(parseLatency('20'), { minMs: 20, maxMs: 20 });
  assert.throws(() => parseLatency('fast'), /MIN-MAX/);
});
