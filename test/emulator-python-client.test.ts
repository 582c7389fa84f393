// Faithfulness with a second official client: ChartMogul's Python client (`chartmogul` on PyPI), unchanged,
// drives every emulated endpoint (test/python/official_client.py) and must read every answer, customers
// created without an email or a name included. Its virtualenv comes from `npm run setup:python`.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startTestEmulator, type TestEmulator } from './helpers/temporal';

const ROOT = join(__dirname, '..');
const PYTHON = process.env.CHARTMOGUL_PYTHON ?? join(ROOT, '.cache', 'python-client', 'bin', 'python');
const USER = 'owner@example.com';

let emulator: TestEmulator;

before(async () => {
  emulator = await startTestEmulator({ users: [USER], contactAttributes: ['Facebook'] });
});
after(() => emulator.stop());

/** Runs the script without blocking this process, which serves the emulator it talks to. */
function runPython(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(PYTHON, [script], { env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

test('the official Python client reads every emulator answer', async () => {
  assert.ok(
    existsSync(PYTHON),
    `no Python client at ${PYTHON}: run \`npm run setup:python\` (or set CHARTMOGUL_PYTHON to a python with chartmogul installed)`,
  );
  const run = await runPython(join(ROOT, 'test', 'python', 'official_client.py'), {
    CHARTMOGUL_API_URL: emulator.url,
    CHARTMOGUL_API_KEY: emulator.apiKey,
    DATA_SOURCE_UUID: emulator.dataSourceUuid,
    ACCOUNT_USER: USER,
  });
  assert.equal(run.status, 0, `the Python client failed:\n${run.stderr}${run.stdout}`);
  const summary = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { client: string; steps: string[] };
  assert.match(summary.client, /^chartmogul-python 4\./);
  assert.deepEqual(summary.steps, [
    'ping',
    'data sources',
    'customers with and without email, name and company',
    'customers listed, searched, retrieved',
    'customer updated; an owner who is not a user is not kept',
    'customer created with a primary contact',
    'customer attributes and custom attributes',
    'contacts with defined and undefined custom keys',
    'customer errors and delete',
    'plans created, listed by external_id, retrieved, modified, deleted',
    'invoices imported, listed by external_id, retrieved, given a transaction, their subscriptions listed, deleted',
    '2026: line items added, changed and deleted; a transaction found by external_id, changed, deleted; an invoice written off',
    '2026: tags added and removed; a subscription event created, listed by external_id, changed and deleted by it',
    "2026: a bulk import created and retrieved by the server's id",
  ]);
});
