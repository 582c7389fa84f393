// Records the histories that test/replay.test.ts replays, on a dev server and the emulator, into
// test/fixtures/histories/<release>/ (the package's major.minor): a sync of every object (customers over two
// pages with a rejected row, contacts, plans, invoices with a plan looked up, transactions as an insert sync),
// and the runs that take each patched branch: a dry run of changed rows, a run that continues as new once its
// pages carried RUN_HISTORY_BYTES, a sync paused and resumed, and a cancelled one.
// Run it once per release, when its workflow code is final:  npx tsx scripts/record-histories.ts [folder]
// It refuses to overwrite a release's histories: they are what running syncs of that release replay.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

import { readConfig } from '../src/config';
import { startEmulator } from '../src/emulator';
import { startDevServer } from '../src/temporal/dev-server';
import { createWorkers, installRuntime } from '../src/worker/workers';
import { SEARCH_ATTRIBUTES, syncStartOptions } from '../src/contracts/names';
import { pauseSignal, progressQuery, resumeSignal } from '../workflows/messages';
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
  writeFileSync(
    join(work, 'events.csv'),
    'id,customer,type,date,effective,subscription\nE1,R1,subscription_cancellation_scheduled,2026-11-01,2027-01-01,S1\n',
  );
  writeFileSync(join(work, 'contacts-by-id.csv'), 'id,customer,email\nX1,R1,x@example.com\n');
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
    {
      name: 'replay-subscription-events',
      object: 'subscription_events',
      mode: 'upsert',
      dataSourceUuid: DS,
      source: { type: 'file', path: join(work, 'events.csv') },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'customer', to: 'customer_external_id' },
        { from: 'type', to: 'event_type' },
        { from: 'date', to: 'event_date' },
        { from: 'effective', to: 'effective_date' },
        { from: 'subscription', to: 'subscription_external_id' },
      ],
    },
    {
      name: 'replay-contacts-by-id',
      object: 'contacts',
      mode: 'upsert',
      dataSourceUuid: DS,
      source: { type: 'file', path: join(work, 'contacts-by-id.csv') },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'customer', to: 'customer_external_id' },
        { from: 'email', to: 'email' },
      ],
      options: { contactKey: 'external_id' },
    },
  ];
  const editedInvoice = (amount: number) =>
    writeFileSync(
      join(work, 'edit.jsonl'),
      `${JSON.stringify({
        id: 'IE1',
        customer: 'R1',
        date: '2026-01-01',
        currency: 'USD',
        items: JSON.stringify([
          { type: 'one_time', external_id: 'IE1-L1', amount_in_cents: amount, description: 'Setup' },
        ]),
      })}\n`,
    );
  // 0.7's bulk-import: a first load of 120 invoices (more than BULK_MIN_ROWS) goes in a bulk import.
  writeFileSync(
    join(work, 'bulk.jsonl'),
    Array.from({ length: 120 }, (_, index) =>
      JSON.stringify({
        id: `IB${String(index).padStart(3, '0')}`,
        customer: ['R1', 'R2', 'R4'][index % 3],
        date: '2026-01-01',
        currency: 'USD',
        items: JSON.stringify([{ type: 'one_time', amount_in_cents: 100 + index, description: 'Setup' }]),
      }),
    ).join('\n') + '\n',
  );
  const invoiceEditSpec = {
    name: 'replay-invoice-edit',
    object: 'invoices',
    mode: 'upsert',
    dataSourceUuid: DS,
    source: { type: 'file', path: join(work, 'edit.jsonl') },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'customer', to: 'customer_external_id' },
      { from: 'date', to: 'date' },
      { from: 'currency', to: 'currency' },
      { from: 'items', to: 'line_items' },
    ],
  };
  const customersSpec = (name: string, file: string, options: Record<string, unknown> = {}, wide = false) => ({
    name,
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: DS,
    source: { type: 'file', path: join(work, file) },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      ...(wide ? ATTRIBUTES.map((attribute) => ({ from: attribute, to: attribute, type: 'String' })) : []),
    ],
    options,
  });
  const recordings: Recording[] = [
    ...specs.map((spec) => ({ spec })),
    {
      // dry-run-changes: a dry run of one row the store knows, that no listing compared: the data source takes
      // two list pages, a listing would cost more than reading the row's record, and the row, created last, is
      // on the second page, which the plan does not read.
      spec: customersSpec('replay-dry-run', 'dry.csv', { concurrency: 1 }),
      before: () => writeCustomers(join(work, 'dry.csv'), 210),
      then: {
        spec: customersSpec('replay-dry-run', 'dry-one.csv', { dryRun: true }),
        before: () => writeFileSync(join(work, 'dry-one.csv'), 'id,name\nD199,Renamed 199\n'),
      },
    },
    {
      spec: { ...invoiceEditSpec, name: 'replay-bulk', source: { type: 'file', path: join(work, 'bulk.jsonl') } },
    },
    {
      // An invoice whose line item changed, edited in place (invoiceChanges "auto": the line item has an id).
      spec: invoiceEditSpec,
      before: () => editedInvoice(1000),
      then: { spec: invoiceEditSpec, before: () => editedInvoice(1200) },
    },
    {
      // Four pages of wide rows carry RUN_HISTORY_BYTES: the run continues as new, and the next run finishes.
      spec: customersSpec('replay-continue-as-new', 'wide.csv', { pageSize: 1000 }, true),
      before: () => writeWideCustomers(join(work, 'wide.csv'), 130),
    },
    {
      // Paused before its first page (the signal comes with the start), then resumed.
      spec: customersSpec('replay-pause', 'pause.csv'),
      before: () => writeFileSync(join(work, 'pause.csv'), 'id,name\nQ1,One\nQ2,Two\n'),
      drive: async (spec) => {
        const handle = await client.workflow.signalWithStart(syncWorkflow, {
          ...syncStartOptions(spec),
          signal: pauseSignal,
          signalArgs: [],
        });
        await sleep(1000);
        await handle.signal(resumeSignal);
        await handle.result();
      },
    },
    {
      // Cancelled while its first page's rows are in flight (each request takes half a second).
      spec: customersSpec('replay-cancel', 'cancel.csv', { pageSize: 5, concurrency: 1 }),
      before: () =>
        writeFileSync(
          join(work, 'cancel.csv'),
          `id,name\n${Array.from({ length: 20 }, (_, row) => `K${row},Row ${row}`).join('\n')}\n`,
        ),
      drive: async (spec) => {
        emulator.configure({ latency: '500-500' });
        const handle: WorkflowHandle<typeof syncWorkflow> = await client.workflow.start(
          syncWorkflow,
          syncStartOptions(spec),
        );
        while ((await handle.query(progressQuery)).read === 0) await sleep(200);
        await handle.cancel();
        const result = await handle.result();
        emulator.configure({ latency: '0' });
        if (result.status !== 'cancelled') throw new Error(`replay-cancel ended ${result.status}, not cancelled`);
      },
    },
  ];
  for (const recording of recordings) {
    for (let step: Recording | undefined = recording; step; step = step.then) {
      step.before?.();
      if (step.drive) await step.drive(step.spec);
      else await client.workflow.execute(syncWorkflow, syncStartOptions(step.spec));
    }
    await recordHistories(client, recording.spec.name);
  }
  workers.shutdown();
  await running;
  await connection.close();
  await emulator.stop();
  await server.stop();
}

