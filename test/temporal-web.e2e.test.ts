// Temporal Web a reader can follow: a row rejected before any request is found by its key like any other
// row, with its reason; every activity carries a summary and named fields; every page workflow says which
// rows it holds; the sync says what it is doing; and its progress never goes backwards.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { workflowMetadataQuery } from '@temporalio/workflow';
import { temporal as proto } from '@temporalio/proto';

import { progressQuery } from '../workflows/messages';
import { syncWorkflowId } from '../workflows/sync';
import type { Progress } from '../src/contracts/sync-types';
import { runSync, totals, useSyncHarness, writeCsv } from './helpers/sync';

const harness = useSyncHarness();

// Pages larger than the 25 rows after which a page reports its progress, so pages are counted in flight.
const ROWS = 400;
const PAGE_SIZE = 50;
const BAD_KEY = 'WEB-0142';
const SYNC = 'web-readable';

function key(index: number): string {
  return `WEB-${String(index).padStart(4, '0')}`;
}

function spec(name: string, path: string) {
  return {
    name,
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path },
    options: { pageSize: PAGE_SIZE },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'email', to: 'email' },
    ],
  };
}

const COUNTERS = ['read', 'created', 'updated', 'unchanged', 'rejected', 'failed'] as const;

interface Observed {
  result: Awaited<ReturnType<typeof runSync>>;
  seen: Progress[];
  details: string[];
}

let observed: Promise<Observed> | undefined;

/** The file's one sync, run once whichever test asks first, reading its progress and details as it runs. */
function syncWhileWatching(): Promise<Observed> {
  observed ??= (async () => {
    const rows = Array.from({ length: ROWS }, (_, index) => {
      const id = key(index + 1);
      return [id, `Customer ${id}`, id === BAD_KEY ? 'not-an-email' : `${id.toLowerCase()}@example.com`];
    });
    const path = writeCsv('web.csv', ['id', 'name', 'email'], rows);
    const { client } = harness.temporal;
    const running = runSync(client, spec(SYNC, path));
    const handle = client.workflow.getHandle(syncWorkflowId(SYNC));
    const seen: Progress[] = [];
    const details = new Set<string>();
    let done = false;
    void running.finally(() => {
      done = true;
    });
    while (!done) {
      const progress = await handle.query(progressQuery).catch(() => undefined);
      if (progress) seen.push(progress);
      const metadata = await handle.query(workflowMetadataQuery).catch(() => undefined);
      if (metadata?.currentDetails) details.add(metadata.currentDetails);
      await sleep(5);
    }
    return { result: await running, seen, details: [...details] };
  })();
  return observed;
}

test('progress never goes backwards while pages finish; the sync says what it is doing', async () => {
  const { result, seen, details: texts } = await syncWhileWatching();
  assert.deepEqual(result.totals, totals({ read: ROWS, created: ROWS - 1, rejected: 1 }));
  assert.ok(seen.length > 20, `progress was read ${seen.length} times`);
  for (let index = 1; index < seen.length; index += 1) {
    for (const counter of COUNTERS) {
      const before = seen[index - 1]![counter];
      const after = seen[index]![counter];
      assert.ok(after >= before, `${counter} went from ${before} to ${after} (query ${index})`);
    }
  }
  assert.ok(
    texts.some((text) => /\d+ pages? running, \d+ rows done, last progress \d\d:\d\d:\d\d/.test(text)),
    `current details seen: ${JSON.stringify(texts)}`,
  );
});

test('a row rejected before any request is found by its key, and its page workflow shows the reason', async () => {
  await syncWhileWatching();
  const { client } = harness.temporal;
  // Visibility is eventually consistent: give the index a moment.
  let found: string[] = [];
  for (let attempt = 0; attempt < 50 && found.length === 0; attempt += 1) {
    found = [];
    for await (const workflow of client.workflow.list({ query: `ChartMogulRecordKeys = '${BAD_KEY}'` }))
      found.push(workflow.workflowId);
    if (found.length === 0) await sleep(200);
  }
  assert.deepEqual(found, [`${syncWorkflowId(SYNC)}:page-2`]);
  const page = client.workflow.getHandle(found[0]!);
  const description = await page.describe();
  const summary = await description.staticSummary();
  // A page holds pageSize rows to send; the rows rejected among them ride along (50 + 1).
  assert.match(summary ?? '', /^page 2: 51 rows \(WEB-0101 … WEB-0151\), 1 rejected before sending$/);
  const detailsText = await description.staticDetails();
  assert.match(detailsText ?? '', /row 142 \(key "WEB-0142"\): field "email" value "not-an-email": expected an email/);
  const result = await page.result();
  assert.deepEqual(
    result.issues.map((issue: { key: string; status: string }) => [issue.key, issue.status]),
    [[BAD_KEY, 'rejected']],
  );
});

test('every activity of the sync and of a page has a summary; inputs are one object with named fields', async () => {
  await syncWhileWatching();
  const { client } = harness.temporal;
  const workflowIds = [syncWorkflowId(SYNC), `${syncWorkflowId(SYNC)}:page-2`];
  for (const workflowId of workflowIds) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = (history.events ?? []).filter(
      (event) => event.eventType === proto.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
    );
    assert.ok(scheduled.length > 0, `${workflowId} scheduled activities`);
    for (const event of scheduled) {
      const attributes = event.activityTaskScheduledEventAttributes!;
      const type = attributes.activityType?.name;
      const summaryPayload = event.userMetadata?.summary;
      const summary = summaryPayload?.data ? JSON.parse(Buffer.from(summaryPayload.data).toString('utf8')) : '';
      assert.ok(typeof summary === 'string' && summary.length > 5, `${workflowId}: ${type} has no summary`);
      const inputs = attributes.input?.payloads ?? [];
      assert.equal(inputs.length, 1, `${workflowId}: ${type} takes one object`);
      const input = JSON.parse(Buffer.from(inputs[0]!.data!).toString('utf8'));
      assert.ok(input && typeof input === 'object' && !Array.isArray(input), `${workflowId}: ${type}'s input`);
    }
  }
});
