// `find <sync> <key>`: a row's last outcome (created, updated, unchanged, rejected, failed), its ChartMogul
// UUID, the reason, when it was last sent, and a Temporal Web link to a workflow that exists and holds that
// key; run as a user runs it, against the worker's state store, reports and Temporal.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { runCommand, type CommandOutcome } from './helpers/processes';
import { api, listAll, runSync, totals, useSyncHarness, workFolder, writeCsv } from './helpers/sync';

const UI = 'http://temporal-ui.example:8080';
const SYNC = 'find-rows';

const harness = useSyncHarness({}, async ({ temporal, emulator }) => {
  // Another customer defines `tier` as an Integer, so a String `tier` is refused (422): a failed row.
  const other = await api(emulator, 'POST', '/v1/customers', {
    data_source_uuid: emulator.dataSourceUuid,
    external_id: 'OTHER',
    name: 'Other',
  });
  await api(emulator, 'POST', `/v1/customers/${other.uuid}/attributes/custom`, {
    custom: [{ type: 'Integer', key: 'tier', value: 1 }],
  });
  const first = await runSync(
    temporal.client,
    spec('first.csv', [
      ['FND-1', 'One', 'one@example.com', null],
      ['FND-2', 'Two', 'two@example.com', null],
    ]),
  );
  assert.deepEqual(first.totals, totals({ read: 2, created: 2 }));
  const second = await runSync(
    temporal.client,
    spec('second.csv', [
      ['FND-1', 'One', 'one@example.com', null],
      ['FND-2', 'Two renamed', 'two@example.com', null],
      ['FND-3', 'Three', 'not-an-email', null],
      ['FND-4', 'Four', 'four@example.com', null],
      ['FND-5', 'Five', 'five@example.com', 'gold'],
    ]),
  );
  assert.deepEqual(second.totals, totals({ read: 5, unchanged: 1, updated: 1, rejected: 1, created: 1, failed: 1 }));
});

function spec(file: string, rows: (string | null)[][]) {
  return {
    name: SYNC,
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path: writeCsv(file, ['id', 'name', 'email', 'tier'], rows) },
    options: { pageSize: 2 },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'email', to: 'email' },
      { from: 'tier', to: 'tier', type: 'String' },
    ],
  };
}

function find(key: string): Promise<CommandOutcome> {
  return runCommand(['find', SYNC, key, '--json', '--reports-dir', join(workFolder, 'reports')], {
    env: {
      ...process.env,
      ...harness.emulator.env,
      TEMPORAL_ADDRESS: harness.temporal.server.address,
      TEMPORAL_UI_URL: UI,
    },
  });
}

/** The link opens a workflow that exists and lists the key among its record keys. */
async function assertLinkHoldsKey(webUrl: string, key: string): Promise<void> {
  const match = /^http:\/\/temporal-ui\.example:8080\/namespaces\/default\/workflows\/([^/]+)\/([^/]+)\/history$/.exec(
    webUrl,
  );
  assert.ok(match, `link: ${webUrl}`);
  const handle = harness.temporal.client.workflow.getHandle(
    decodeURIComponent(match[1]!),
    decodeURIComponent(match[2]!),
  );
  const description = await handle.describe();
  const keys = description.typedSearchAttributes.get({ name: 'ChartMogulRecordKeys', type: 'KEYWORD_LIST' } as never);
  assert.ok((keys as string[] | undefined)?.includes(key), `${description.workflowId} holds ${JSON.stringify(keys)}`);
}

async function uuidOf(externalId: string): Promise<string> {
  const customer = (await listAll(harness.emulator, '/v1/customers')).find((entry) => entry.external_id === externalId);
  return customer.uuid;
}

const CASES: [string, string, RegExp | null][] = [
  ['FND-5', 'failed', /tier.*already exists with type Integer/],
  ['FND-4', 'created', null],
  ['FND-2', 'updated', null],
  ['FND-1', 'unchanged', null],
  ['FND-3', 'rejected', /field "email" value "not-an-email": expected an email/],
];

for (const [key, status, reason] of CASES) {
  test(`find ${key}: ${status}, with its UUID, reason, last send and a link to its workflow`, async () => {
    const { code, stdout, stderr } = await find(key);
    assert.equal(code, 0, stderr);
    const row = JSON.parse(stdout);
    assert.deepEqual(Object.keys(row), ['key', 'status', 'uuid', 'reason', 'lastSentAt', 'webUrl']);
    assert.equal(row.key, key);
    assert.equal(row.status, status);
    if (reason) assert.match(row.reason, reason);
    else assert.equal(row.reason, null);
    if (status === 'rejected' || status === 'failed') assert.equal(row.lastSentAt, null);
    else {
      assert.equal(row.uuid, await uuidOf(key));
      assert.ok(Date.parse(row.lastSentAt) > Date.now() - 600_000, `last sent ${row.lastSentAt}`);
    }
    await assertLinkHoldsKey(row.webUrl, key);
  });
}

test('find an unknown key: exit 1 and says where it looked', async () => {
  const { code, stderr } = await find('NOPE-1');
  assert.equal(code, 1);
  assert.match(stderr, /No row "NOPE-1" in sync "find-rows"/);
});
