// The CLI as a user runs it: `run --emulator --json` on an embedded Temporal, `validate`, and the errors
// and exit codes scripts rely on.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { workFolder, writeCsv, totals } from './helpers/sync';
import { startTestEmulator } from './helpers/temporal';

const BIN = join(__dirname, '..', 'bin', 'chartmogul-sync.js');
const DS = 'ds_11111111-2222-4333-8444-555555555555';

function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: workFolder,
      env: { ...process.env, CHARTMOGUL_API_KEY: '', TEMPORAL_ADDRESS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function writeSpec(name: string, csv: string, extra: Record<string, unknown> = {}): string {
  const path = join(workFolder, `${name}.spec.json`);
  writeFileSync(
    path,
    JSON.stringify({
      name,
      object: 'customers',
      mode: 'upsert',
      dataSourceUuid: DS,
      source: { type: 'file', path: csv },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'email', to: 'email' },
        { from: 'seats', to: 'seats', type: 'Integer' },
      ],
      ...extra,
    }),
  );
  return path;
}

writeCsv(
  'cli.csv',
  ['id', 'email', 'seats'],
  [
    ['A1', 'a1@example.com', 1],
    ['A2', 'bad-email', 2],
    ['A3', 'a3@example.com', 'three'],
    ['A4', null, 4],
  ],
);

test(
  'run --emulator --json: a real sync on an embedded Temporal; exit 3 with rejected rows; JSON last line',
  { timeout: 180_000 },
  async () => {
    const { code, stdout, stderr } = await cli(['run', writeSpec('cli-run', 'cli.csv'), '--emulator', '--json']);
    assert.equal(code, 3, stderr);
    const last = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
    assert.equal(last.status, 'completed');
    assert.deepEqual(last.totals, totals({ read: 4, created: 2, rejected: 2 }));
    assert.equal(last.workflowId, 'chartmogul-sync:cli-run');
    assert.match(last.runId, /^[0-9a-f-]{36}$/);
    assert.equal(typeof last.durationMs, 'number');
    assert.match(
      stderr,
      /Temporal Web UI: http:\/\/127\.0\.0\.1:\d+\/namespaces\/default\/workflows\/chartmogul-sync%3Acli-run/,
    );
    assert.match(stderr, /rejected A2: row 2 \(key "A2"\): field "email" value "bad-email"/);
    const report = readFileSync(last.reportPath, 'utf8').trim().split('\n');
    assert.equal(report.length, 2);
  },
);

test(
  'run with two specs syncs them in order on one emulator: contacts land on the customers just made',
  { timeout: 180_000 },
  async () => {
    writeCsv(
      'cli-contacts.csv',
      ['customer', 'email'],
      [
        ['A1', 'person@example.com'],
        ['Z9', 'orphan@example.com'],
      ],
    );
    const contacts = join(workFolder, 'cli-contacts.spec.json');
    writeFileSync(
      contacts,
      JSON.stringify({
        name: 'cli-contacts',
        object: 'contacts',
        mode: 'upsert',
        dataSourceUuid: DS,
        source: { type: 'file', path: 'cli-contacts.csv' },
        mapping: [
          { from: 'customer', to: 'customer_external_id' },
          { from: 'email', to: 'email' },
        ],
      }),
    );
    const { code, stdout, stderr } = await cli([
      'run',
      writeSpec('cli-first', 'cli.csv'),
      contacts,
      '--emulator',
      '--json',
    ]);
    assert.equal(code, 3, stderr);
    const [first, second] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(first.totals.created, 2);
    assert.deepEqual(second.totals, totals({ read: 2, created: 1, rejected: 1 }));
    assert.match(stderr, /customer "Z9" not found in the data source: sync customers first/);
  },
);

test('run without an API key and without --emulator exits 1 naming the variable', async () => {
  const { code, stderr } = await cli(['run', writeSpec('cli-nokey', 'cli.csv')]);
  assert.equal(code, 1);
  assert.match(stderr, /set CHARTMOGUL_API_KEY/);
  assert.match(stderr, /--emulator/);
});

test('a bad spec exits 1 with every problem listed; validate lists rejected rows and exits 3', async () => {
  const bad = await cli([
    'run',
    writeSpec('cli-bad', 'cli.csv', { mode: 'sideways', dataSourceUuid: 'nope' }),
    '--emulator',
  ]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /2 problems/);
  assert.match(bad.stderr, /mode: /);
  assert.match(bad.stderr, /dataSourceUuid: expected ds_/);
  const validate = await cli(['validate', writeSpec('cli-validate', 'cli.csv'), '--json']);
  assert.equal(validate.code, 3);
  assert.deepEqual(
    JSON.parse(validate.stdout).rejections.map((rejection: { key: string }) => rejection.key),
    ['A2', 'A3'],
  );
  // Invoices: validate says which rows a change edits in place (every line item named by external_id).
  const invoices = join(workFolder, 'cli-invoices.csv');
  const items = (...ids: (string | undefined)[]) => {
    const json = JSON.stringify(
      ids.map((id) => ({ type: 'one_time', amount_in_cents: 100, ...(id ? { external_id: id } : {}) })),
    );
    return `"${json.replace(/"/g, '""')}"`;
  };
  writeFileSync(
    invoices,
    `id,customer,date,currency,items\nI1,C,2026-01-01,USD,${items('L1', 'L2')}\nI2,C,2026-01-01,USD,${items('L3', undefined)}\n`,
  );
  const invoiceSpec = writeSpec('cli-validate-invoices', invoices, {
    object: 'invoices',
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'customer', to: 'customer_external_id' },
      { from: 'date', to: 'date' },
      { from: 'currency', to: 'currency' },
      { from: 'items', to: 'line_items' },
    ],
  });
  const editable = await cli(['validate', invoiceSpec, '--json']);
  assert.equal(editable.code, 0, editable.stderr);
  assert.equal(JSON.parse(editable.stdout).editableInPlace, 1);
  assert.match(editable.stderr, /1 of 2 valid rows name each line item and transaction by external_id/);
  const missingFile = await cli(['validate', join(workFolder, 'nope.spec.json')]);
  assert.equal(missingFile.code, 1);
  assert.match(missingFile.stderr, /cannot read the spec file/);
});

