// The two activity sets: each task queue's worker registers only its own, so a ChartMogul request can never
// run on the io queue (outside the account's pace); and activities take one object and answer one.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { MockActivityEnvironment } from '@temporalio/testing';

import { activityInterceptor } from '../src/worker/activity-interceptor';
import { createApiActivities, createIoActivities, type ApiActivities, type IoActivities } from '../activities';
import type { ActivityDependencies } from '../activities/dependencies';
import { readConfig } from '../src/config';

// Creating the sets touches no dependency; calling a ChartMogul activity would.
const unused = new Proxy({}, { get: () => assert.fail('no dependency is used here') }) as ActivityDependencies;

// Compile-time: a ChartMogul activity is not on the io proxy's type, nor a source activity on the api's.
type Has<T, K extends string> = K extends keyof T ? true : false;
const ioCreates: Has<IoActivities, 'createCustomer'> = false;
const apiReads: Has<ApiActivities, 'readPage'> = false;

test('the api and io sets are disjoint: ChartMogul requests on api, source and store work on io', () => {
  assert.deepEqual([ioCreates, apiReads], [false, false]);
  const api = Object.keys(createApiActivities(unused)).sort();
  const io = Object.keys(createIoActivities(unused, { config: readConfig({}) })).sort();
  assert.deepEqual(api, [
    'bulkImportStatus',
    'checkDestination',
    'compareRecord',
    'createContact',
    'createCustomer',
    'createPlan',
    'createSubscriptionEvent',
    'deleteInvoice',
    'deleteTransaction',
    'editInvoice',
    'findContactByEmail',
    'findContactByExternalId',
    'importInvoice',
    'importTransaction',
    'lookupCustomer',
    'lookupInvoice',
    'lookupPlan',
    'lookupSubscriptionEvent',
    'prefetchPage',
    'setCustomAttributes',
    'setInvoiceStatus',
    'startBulkImport',
    'updateContact',
    'updateCustomer',
    'updateInvoice',
    'updatePlan',
    'updateSubscriptionEvent',
  ]);
  assert.deepEqual(io, [
    'checkSource',
    'endRun',
    'finishReport',
    'planPrefetch',
    'readPage',
    'recordSent',
    'scheduleRunNumber',
    'scheduleSilence',
    'sendNotification',
    'writeReportPart',
  ]);
  assert.deepEqual(
    api.filter((name) => io.includes(name)),
    [],
  );
});

test('activities take one object and answer one; a report is joined from its parts, which are then removed', async () => {
  const reportsDir = mkdtempSync(join(tmpdir(), 'cms-activities-'));
  const activities = createIoActivities(unused, { config: readConfig({}), reportsDir }) as unknown as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  // Run as activities, through the worker's interceptor (heartbeats, the failure decider), as a worker would.
  const call = (name: string, ...args: unknown[]) =>
    new MockActivityEnvironment(undefined, { interceptors: [activityInterceptor] }).run(activities[name]!, ...args);
  const entry = { key: 'K', rowNumber: 1, status: 'rejected', reason: 'bad' };
  await call('writeReportPart', { reportId: 'named', page: 0, entries: [entry] });
  assert.deepEqual(await call('finishReport', { reportId: 'named', pages: 1 }), {
    path: join(reportsDir, 'named.jsonl'),
  });
  assert.equal(JSON.parse(readFileSync(join(reportsDir, 'named.jsonl'), 'utf8')).reason, 'bad');
  assert.ok(!existsSync(join(reportsDir, '.named.parts')), 'the parts are cleaned up');
});
