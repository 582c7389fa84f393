// Syncs straight from Snowflake (the fakesnow stand-in, test/helpers/snowflake.ts) through `chartmogul-sync
// worker` processes to the emulator: 10,000 rows with Snowflake's types, bad rows rejected with reasons, a
// re-run with 1% changed that costs about 0.01 requests a row, invoices whose line items are an ARRAY column,
// a worker killed mid-read, and the Snowflake password in no history, log, error or report.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { killStartedProcesses, runCommand, startWorkerProcess, type WorkerProcess } from './helpers/processes';
import { startTestSnowflake, type TestSnowflake } from './helpers/snowflake';
import { api, listAll, runSync, totals, workFolder } from './helpers/sync';
import { waitUntil } from './helpers/wait';
import {
  historyText,
  startTestEmulator,
  startTestTemporal,
  type TestEmulator,
  type TestTemporal,
} from './helpers/temporal';

const PASSWORD = 'sf-pass-Q7v2-never-shown';
const ROWS = 10_000;

let temporal: TestTemporal;
let emulator: TestEmulator;
let snowflake: TestSnowflake;
const workers: WorkerProcess[] = [];

function startWorker(extra: Record<string, string> = {}): Promise<WorkerProcess> {
  return startWorkerProcess(
    { ...emulator.env, ...snowflake.env(undefined, PASSWORD), TEMPORAL_ADDRESS: temporal.server.address, ...extra },
    ['--reports-dir', join(workFolder, 'reports'), '--rps', '0'],
  ).then((worker) => {
    workers.push(worker);
    return worker;
  });
}

before(async () => {
  [temporal, emulator, snowflake] = await Promise.all([
    startTestTemporal(),
    startTestEmulator({ latency: '5-15' }),
    startTestSnowflake({ password: PASSWORD }),
  ]);
  // One row in 2,500 has an email that is not one: rejected with its reason, the others synced.
  await snowflake.run(
    `CREATE OR REPLACE TABLE sales.billing.customers AS SELECT
       'SF-' || LPAD(SEQ4()::VARCHAR, 5, '0') AS id, 'Customer ' || SEQ4() AS name,
       CASE WHEN SEQ4() % 2500 = 7 THEN 'not-an-email' ELSE 'c' || SEQ4() || '@example.com' END AS email,
       SEQ4() % 50 AS seats, (SEQ4() % 1000) / 8 AS mrr_share,
       '2024-03-01 10:00:00'::TIMESTAMP_NTZ AS signed_ntz, '2024-03-01 10:00:00'::TIMESTAMP_LTZ AS signed_ltz,
       '2024-03-01 10:00:00+01:00'::TIMESTAMP_TZ AS renewed_tz, SEQ4() % 3 = 0 AS enterprise
     FROM TABLE(GENERATOR(ROWCOUNT => ${ROWS}))`,
  );
  await startWorker();
});

after(async () => {
  killStartedProcesses();
  await Promise.all([emulator?.stop(), temporal?.stop(), snowflake?.stop()]);
});

const CUSTOMERS_QUERY = `SELECT id AS "id", name AS "name", email AS "email", seats AS "seats", mrr_share AS "mrr_share",
  signed_ntz AS "signed_ntz", signed_ltz AS "signed_ltz", renewed_tz AS "renewed_tz", enterprise AS "enterprise"
  FROM customers`;

const customersSpec = {
  name: 'snowflake-customers',
  object: 'customers',
  mode: 'upsert',
  dataSourceUuid: '',
  source: { type: 'snowflake', query: CUSTOMERS_QUERY },
  options: { pageSize: 500 },
  mapping: [
    { from: 'id', to: 'external_id' },
    { from: 'name', to: 'name' },
    { from: 'email', to: 'email' },
    { from: 'seats', to: 'seats' },
    { from: 'mrr_share', to: 'mrr_share' },
    { from: 'signed_ntz', to: 'signed_ntz' },
    { from: 'signed_ltz', to: 'signed_ltz' },
    { from: 'renewed_tz', to: 'renewed_tz' },
    { from: 'enterprise', to: 'enterprise' },
  ],
};