test(
  'a spec with options.dryRun run without flags writes nothing, though its rows differ from ChartMogul',
  { timeout: 180_000 },
  async () => {
    const emulator = await startTestEmulator();
    try {
      const path = writeSpec('cli-dry', 'cli.csv', { options: { dryRun: true } });
      const { code, stdout, stderr } = await cli(['run', path, '--json'], {
        ...emulator.env,
        STATE_SQLITE_PATH: join(workFolder, 'dry-state.sqlite'),
      });
      assert.equal(code, 4, `changes pending: ${stderr}`);
      assert.match(stderr, /a dry run of sync "cli-dry"/);
      assert.equal(
        JSON.parse(stdout.trim().split('\n').pop() ?? '{}').totals.created,
        2,
        'the two valid rows would be created',
      );
      const writes = Object.entries(emulator.stats().byRoute).filter(([route]) => !route.startsWith('GET '));
      assert.deepEqual(writes, [], 'no write reached ChartMogul');
    } finally {
      await emulator.stop();
    }
  },
);

test(
  'a mapped column missing from the file, or an unknown spec field: validate, run and start exit 1 naming it, with no request sent',
  { timeout: 120_000 },
  async () => {
    const emulator = await startTestEmulator();
    try {
      const missingColumn = writeSpec('cli-missing-column', 'cli.csv', {
        mapping: [
          { from: 'id', to: 'external_id' },
          { from: 'emial', to: 'email' },
        ],
      });
      const unknownField = writeSpec('cli-unknown-field', 'cli.csv', { optoins: { dryRun: true } });
      const env = { ...emulator.env, TEMPORAL_ADDRESS: '127.0.0.1:1' };
      for (const [path, pattern] of [
        [missingColumn, /mapping\[1\]\.from: column "emial" is not in the source; did you mean "email"\?/],
        [unknownField, /optoins: unknown field; did you mean "options"\?/],
      ] as const) {
        for (const command of ['validate', 'run', 'start']) {
          const { code, stderr } = await cli(
            [command, path],
            command === 'run' ? { ...env, TEMPORAL_ADDRESS: '' } : env,
          );
          assert.equal(code, 1, `${command}: ${stderr}`);
          assert.match(stderr, pattern, command);
          assert.doesNotMatch(stderr, /SELECT|DESCRIBE|read_csv|\n\s+at /, 'no SQL, no stack trace');
        }
      }
      assert.equal(emulator.stats().total, 0, 'no request reached ChartMogul');
    } finally {
      await emulator.stop();
    }
  },
);

test(
  "the README's billing example: customers, plans, invoices built by a DuckDB query, transactions, subscription events, in order",
  { timeout: 300_000 },
  async () => {
    const examples = join(__dirname, '..', 'examples');
    const specs = ['customers', 'plans', 'invoices', 'transactions', 'subscription_events'].map((name) =>
      join(examples, `${name}.sync.json`),
    );
    const { code, stdout, stderr } = await cli(['run', ...specs, '--emulator', '--json']);
    assert.equal(code, 3, stderr);
    const [customers, plans, invoices, transactions, events] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(customers.totals, totals({ read: 1001, created: 995, rejected: 6 }));
    assert.deepEqual(plans.totals, totals({ read: 5, created: 4, rejected: 1 }));
    assert.deepEqual(invoices.totals, totals({ read: 204, created: 198, rejected: 6 }));
    assert.deepEqual(transactions.totals, totals({ read: 152, created: 148, rejected: 4 }));
    assert.deepEqual(events.totals, totals({ read: 21, created: 19, rejected: 2 }));
    assert.match(
      stderr,
      /rejected INV-90001: .*"amount_in_cents" value "99.00": expected a whole number of minor units/,
    );
    assert.match(stderr, /rejected INV-90002: plan "PL-GOLD" .* not found in the data source: sync plans first/);
    assert.match(stderr, /rejected TR-90002: invoice "INV-99999" not found in the data source: sync invoices first/);
    assert.match(
      stderr,
      /rejected EV-90001: .*amount_in_cents is required for event_type "subscription_start_scheduled"/,
    );
  },
);
