// Determinism of the current workflow code, for every object: scripts/record-histories.ts records a sync of
// each (customers, contacts, plans, invoices, transactions) into a temporary folder, and each history must
// replay. This is also the script a release runs to record its fixtures (docs/VERSIONING.md), so it is
// proven to work before a release needs it.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';

import { dataConverterFor } from '../src/privacy/data-converter';
import { workflowBundle } from '../src/worker/bundle';
import { installRuntime } from '../src/worker/workers';

test('a sync of every object, recorded now, replays against the workflow code', async () => {
  const folder = join(mkdtempSync(join(tmpdir(), 'cms-replay-')), 'histories');
  await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    join(__dirname, '..', 'scripts', 'record-histories.ts'),
    folder,
  ]);
  const files = readdirSync(folder).sort();
  for (const name of [
    'customers',
    'contacts',
    'plans',
    'invoices',
    'transactions',
    'subscription-events',
    'contacts-by-id',
  ]) {
    assert.ok(files.includes(`chartmogul-sync_replay-${name}.json`), `${name}: ${files.join(', ')}`);
    assert.ok(files.includes(`chartmogul-sync_replay-${name}_page-0.json`), `${name}'s page: ${files.join(', ')}`);
  }
  const invoices = readFileSync(join(folder, 'chartmogul-sync_replay-invoices_page-0.json'), 'utf8');
  assert.match(invoices, /importInvoice/, 'the invoices history imported an invoice');
  const edited = readFileSync(join(folder, 'chartmogul-sync_replay-invoice-edit_page-0_run-2.json'), 'utf8');
  assert.match(edited, /editInvoice/, 'the second invoices run edited its invoice in place');
  const bulk = readFileSync(join(folder, 'chartmogul-sync_replay-bulk_page-0-bulk.json'), 'utf8');
  assert.match(bulk, /startBulkImport/, 'the first load of 120 invoices went in a bulk import, its own workflow');
  installRuntime({ level: 'ERROR' });
  const bundle = await workflowBundle();
  for (const file of files) {
    const history = JSON.parse(readFileSync(join(folder, file), 'utf8')) as { workflowId: string; history: unknown };
    await Worker.runReplayHistory(
      { workflowBundle: bundle, dataConverter: dataConverterFor([]) },
      historyFromJSON(history.history),
      history.workflowId,
    );
  }
});
