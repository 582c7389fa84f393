// Proves the harness: a workflow on a real Temporal dev server runs an activity that calls the emulator over HTTP.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

import { checkDestinationWorkflow } from '../workflows';
import { TASK_QUEUES } from '../src/contracts/names';
import { FAILURE_TYPES } from '../src/contracts/failures';
import {
  historyText,
  startTestEmulator,
  startTestTemporal,
  withWorkers,
  type TestEmulator,
  type TestTemporal,
} from './helpers/temporal';

let temporal: TestTemporal;
let emulator: TestEmulator;

before(async () => {
  temporal = await startTestTemporal();
  emulator = await startTestEmulator();
});

after(async () => {
  await emulator?.stop();
  await temporal?.stop();
});

async function failureType(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof WorkflowFailedError, `expected a WorkflowFailedError, got ${String(error)}`);
    const cause = error.cause?.cause ?? error.cause;
    return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
  }
  assert.fail('the workflow should have failed');
}

test('a workflow on the real server reaches the emulator through an activity', async () => {
  const result = await withWorkers(temporal.server, { env: emulator.env }, () =>
    temporal.client.workflow.execute(checkDestinationWorkflow, {
      taskQueue: TASK_QUEUES.io,
      workflowId: `smoke-${Date.now()}`,
      args: [{ account: 'default', dataSourceUuid: emulator.dataSourceUuid }],
    }),
  );
  assert.equal(result.dataSourceUuid, emulator.dataSourceUuid);
  assert.equal(result.dataSourceName, 'Emulated source 1');
  const stats = emulator.stats();
  assert.equal(stats.byRoute['GET /v1/ping']?.['200'], 1);
  assert.equal(stats.byRoute['GET /v1/data_sources/:uuid']?.['200'], 1);
});

test('an unknown data source fails the workflow at once, without retries', async () => {
  emulator.reset();
  const type = await withWorkers(temporal.server, { env: emulator.env }, () =>
    failureType(
      temporal.client.workflow.execute(checkDestinationWorkflow, {
        taskQueue: TASK_QUEUES.io,
        workflowId: `smoke-missing-${Date.now()}`,
        args: [{ account: 'default', dataSourceUuid: 'ds_00000000-0000-4000-8000-000000000000' }],
      }),
    ),
  );
  assert.equal(type, FAILURE_TYPES.dataSourceNotFound);
  assert.equal(emulator.stats().byRoute['GET /v1/data_sources/:uuid']?.['404'], 1);
});

test('a wrong API key fails with an auth error that does not contain the key', async () => {
  const wrongKey = 'wrong_key_that_must_not_leak';
  const workflowId = `smoke-auth-${Date.now()}`;
  const type = await withWorkers(temporal.server, { env: { ...emulator.env, CHARTMOGUL_API_KEY: wrongKey } }, () =>
    failureType(
      temporal.client.workflow.execute(checkDestinationWorkflow, {
        taskQueue: TASK_QUEUES.io,
        workflowId,
        args: [{ account: 'default', dataSourceUuid: emulator.dataSourceUuid }],
      }),
    ),
  );
  assert.equal(type, FAILURE_TYPES.auth);
  const history = historyText(await temporal.client.workflow.getHandle(workflowId).fetchHistory());
  assert.ok(history.includes(emulator.dataSourceUuid), 'payloads are decoded, so the search below can see inside them');
  assert.ok(history.includes('No valid API key provided'), "ChartMogul's message is kept");
  assert.ok(!history.includes(wrongKey), 'the API key is not in the history');
  assert.ok(!history.includes(Buffer.from(`${wrongKey}:`).toString('base64')), 'nor its Basic auth form');
});