test(
  "10,000 rows with Snowflake's types; bad rows rejected with reasons; a 1% change re-syncs for about 0.01 requests a row",
  { timeout: 900_000 },
  async () => {
    const spec = { ...customersSpec, dataSourceUuid: emulator.dataSourceUuid };
    const first = await runSync(temporal.client, spec);
    assert.deepEqual(first.totals, totals({ read: ROWS, created: ROWS - 4, rejected: 4 }));
    assert.deepEqual(
      first.issues.map((issue) => [issue.key, issue.status]),
      ['SF-00007', 'SF-02507', 'SF-05007', 'SF-07507'].map((key) => [key, 'rejected']),
    );
    assert.match(first.issues[0]?.reason ?? '', /email/);
    const customer = (
      await api(emulator, 'GET', `/v1/customers?data_source_uuid=${emulator.dataSourceUuid}&external_id=SF-00012`)
    ).entries[0];
    assert.deepEqual(
      (await api(emulator, 'GET', `/v1/customers/${customer.uuid}/attributes`)).custom,
      {
        seats: 12,
        mrr_share: 1.5,
        signed_ntz: '2024-03-01T10:00:00.000Z',
        signed_ltz: '2024-03-01T10:00:00.000Z',
        renewed_tz: '2024-03-01T09:00:00.000Z',
        enterprise: true,
      },
      'integers, decimals, timestamps of three kinds and booleans arrive typed',
    );

    // find answers for a Snowflake row as for any other: its status and reason.
    const found = await runCommand(
      ['find', 'snowflake-customers', 'SF-02507', '--json', '--reports-dir', join(workFolder, 'reports')],
      { env: { ...process.env, ...emulator.env, TEMPORAL_ADDRESS: temporal.server.address } },
    );
    assert.equal(found.code, 0, found.stderr);
    const row = JSON.parse(found.stdout) as { status: string; reason: string };
    assert.equal(row.status, 'rejected');
    assert.match(row.reason, /field "email" value "not-an-email": expected an email/);

    // 1% of the rows change in the warehouse.
    await snowflake.run(`UPDATE sales.billing.customers SET seats = seats + 100 WHERE SUBSTR(id, 4)::INT % 100 = 1`);
    emulator.reset();
    const again = await runSync(temporal.client, spec);
    assert.deepEqual(
      again.totals,
      totals({ read: ROWS, updated: ROWS / 100, unchanged: ROWS - ROWS / 100 - 4, rejected: 4 }),
    );
    const requests = emulator.stats().total;
    assert.ok(requests <= ROWS * 0.01 + 5, `${requests} requests for ${ROWS / 100} changed rows`);
  },
);

test('invoices whose line items are an ARRAY column land with their amounts', { timeout: 120_000 }, async () => {
  await api(emulator, 'POST', '/v1/plans', {
    data_source_uuid: emulator.dataSourceUuid,
    external_id: 'SF-PLAN',
    name: 'Monthly',
    interval_count: 1,
    interval_unit: 'month',
  });
  // Declared as ARRAY: fakesnow cannot describe the JSON[] column a CREATE TABLE … AS ARRAY_CONSTRUCT(…) makes.
  await snowflake.run(
    `CREATE OR REPLACE TABLE sales.billing.invoices (id VARCHAR, customer VARCHAR, invoiced_on DATE,
       currency VARCHAR, line_items ARRAY)`,
    `INSERT INTO sales.billing.invoices SELECT 'SF-INV-' || SEQ4(), 'SF-' || LPAD((SEQ4() + 10)::VARCHAR, 5, '0'),
       '2026-01-01', 'USD', ARRAY_CONSTRUCT(OBJECT_CONSTRUCT('type', 'subscription', 'plan_external_id', 'SF-PLAN',
         'subscription_external_id', 'SF-SUB-' || SEQ4(), 'service_period_start', '2026-01-01',
         'service_period_end', '2026-02-01', 'amount_in_cents', 1000 + SEQ4()))
     FROM TABLE(GENERATOR(ROWCOUNT => 20))`,
  );
  const result = await runSync(temporal.client, {
    name: 'snowflake-invoices',
    object: 'invoices',
    mode: 'upsert',
    dataSourceUuid: emulator.dataSourceUuid,
    source: {
      type: 'snowflake',
      query: `SELECT id AS "id", customer AS "customer", invoiced_on AS "date", currency AS "currency",
        line_items AS "line_items" FROM invoices`,
    },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'customer', to: 'customer_external_id' },
      { from: 'date', to: 'date' },
      { from: 'currency', to: 'currency' },
      { from: 'line_items', to: 'line_items' },
    ],
  });
  assert.deepEqual(result.totals, totals({ read: 20, created: 20 }));
  const listed = await api(
    emulator,
    'GET',
    `/v1/invoices?data_source_uuid=${emulator.dataSourceUuid}&external_id=SF-INV-3`,
  );
  assert.equal(listed.invoices[0]?.line_items[0]?.amount_in_cents, 1003);
});

