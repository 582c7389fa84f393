// The ChartMogul client against the emulator: error classification, ChartMogul's messages, no key leaks.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { failureOf, toApplicationFailure } from '../src/failures';
import { resolveAccount, MissingCredentialsError } from '../src/chartmogul/accounts';
import { ChartMogulClient } from '../src/chartmogul/client';
import { ChartMogulError, chartMogulMessage, parseRetryAfter } from '../src/chartmogul/errors';
import { chartMogulDetailsOf, FAILURE_TYPES, FAILURES, FINAL_FAILURE_TYPES } from '../src/contracts/failures';
import { NotificationError } from '../src/notifications/errors';
import { SourceError, SourceUnavailableError } from '../src/sources/types';
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
  // A 422 to a create is how ChartMogul refuses a key it holds, whatever its message: a lookup settles it.
  assert.equal(invalid.kind, 'duplicateKey');
  assert.equal(invalid.status, 422);
  assert.equal(invalid.chartMogulMessage, 'The value provided does not appear to be a valid email address. (email)');
  const missing = await caught(client.request('GET', '/v1/customers/cus_00000000-0000-4000-8000-000000000000'));
  assert.deepEqual([missing.kind, missing.retryable], ['notFound', false]);
  await client.close();
});

test('429, 5xx and dropped connections are retryable', async () => {
  emulator.configure({ faults: '429=1' });
  const client = new ChartMogulClient({ baseUrl: emulator.url, apiKey: emulator.apiKey });
  const limited = await caught(client.ping());
  // A 429 is refused before ChartMogul handles the request; a 5xx or no answer may hide a write.
  assert.deepEqual([limited.kind, limited.retryable, limited.mayHaveWritten], ['retryable', true, false]);
  emulator.configure({ faults: { 502: 1 } });
  const server = await caught(client.ping());
  assert.deepEqual([server.kind, server.retryable, server.mayHaveWritten], ['retryable', true, true]);
  emulator.configure({ faults: { reset: 1 } });
  const dropped = await caught(client.ping());
  assert.deepEqual([dropped.kind, dropped.retryable, dropped.mayHaveWritten], ['retryable', true, true]);
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
  const failure = toApplicationFailure(
    new ChartMogulError('refused', 'Email is invalid', 400, undefined, 'PATCH /v1/customers/cus_1'),
  );
  assert.equal(failure.type, FAILURE_TYPES.refused);
  assert.equal(failure.nonRetryable, true);
  assert.deepEqual(chartMogulDetailsOf(failure), { status: 400, message: 'Email is invalid' });
  const timeout = toApplicationFailure(new ChartMogulError('retryable', 'no answer in 20 s'));
  assert.deepEqual(chartMogulDetailsOf(timeout), { status: null, message: 'no answer in 20 s' });
  assert.equal(chartMogulDetailsOf({ details: [{ status: '422' }] }), undefined);
  assert.equal(chartMogulDetailsOf({ details: [] }), undefined);
  assert.equal(chartMogulDetailsOf(undefined), undefined);
});

test('one decider: every error is a kind of the failure table, raised final or retried as the table says', () => {
  const cases: [unknown, string][] = [
    [new ChartMogulError('notFound', 'Customer not found', 404), 'notFound'],
    [new ChartMogulError('duplicateKey', 'External ID taken', 422), 'duplicateKey'],
    [new ChartMogulError('auth', 'No valid API key provided', 401), 'auth'],
    [new SourceError('no such file'), 'source'],
    [new SourceUnavailableError('warehouse timed out'), 'sourceUnavailable'],
    [new MissingCredentialsError('default', 'CHARTMOGUL_API_KEY'), 'credentials'],
    [new NotificationError('notificationRefused', 'the receiver answered 404'), 'notificationRefused'],
    [new NotificationError('notificationUnavailable', 'the receiver answered 503'), 'notificationUnavailable'],
    [new TypeError('x is undefined'), 'unexpected'],
  ];
  for (const [error, kind] of cases) {
    assert.equal(failureOf(error), kind, String(error));
    const failure = toApplicationFailure(error);
    const row = FAILURES[kind as keyof typeof FAILURES];
    assert.deepEqual([failure.type, failure.nonRetryable], [row.type, !row.retryable], kind);
  }
  // Retrying these cannot help, so every retry policy lists them (derived from the table).
  for (const kind of ['notFound', 'duplicateKey', 'auth', 'source', 'notificationRefused'] as const)
    assert.ok(FINAL_FAILURE_TYPES.includes(FAILURES[kind].type), kind);
  assert.ok(!FINAL_FAILURE_TYPES.includes(FAILURES.unexpected.type));
});
