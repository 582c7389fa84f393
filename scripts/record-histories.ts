// Records the histories that test/replay.test.ts replays: a customers sync (two pages, a rejected row), a
// contacts sync, and the billing syncs (plans, invoices with a plan looked up, transactions), on a dev server and the emulator, into test/fixtures/histories/<release>/ (the package's
// major.minor). Run it once per release, when its workflow code is final:  npx tsx scripts/record-histories.ts [folder]
// It refuses to overwrite a release's histories: they are what running syncs of that release replay.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

import { readConfig } from '../src/config';
import { startEmulator } from '../src/emulator';
import { startDevServer } from '../src/temporal/dev-server';
import { createWorkers, installRuntime } from '../src/worker/workers';
import { SEARCH_ATTRIBUTES, syncStartOptions } from '../src/contracts/names';
import { syncWorkflow } from '../workflows/sync';

// Each release's histories in a folder of their own, never overwritten (docs/VERSIONING.md).
const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version
  .split('.')
  .slice(0, 2)
  .join('.');
// A folder given on the command line instead (test/replay-current.e2e.test.ts records into a temporary one).
const OUT = process.argv[2] ?? join(__dirname, '..', 'test', 'fixtures', 'histories', VERSION);
const DS = 'ds_11111111-2222-4333-8444-555555555555';

async function main(): Promise<void> {
  if (existsSync(OUT) && readdirSync(OUT).length > 0)
    throw new Error(`${OUT} holds histories already (release ${VERSION}'s are never overwritten)`);
  mkdirSync(OUT, { recursive: true });
  installRuntime({ level: 'ERROR' });
  const work = mkdtempSync(join(tmpdir(), 'cms-record-'));
  writeFileSync(
    join(work, 'customers.csv'),
    'id,name,seats\nR1,One,1\nR2,Two,2\nR3,Three,three\nR4,Four,4\nR5,Five,5\n',
  );
  writeFileSync(join(work, 'contacts.csv'), 'customer,email,first\nR1,a@example.com,Ann\nR2,b@example.com,Bo\n');
  writeFileSync(join(work, 'plans.csv'), 'id,name,count,unit\nP1,Monthly,1,month\nP2,Annual,1,year\n');
  const lineItems = (plan: string, subscription: string) =>
    JSON.stringify([
      {
        type: 'subscription',
        plan_external_id: plan,
        subscription_external_id: subscription,
        service_period_start: '2026-01-01',
        service_period_end: '2026-02-01',
        amount_in_cents: 1000,
      },
    ]);
  writeFileSync(
    join(work, 'invoices.jsonl'),
    [
      { id: 'I1', customer: 'R1', date: '2026-01-01', currency: 'USD', items: lineItems('P1', 'S1') },
      { id: 'I2', customer: 'R2', date: '2026-01-01', currency: 'USD', items: lineItems('P9', 'S2') },
    ]
      .map((row) => JSON.stringify(row))
      .join('\n') + '\n',
  );
  writeFileSync(join(work, 'transactions.csv'), 'id,invoice,type,date,result\nT1,I1,payment,2026-01-02,successful\n');
  const server = await startDevServer({
    ui: false,
    searchAttributes: SEARCH_ATTRIBUTES,
    temporalCli: readConfig().temporalCli,
  });
  const emulator = await startEmulator({ apiKey: 'record', dataSources: [DS], rps: 0, maxConnections: 0 });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const workers = await createWorkers({
    address: server.address,
    reportsDir: join(work, 'reports'),
    config: readConfig({
      CHARTMOGUL_API_KEY: 'record',
      CHARTMOGUL_API_URL: emulator.url,
      STATE_SQLITE_PATH: join(work, 'state.sqlite'),
    }),
  });
  const running = workers.run();
  const specs = [
    {
      name: 'replay-customers',
      object: 'customers',
      mode: 'upsert',
      dataSourceUuid: DS,
      source: { type: 'file', path: join(work, 'customers.csv') },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'name', to: 'name' },
        { from: 'seats', to: 'seats', type: 'Integer' },
      ],
      options: { pageSize: 3 },
    },
    {
      name: 'replay-contacts',
      object: 'contacts',
      mode: 'upsert',
      dataSourceUuid: DS,
      source: { type: 'file', path: join(work, 'contacts.csv') },
      mapping: [
        { from: 'customer', to: 'customer_external_id' },
        { from: 'email', to: 'email' },
        { from: 'first', to: 'first_name' },
      ],
    },
    {
      name: 'replay-plans',
      object: 'plans',
      mode: 'upsert',
      dataSourceUuid: DS,
      source: { type: 'file', path: join(work, 'plans.csv') },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'name', to: 'name' },
        { from: 'count', to: 'interval_count' },
        { from: 'unit', to: 'interval_unit' },
      ],
    },
    {
      // I2 names a plan that does not exist: rejected with its reason.
      name: 'replay-invoices',
      object: 'invoices',
      mode: 'upsert',
      dataSourceUuid: DS,
      source: { type: 'file', path: join(work, 'invoices.jsonl') },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'customer', to: 'customer_external_id' },
        { from: 'date', to: 'date' },
        { from: 'currency', to: 'currency' },
        { from: 'items', to: 'line_items' },
      ],
    },
    {
      name: 'replay-transactions',
      object: 'transactions',
      mode: 'insert',
      dataSourceUuid: DS,
      source: { type: 'file', path: join(work, 'transactions.csv') },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'invoice', to: 'invoice_external_id' },
        { from: 'type', to: 'type' },
        { from: 'date', to: 'date' },
        { from: 'result', to: 'result' },
      ],
    },
  ];
  for (const spec of specs) {
    await client.workflow.execute(syncWorkflow, syncStartOptions(spec));
    for await (const execution of client.workflow.list({ query: `ChartMogulSyncName = "${spec.name}"` })) {
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      const file = join(OUT, `${execution.workflowId.replace(/[^A-Za-z0-9.-]+/g, '_')}.json`);
      // The workflow id goes along: the sync names its page workflows after it, so replay needs the same one.
      writeFileSync(
        file,
        `${JSON.stringify({ workflowId: execution.workflowId, history: JSON.parse(historyToJSON(history)) as unknown })}\n`,
      );
      console.error(`recorded ${file}`);
    }
  }
  workers.shutdown();
  await running;
  await connection.close();
  await emulator.stop();
  await server.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