test('a worker killed mid-read: the next one resumes, no row lost or doubled', { timeout: 300_000 }, async () => {
  await snowflake.run(
    `CREATE OR REPLACE TABLE sales.billing.leads AS SELECT 'KL-' || LPAD(SEQ4()::VARCHAR, 4, '0') AS id,
       'Lead ' || SEQ4() AS name FROM TABLE(GENERATOR(ROWCOUNT => 600))`,
  );
  // Only the new worker runs this sync; the others stop first.
  for (const worker of workers.splice(0)) {
    worker.kill('SIGKILL');
    await once(worker, 'exit').catch(() => undefined);
  }
  emulator.configure({ latency: '40-80' });
  const doomed = await startWorker();
  const result = runSync(temporal.client, {
    name: 'snowflake-kill',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: emulator.dataSourceUuid,
    source: { type: 'snowflake', query: 'SELECT id AS "id", name AS "name" FROM leads' },
    // One request a customer, so the kill lands mid-sync.
    options: { pageSize: 100, bulkImport: 'never' },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
    ],
  });
  const created = () => emulator.stats().byRoute['POST /v1/customers']?.['201'] ?? 0;
  const before = created();
  await waitUntil(() => created() - before >= 150, '150 customers created');
  doomed.kill('SIGKILL');
  await once(doomed, 'exit');
  assert.ok(created() - before < 600, 'the kill landed mid-sync');
  await startWorker();
  assert.deepEqual((await result).totals, totals({ read: 600, created: 600 }));
  const leads = (await listAll(emulator, '/v1/customers')).filter((customer) =>
    String(customer.external_id).startsWith('KL-'),
  );
  assert.equal(leads.length, 600);
  assert.equal(new Set(leads.map((lead) => lead.external_id)).size, 600, 'none created twice');
  emulator.configure({ latency: '5-15' });
});

test('a wrong password stops the sync with what to check; the password is in no history, log or report', async () => {
  const wrong = 'sf-wrong-Z9k4-never-shown';
  for (const worker of workers.splice(0)) worker.kill('SIGKILL');
  await startWorker({ SNOWFLAKE_PASSWORD: wrong });
  await assert.rejects(
    runSync(temporal.client, {
      ...customersSpec,
      name: 'snowflake-wrong-password',
      dataSourceUuid: emulator.dataSourceUuid,
    }),
    (error: Error) => {
      const causes: string[] = [];
      for (let at: unknown = error; at instanceof Error; at = at.cause) causes.push(at.message);
      assert.match(causes.join('\n'), /Incorrect username or password was specified\. \(code 390100\); check the user/);
      return true;
    },
  );
  let everything = workers.map((worker) => worker.output()).join('\n');
  for await (const workflow of temporal.client.workflow.list({ query: `ChartMogulSyncName STARTS_WITH 'snowflake-'` }))
    everything += historyText(await temporal.client.workflow.getHandle(workflow.workflowId).fetchHistory());
  const reports = join(workFolder, 'reports');
  for (const file of readdirSync(reports))
    if (file.endsWith('.jsonl')) everything += readFileSync(join(reports, file), 'utf8');
  assert.match(everything, /snowflake-customers/, 'the histories were read');
  for (const secret of [PASSWORD, wrong]) assert.ok(!everything.includes(secret), `${secret} was written somewhere`);
});
