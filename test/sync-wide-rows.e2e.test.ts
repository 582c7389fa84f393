// Any valid row syncs, whatever its width: pages are bounded by bytes as well as rows, so no activity result,
// workflow input or history approaches Temporal's limits (2 MB a payload, warnings from 512 KB). Before
// pages had a byte bound, 200 customers with 45 long attributes made the first read's result too large and
// failed the whole sync ("Complete result exceeds size limit").

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Client } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';

import { syncWorkflowId } from '../src/contracts/names';
import { MAX_PAGE_BYTES } from '../src/limits';
import { listAll, runSync, useSyncHarness, writeCsv, totals } from './helpers/sync';

const harness = useSyncHarness();

/** Temporal warns from 512 KB a payload; every payload stays under it with room to spare. */
const PAYLOAD_WARNING_BYTES = 512 * 1024;
/** Temporal warns from 10 MB a history; ours continue as new well before (and a client reads 4 MB at a time). */
const HISTORY_BOUND_BYTES = 4 * 1024 * 1024;

const ATTRIBUTES = Array.from({ length: 45 }, (_, index) => `attr_${String(index).padStart(2, '0')}`);

function wideCustomers(file: string, prefix: string, count: number): string {
  return writeCsv(
    file,
    ['id', 'name', ...ATTRIBUTES],
    Array.from({ length: count }, (_, row) => [
      `${prefix}-${String(row).padStart(4, '0')}`,
      `Wide ${row}`,
      // 255 characters each, different per row and attribute.
      ...ATTRIBUTES.map((attribute) => `${prefix}${row}${attribute}`.padEnd(255, 'x')),
    ]),
  );
}

/** Every workflow of a sync (its runs and page workflows) with its largest payload and its history size. */
async function historySizes(client: Client, syncName: string) {
  const sizes: { workflowId: string; largestPayload: number; historyBytes: number }[] = [];
  for await (const execution of client.workflow.list({ query: `ChartMogulSyncName = "${syncName}"` })) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    let largestPayload = 0;
    const visit = (value: unknown): void => {
      if (!value || typeof value !== 'object') return;
      if (value instanceof Uint8Array) return;
      const payload = value as { data?: unknown; metadata?: unknown };
      if (payload.data instanceof Uint8Array && payload.metadata && typeof payload.metadata === 'object') {
        largestPayload = Math.max(
          largestPayload,
          proto.api.common.v1.Payload.encode(payload as proto.api.common.v1.IPayload).finish().length,
        );
        return;
      }
      Object.values(value).forEach(visit);
    };
    visit(history);
    sizes.push({
      workflowId: execution.workflowId,
      largestPayload,
      historyBytes: proto.api.history.v1.History.encode(history).finish().length,
    });
  }
  return sizes;
}

/** How many of a sync's reads, over all its runs, asked for a page sized for a bulk import. */
async function readsSizedForBulk(client: Client, syncName: string): Promise<{ reads: number; sizedForBulk: number }> {
  let reads = 0;
  let sizedForBulk = 0;
  for await (const execution of client.workflow.list({ query: `WorkflowId = "${syncWorkflowId(syncName)}"` })) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name !== 'readPage') continue;
      reads += 1;
      const input = JSON.parse(Buffer.from(scheduled.input?.payloads?.[0]?.data ?? []).toString()) as {
        sizedForBulk?: boolean;
      };
      if (input.sizedForBulk) sizedForBulk += 1;
    }
  }
  return { reads, sizedForBulk };
}

async function assertWithinBounds(syncName: string): Promise<void> {
  const sizes = await historySizes(harness.temporal.client, syncName);
  assert.ok(sizes.length > 1, `found the sync's workflows (${sizes.length})`);
  const largest = (key: 'largestPayload' | 'historyBytes') => Math.max(...sizes.map((size) => size[key]));
  console.log(
    `${syncName}: ${sizes.length} workflows; largest payload ${largest('largestPayload')} bytes, largest history ${largest('historyBytes')} bytes`,
  );
  for (const { workflowId, largestPayload, historyBytes } of sizes) {
    assert.ok(largestPayload < PAYLOAD_WARNING_BYTES, `${workflowId}: a payload of ${largestPayload} bytes`);
    assert.ok(historyBytes < HISTORY_BOUND_BYTES, `${workflowId}: a history of ${historyBytes} bytes`);
  }
}

