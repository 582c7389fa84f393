// Determinism guard: recorded histories (test/fixtures/histories, made by scripts/record-histories.ts)
// must replay against the current workflow code. A failure here means a change would break running syncs.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';

import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';

import { dataConverterFor } from '../src/privacy/data-converter';
import { workflowBundle } from '../src/worker/bundle';
import { installRuntime } from '../src/worker/workers';

const FOLDER = join(__dirname, 'fixtures', 'histories');
const files = readdirSync(FOLDER)
  .filter((file) => file.endsWith('.json'))
  .sort();
let bundle: WorkflowBundleOption;

before(async () => {
  installRuntime({ level: 'ERROR' });
  bundle = await workflowBundle();
});

test('there are recorded histories of the sync and its pages', () => {
  assert.ok(files.some((file) => /page-/.test(file)) && files.some((file) => !/page-/.test(file)), files.join(', '));
});

for (const file of files) {
  test(`replays ${file}`, async () => {
    const recorded = JSON.parse(readFileSync(join(FOLDER, file), 'utf8')) as { workflowId: string; history: unknown };
    await Worker.runReplayHistory(
      { workflowBundle: bundle, dataConverter: dataConverterFor([]) },
      historyFromJSON(recorded.history),
      recorded.workflowId,
    );
  });
}
