// A worker's ChartMogul activity slots: one account's connections for each account it has a key for. With
// one account's worth for all (as before), one worker serving two accounts gave each about 23 requests/s
// instead of 37: activities waiting for their account's turn held the other account's slots.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { configuredAccounts } from '../src/chartmogul/accounts';
import { apiActivitySlots } from '../src/worker/workers';

test('the accounts a worker serves are those it has a key for', () => {
  assert.deepEqual(
    configuredAccounts({
      CHARTMOGUL_API_KEY: 'k',
      CHARTMOGUL_API_KEY_EU_TEAM: 'k2',
      CHARTMOGUL_API_KEY_EMPTY: '',
      CHARTMOGUL_API_URL_EU_TEAM: 'http://x',
      OTHER: 'y',
    }),
    ['default', 'eu_team'],
  );
});

test('api slots: the connection limit for each account, at least one account; --api-slots overrides', () => {
  assert.equal(apiActivitySlots(20, { CHARTMOGUL_API_KEY: 'k' }), 20);
  assert.equal(apiActivitySlots(20, { CHARTMOGUL_API_KEY: 'k', CHARTMOGUL_API_KEY_SECOND: 'k2' }), 40);
  assert.equal(apiActivitySlots(20, {}), 20, 'no key yet: one account');
  assert.equal(apiActivitySlots(20, { CHARTMOGUL_API_KEY: 'k', CHARTMOGUL_API_KEY_SECOND: 'k2' }, 25), 25);
  assert.equal(apiActivitySlots(20, {}, 0), 1);
});