for (const pageSize of [undefined, 1000]) {
  test(`customers with 45 String attributes of 255 characters, pageSize ${pageSize ?? 'default'}: every row synced`, async () => {
    const name = `wide-customers-${pageSize ?? 'default'}`;
    const prefix = pageSize ? 'WK' : 'WD';
    const rows = 300;
    const result = await runSync(harness.temporal.client, {
      name,
      object: 'customers',
      mode: 'upsert',
      dataSourceUuid: harness.emulator.dataSourceUuid,
      source: { type: 'file', path: wideCustomers(`${name}.csv`, prefix, rows) },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'name', to: 'name' },
        ...ATTRIBUTES.map((attribute) => ({ from: attribute, to: attribute })),
      ],
      ...(pageSize ? { options: { pageSize } } : {}),
    });
    assert.deepEqual(result.totals, totals({ read: rows, created: rows }));
    const synced = (await listAll(harness.emulator, '/v1/customers')).filter((customer) =>
      String(customer.external_id).startsWith(`${prefix}-`),
    );
    assert.equal(synced.length, rows);
    const last = synced.find((customer) => customer.external_id === `${prefix}-0299`);
    assert.equal(last?.attributes?.custom?.attr_44, `${prefix}299attr_44`.padEnd(255, 'x'));
    await assertWithinBounds(name);
    // Customers with custom attributes never go in bulk: only the first read, before any page went one by one,
    // asks for a page sized for a bulk import, not the first of every run after a continue-as-new.
    const { reads, sizedForBulk } = await readsSizedForBulk(harness.temporal.client, name);
    assert.ok(reads > 3, `${reads} reads`);
    assert.equal(sizedForBulk, 1);
  });
}

test('contacts with 4,000-character notes at pageSize 1000: every row synced', async () => {
  const parents = writeCsv('wide-parents.csv', ['id', 'name'], [['WP-1', 'Parent']]);
  const parentResult = await runSync(harness.temporal.client, {
    name: 'wide-parents',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path: parents },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
    ],
  });
  assert.equal(parentResult.totals.created, 1);
  const rows = 600;
  const path = writeCsv(
    'wide-contacts.csv',
    ['customer', 'email', 'notes'],
    Array.from({ length: rows }, (_, row) => ['WP-1', `wide${row}@example.com`, `Note ${row} `.padEnd(4000, 'n')]),
  );
  const result = await runSync(harness.temporal.client, {
    name: 'wide-contacts',
    object: 'contacts',
    mode: 'insert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path },
    mapping: [
      { from: 'customer', to: 'customer_external_id' },
      { from: 'email', to: 'email' },
      { from: 'notes', to: 'notes' },
    ],
    options: { pageSize: 1000 },
  });
  assert.deepEqual(result.totals, totals({ read: rows, created: rows }));
  const contacts = (await listAll(harness.emulator, '/v1/contacts')).filter((contact) =>
    String(contact.email).startsWith('wide'),
  );
  assert.equal(contacts.length, rows);
  assert.ok(contacts.every((contact) => String(contact.notes).length === 4000));
  await assertWithinBounds('wide-contacts');
});

test('a row too large for one payload on its own is rejected with its size and the bound; the others sync', async () => {
  // Notes are bounded, so only custom attributes make a row this wide: 1,100 of 255 characters.
  const many = Array.from({ length: 1100 }, (_, index) => `big_${index}`);
  const path = writeCsv(
    'too-wide.csv',
    ['id', 'name', ...many],
    [
      ['TW-1', 'Narrow', ...many.map(() => '')],
      ['TW-2', 'Too wide', ...many.map((attribute) => attribute.padEnd(255, 'y'))],
      ['TW-3', 'Narrow too', ...many.map(() => '')],
    ],
  );
  const result = await runSync(harness.temporal.client, {
    name: 'too-wide',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: harness.emulator.dataSourceUuid,
    source: { type: 'file', path },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      ...many.map((attribute) => ({ from: attribute, to: attribute })),
    ],
  });
  assert.deepEqual(result.totals, totals({ read: 3, created: 2, rejected: 1 }));
  const issue = result.issues.find((entry) => entry.key === 'TW-2');
  assert.equal(issue?.status, 'rejected');
  assert.match(
    issue?.reason ?? '',
    /row 2 \(key "TW-2"\): the row takes \d+ KB, more than the 256 KB one row may take/,
  );
  assert.equal(MAX_PAGE_BYTES, 256 * 1024);
});