interface Recording {
  spec: { name: string } & Record<string, unknown>;
  /** Writes the source file the spec reads. */
  before?: () => void;
  /** Runs the sync another way than to its end (paused, cancelled). */
  drive?: (spec: Recording['spec']) => Promise<void>;
  /** A second run of the same sync, after this one. */
  then?: Recording;
}

const ATTRIBUTES = Array.from({ length: 45 }, (_, index) => `attr_${String(index).padStart(2, '0')}`);

/** Customers D000… named `Customer N`. */
function writeCustomers(path: string, count: number): void {
  const rows = Array.from({ length: count }, (_, row) => `D${String(row).padStart(3, '0')},Customer ${row}`);
  writeFileSync(path, `id,name\n${rows.join('\n')}\n`);
}

/** Customers with 45 String attributes of 255 characters: about 11 KB a row, so a page is bounded by bytes. */
function writeWideCustomers(path: string, count: number): void {
  const rows = Array.from({ length: count }, (_, row) =>
    [`W${row}`, `Wide ${row}`, ...ATTRIBUTES.map((attribute) => `${row}${attribute}`.padEnd(255, 'x'))].join(','),
  );
  writeFileSync(path, `${['id', 'name', ...ATTRIBUTES].join(',')}\n${rows.join('\n')}\n`);
}

/** Writes every history of a sync (its runs, in order, and its page workflows), once all have closed. The
 * workflow id goes along: the sync names its page workflows after it, so replay needs the same one. */
async function recordHistories(client: Client, syncName: string): Promise<void> {
  let executions: { workflowId: string; runId: string; startTime: Date; open: boolean }[] = [];
  for (let seen = -1; seen !== executions.length || executions.some((execution) => execution.open);) {
    seen = executions.length;
    await sleep(300);
    executions = [];
    for await (const execution of client.workflow.list({ query: `ChartMogulSyncName = "${syncName}"` }))
      executions.push({ ...execution, open: execution.status.name === 'RUNNING' });
  }
  executions.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  const runs = new Map<string, number>();
  for (const execution of executions) {
    const run = (runs.get(execution.workflowId) ?? 0) + 1;
    runs.set(execution.workflowId, run);
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const name = `${execution.workflowId.replace(/[^A-Za-z0-9.-]+/g, '_')}${run > 1 ? `_run-${run}` : ''}`;
    const file = join(OUT, `${name}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ workflowId: execution.workflowId, history: JSON.parse(historyToJSON(history)) as unknown })}\n`,
    );
    console.error(`recorded ${file}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
