// What ChartMogul kept: a write ChartMogul accepts but does not wholly keep (a contact custom attribute the
// account does not define, an owner who is not a user of the account) is reported as `partial` with the
// field and the reason, never as synced; and an unchanged source sends nothing for it again, not even on a
// full refresh, until the value changes.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { listAll, reportEntries, runSync, useSyncHarness, writeCsv, writesIn, totals } from './helpers/sync';

const USER = 'ada@example.com';

const harness = useSyncHarness({ users: [USER], contactAttributes: ['Tier'] }, async ({ temporal, emulator }) => {
  const parents = writeCsv(
    'kept-parents.csv',
    ['id', 'name'],
    [
      ['P1', 'Parent one'],
      ['P2', 'Parent two'],
    ],
  );
  const result = await runSync(temporal.client, {
    name: 'kept-parents',
    object: 'customers',
    mode: 'insert',
    dataSourceUuid: emulator.dataSourceUuid,
    source: { type: 'file', path: parents },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
    ],
  });
  assert.equal(result.totals.created, 2);
});

/** Requests that change something in ChartMogul since the counters were last cleared. */

test('a contact custom attribute the account does not define: partial, with the field and why; not sent again', async () => {
  const path = writeCsv(
    'kept-contacts.csv',
    ['customer', 'email', 'tier', 'nickname'],
    [
      ['P1', 'kim@example.com', 'gold', 'Kimmy'],
      ['P2', 'lee@example.com', 'silver', null],
    ],
  );
  const spec = (options: object = {}) => ({
    name: 'kept-contacts',
    object: 'contacts',
    mode: 'upsert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path },
    mapping: [
      { from: 'customer', to: 'customer_external_id' },
      { from: 'email', to: 'email' },
      { from: 'tier', to: 'Tier' },
      { from: 'nickname', to: 'Nickname' },
    ],
    options,
  });
  const first = await runSync(harness.temporal.client, spec());
  assert.deepEqual(first.totals, totals({ read: 2, created: 1, partial: 1 }));
  const [issue] = first.issues;
  assert.equal(issue?.status, 'partial');
  assert.equal(issue?.key, 'P1/kim@example.com');
  assert.match(
    issue?.reason ?? '',
    /custom\.Nickname.*custom attribute "Nickname" is not defined for contacts in this ChartMogul account/,
  );
  assert.deepEqual(
    issue?.notKept?.map((entry) => [entry.field, entry.sent, entry.kept]),
    [['custom.Nickname', 'Kimmy', null]],
  );
  assert.deepEqual(
    reportEntries(first.reportPath).map((entry) => [entry.key, entry.status]),
    [['P1/kim@example.com', 'partial']],
  );
  const kim = (await listAll(harness.emulator, '/v1/contacts')).find((contact) => contact.email === 'kim@example.com');
  assert.deepEqual(kim.custom, { Tier: 'gold' }, 'the defined key was kept');

  harness.emulator.reset();
  const second = await runSync(harness.temporal.client, spec());
  assert.deepEqual(second.totals, totals({ read: 2, unchanged: 2 }));
  assert.equal(writesIn(harness.emulator.stats()), 0, 'an unchanged source sends nothing');

  const refreshed = await runSync(harness.temporal.client, spec({ fullRefresh: true }));
  assert.equal(refreshed.totals.unchanged, 2);
  assert.equal(
    writesIn(harness.emulator.stats()),
    0,
    'a full refresh lists ChartMogul and still sends nothing for the value it does not keep',
  );
});

test('an owner who is not a user of the account: partial, with the field and why; not sent again until it changes', async () => {
  const rows = (strangerOwner: string) =>
    writeCsv(
      'kept-owners.csv',
      ['id', 'name', 'owner'],
      [
        ['O1', 'Owned by a user', USER],
        ['O2', 'Owned by a stranger', strangerOwner],
      ],
    );
  const spec = (path: string, options: object = {}) => ({
    name: 'kept-owners',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'owner', to: 'owner' },
    ],
    options,
  });
  const path = rows('stranger@example.com');
  const first = await runSync(harness.temporal.client, spec(path));
  assert.deepEqual(first.totals, totals({ read: 2, created: 1, partial: 1 }));
  const [issue] = first.issues;
  assert.equal(issue?.key, 'O2');
  assert.deepEqual(
    issue?.notKept?.map((entry) => [entry.field, entry.sent, entry.kept]),
    [['owner', 'stranger@example.com', null]],
  );
  assert.match(issue?.reason ?? '', /owner "stranger@example\.com" is not a user of this ChartMogul account/);

  harness.emulator.reset();
  const second = await runSync(harness.temporal.client, spec(path));
  assert.deepEqual(second.totals, totals({ read: 2, unchanged: 2 }));
  const refreshed = await runSync(harness.temporal.client, spec(path, { fullRefresh: true }));
  assert.equal(refreshed.totals.unchanged, 2);
  assert.equal(
    writesIn(harness.emulator.stats()),
    0,
    'neither a re-run nor a full refresh sends the doomed owner again',
  );

  const fixed = await runSync(harness.temporal.client, spec(rows(USER)));
  assert.deepEqual(fixed.totals, totals({ read: 2, updated: 1, unchanged: 1 }));
  const customers = await listAll(harness.emulator, '/v1/customers');
  assert.equal(customers.find((customer) => customer.external_id === 'O2').owner, USER);
});
