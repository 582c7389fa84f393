// The ChartMogul client against the emulator: error classification, ChartMogul's messages, no key leaks.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { toActivityFailure } from '../activities/failures';
import { resolveAccount, MissingCredentialsError } from '../src/chartmogul/accounts';
import { ChartMogulClient } from '../src/chartmogul/client';
import { ChartMogulError, chartMogulMessage, parseRetryAfter } from '../src/chartmogul/errors';
import { chartMogulDetailsOf, FAILURE_TYPES } from '../src/contracts/failures';
import { startTestEmulator, type TestEmulator } from './helpers/temporal';

let emulator: TestEmulator;
before(async () => {
  emulator = await startTestEmulator();
});
after(() => emulator.stop());

async function caught(promise: Promise<unknown>): Promise<ChartMogulError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ChartMogulError, String(error));
    return error;
  }
  assert.fail('expected a ChartMogulError');
}

test('a bad key is an auth error whose text never holds the key', async () => {
  const client = new ChartMogulClient({ baseUrl: emulator.url, apiKey: 'secret-key-123' });
  const error = await caught(client.ping());
  assert.equal(error.kind, 'auth');
  assert.equal(error.retryable, false);
  assert.equal(error.chartMogulMessage, 'No valid API key provided');
  assert.ok(!JSON.stringify({ message: error.message, stack: error.stack }).includes('secret-key-123'));
  await client.close();
});

test("an unknown data source is its own kind; row errors keep ChartMogul's message", async () => {
  const client = new ChartMogulClient({ baseUrl: emulator.url, apiKey: emulator.apiKey });
  assert.equal(
    (await caught(client.getDataSource('ds_00000000-0000-4000-8000-000000000000'))).kind,
    'dataSourceNotFound',
  );
  assert.equal((await client.getDataSource(emulator.dataSourceUuid)).uuid, emulator.dataSourceUuid);
  const invalid = await caught(
    client.request('POST', '/v1/customers', {
      body: { data_source_uuid: emulator.dataSourceUuid, external_id: 'e1', email: 'nope' },
    }),
  );
  assert.equal(invalid.kind, 'refused');
  assert.ok(invalid.mayBeDuplicateKey && !invalid.notFound);
  assert.equal(invalid.status, 422);
  assert.equal(invalid.chartMogulMessage, 'The value provided does not appear to be a valid email address. (email)');
  await client.close();
});

test('429, 5xx and dropped connections are retryable', async () => {
  emulator.configure({ faults: '429=1' });
  const client = new ChartMogulClient({ baseUrl: emulator.url, apiKey: emulator.apiKey });
  const limited = await caught(client.ping());
  assert.deepEqual([limited.kind, limited.retryable], ['rateLimited', true]);
  emulator.configure({ faults: { 502: 1 } });
  assert.deepEqual([(await caught(client.ping())).kind, true], ['server', true]);
  emulator.configure({ faults: { reset: 1 } });
  const dropped = await caught(client.ping());
  assert.deepEqual([dropped.kind, dropped.retryable], ['network', true]);
  emulator.configure({ faults: {} });
  await client.ping();
  await client.close();
});

test('every error body shape gives a readable message', () => {
  assert.equal(
    chartMogulMessage({ code: 404, message: 'Contact "x" does not exist', param: 'contact_uuid' }, ''),
    'Contact "x" does not exist (contact_uuid)',
  );
  assert.equal(
    chartMogulMessage({ errors: { external_id: 'taken', name: 'missing' } }, ''),
    'external_id: taken; name: missing',
  );
  assert.equal(chartMogulMessage({ error: 'Data source not found' }, ''), 'Data source not found');
  assert.equal(
    chartMogulMessage({ name: ["Name can't be blank"], error_details: [{}] }, ''),
    "name: Name can't be blank",
  );
  assert.equal(chartMogulMessage('504 Gateway Timeout Error', ''), '504 Gateway Timeout Error');
  assert.equal(chartMogulMessage(undefined, 'HTTP 500'), 'HTTP 500');
});

test('Retry-After is read as seconds or as a date, and clamped', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(parseRetryAfter('99999'), 300_000);
  assert.equal(parseRetryAfter(undefined), undefined);
  assert.equal(parseRetryAfter('soon'), undefined);
});

test('accounts map to environment variables; a missing key names the variable', () => {
  assert.deepEqual(resolveAccount('default', { CHARTMOGUL_API_KEY: 'k' }), {
    apiKey: 'k',
    baseUrl: 'https://api.chartmogul.com',
  });
  assert.deepEqual(resolveAccount('eu-team', { CHARTMOGUL_API_KEY_EU_TEAM: 'k2', CHARTMOGUL_API_URL: 'http://x' }), {
    apiKey: 'k2',
    baseUrl: 'http://x',
  });
  assert.throws(
    () => resolveAccount('default', {}),
    (error: unknown) =>
      error instanceof MissingCredentialsError &&
      /CHARTMOGUL_API_KEY/.test(error.message) &&
      /--emulator/.test(error.message),
  );
});

test('a ChartMogul failure carries typed details: read by name, never by position; anything else reads as none', () => {
  const failure = toActivityFailure(
    new ChartMogulError('refused', 'Email is invalid', 422, undefined, 'POST /v1/customers'),
  );
  assert.equal(failure.type, FAILURE_TYPES.refused);
  assert.equal(failure.nonRetryable, true);
  assert.deepEqual(chartMogulDetailsOf(failure), { status: 422, message: 'Email is invalid' });
  const timeout = toActivityFailure(new ChartMogulError('timeout', 'no answer in 20 s'));
  assert.deepEqual(chartMogulDetailsOf(timeout), { status: null, message: 'no answer in 20 s' });
  assert.equal(chartMogulDetailsOf({ details: [{ status: '422' }] }), undefined);
  assert.equal(chartMogulDetailsOf({ details: [] }), undefined);
  assert.equal(chartMogulDetailsOf(undefined), undefined);
});
