// Customer data encrypted in Temporal: with CHARTMOGUL_SYNC_ENCRYPTION_KEYS set, the raw histories on the
// server (read without the codec) hold no row value and no email in any search attribute; the same histories
// decode with the codec and replay with it; and keys rotate: a sync started with key A finishes on workers
// with A and B (new payloads use B), while a worker with only B fails its tasks naming key A.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { Client, type WorkflowHandle } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal as proto } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

import { chainedCodec, dataConverterFor, payloadCodecsFor } from '../src/privacy/data-converter';
import type { EncryptionKey } from '../src/privacy/encryption-keys';
import { AesGcmPayloadCodec } from '../src/privacy/payload-codec';
import { workflowBundle } from '../src/worker/bundle';
import { syncStartOptions } from '../src/contracts/names';
import { runCommand } from './helpers/processes';
import { listAll, totals, workFolder, writeCsv } from './helpers/sync';
import {
  historyText,
  startTestEmulator,
  startTestTemporal,
  withWorkers,
  type TestEmulator,
  type TestTemporal,
} from './helpers/temporal';
import { join } from 'node:path';

const KEY_A: EncryptionKey = { id: 'ka', key: randomBytes(32) };
const KEY_B: EncryptionKey = { id: 'kb', key: randomBytes(32) };
const variable = (...keys: EncryptionKey[]) => keys.map((key) => `${key.id}:${key.key.toString('base64')}`).join(',');

let temporal: TestTemporal;
let emulator: TestEmulator;

before(async () => {
  temporal = await startTestTemporal();
  emulator = await startTestEmulator({ latency: '20' });
});

after(async () => {
  await emulator?.stop();
  await temporal?.stop();
});

function clientWith(...keys: EncryptionKey[]): Client {
  return new Client({ connection: temporal.client.connection, dataConverter: dataConverterFor(keys) });
}

function workerEnv(...keys: EncryptionKey[]) {
  return {
    env: { ...emulator.env, CHARTMOGUL_SYNC_ENCRYPTION_KEYS: variable(...keys) },
    reportsDir: join(workFolder, 'reports'),
  };
}

function start(client: Client, spec: Record<string, unknown>): Promise<WorkflowHandle> {
  return client.workflow.start('syncWorkflow', syncStartOptions(spec));
}

/** Every value of the rows below that must not be readable on the server. */
const SECRETS = [
  'Zelda Quixote',
  'zelda.q42@secret.example',
  'Quentin Marsh',
  'quentin@secret.example',
  'nope-at-secret',
  'yara.contact@secret.example',
  'Yara',
  'Contactova',
  '+49 170 5550123',
  'Prefers calls on Tuesdays',
  'broken-email-value',
  'ZQ-1',
];

const customers = {
  name: 'private-customers',
  object: 'customers',
  mode: 'upsert',
  dataSourceUuid: '',
  source: {
    type: 'file',
    path: '',
  },
  mapping: [
    { from: 'id', to: 'external_id' },
    { from: 'name', to: 'name' },
    { from: 'email', to: 'email' },
  ],
};

/** Every encrypted payload in a history, wherever it sits. */
function encryptedPayloads(value: unknown, found: Payload[] = []): Payload[] {
  if (!value || typeof value !== 'object') return found;
  const candidate = value as Payload;
  const encoding = candidate.metadata?.encoding;
  if (encoding instanceof Uint8Array && Buffer.from(encoding).toString() === 'binary/encrypted') found.push(candidate);
  else for (const child of Object.values(value)) encryptedPayloads(child, found);
  return found;
}

test('customers and contacts encrypted: no row value or email on the server; decodes and replays with the codec', async () => {
  const client = clientWith(KEY_A);
  const customersSpec = {
    ...customers,
    dataSourceUuid: emulator.dataSourceUuid,
    source: {
      type: 'file',
      path: writeCsv(
        'private-customers.csv',
        ['id', 'name', 'email'],
        [
          ['ZQ-1', 'Zelda Quixote', 'zelda.q42@secret.example'],
          ['ZQ-2', 'Quentin Marsh', 'quentin@secret.example'],
          ['ZQ-3', 'Bad Mail', 'nope-at-secret'],
        ],
      ),
    },
  };
  const contactsSpec = {
    name: 'private-contacts',
    object: 'contacts',
    mode: 'upsert',
    dataSourceUuid: emulator.dataSourceUuid,
    source: {
      type: 'file',
      path: writeCsv(
        'private-contacts.csv',
        ['customer', 'email', 'first', 'last', 'phone', 'notes'],
        [
          ['ZQ-1', 'yara.contact@secret.example', 'Yara', 'Contactova', '+49 170 5550123', 'Prefers calls on Tuesdays'],
          ['ZQ-2', 'broken-email-value', 'X', 'Y', null, null],
        ],
      ),
    },
    mapping: [
      { from: 'customer', to: 'customer_external_id' },
      { from: 'email', to: 'email' },
      { from: 'first', to: 'first_name' },
      { from: 'last', to: 'last_name' },
      { from: 'phone', to: 'phone' },
      { from: 'notes', to: 'notes' },
    ],
  };
  await withWorkers(temporal.server, workerEnv(KEY_A), async () => {
    const first = await (await start(client, customersSpec)).result();
    assert.deepEqual(first.totals, totals({ read: 3, created: 2, rejected: 1 }));
    assert.match(first.issues[0].reason, /nope-at-secret/, 'a client with the key reads the reason');
    const second = await (await start(client, contactsSpec)).result();
    assert.deepEqual(second.totals, totals({ read: 2, created: 1, rejected: 1 }));
  });
  const contacts = await listAll(emulator, '/v1/contacts');
  assert.ok(
    contacts.some((contact) => contact.phone === '+49 170 5550123'),
    'the contact reached ChartMogul',
  );

  // Read the server as anyone with access to it would: no codec.
  const raw = new Client({ connection: temporal.client.connection });
  const histories = [];
  const searchAttributes: string[] = [];
  for await (const workflow of raw.workflow.list({ query: `ChartMogulSyncName STARTS_WITH 'private-'` })) {
    histories.push({
      id: workflow.workflowId,
      history: await raw.workflow.getHandle(workflow.workflowId).fetchHistory(),
    });
    searchAttributes.push(JSON.stringify(workflow.searchAttributes));
  }
  assert.ok(histories.length >= 4, `${histories.length} workflows`);
  // The workers' codecs: a page's rows are compressed before they are encrypted.
  const codec = chainedCodec(payloadCodecsFor([KEY_A]));
  let decodedText = '';
  for (const { id, history } of histories) {
    const text = historyText(history);
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${id}: "${secret}" is readable on the server`);
    const payloads = encryptedPayloads(history);
    assert.ok(payloads.length > 0, `${id} has encrypted payloads`);
    decodedText += historyText(await codec.decode(payloads));
  }
  for (const secret of SECRETS) assert.ok(decodedText.includes(secret), `"${secret}" decodes with the codec`);
  const indexed = searchAttributes.join('\n');
  for (const secret of SECRETS) assert.ok(!indexed.includes(secret), `"${secret}" in search attributes: ${indexed}`);
  assert.ok(!indexed.includes('@secret.example'), 'no email in search attributes');
  assert.match(indexed, /"#[\w-]{8}"/, 'keys are indexed as keyed hashes');

  // find still finds a contact, whose key is indexed only as a keyed hash.
  const { stdout } = await runCommand(
    [
      'find',
      'private-contacts',
      'ZQ-1/yara.contact@secret.example',
      '--json',
      '--reports-dir',
      join(workFolder, 'reports'),
    ],
    { env: { ...process.env, ...workerEnv(KEY_A).env, TEMPORAL_ADDRESS: temporal.server.address } },
  );
  const found = JSON.parse(stdout) as { status: string; webUrl: string };
  assert.equal(found.status, 'created');
  assert.match(found.webUrl, /chartmogul-sync%3Aprivate-contacts%3Apage-0/);

  const bundle = await workflowBundle();
  for (const { id, history } of histories) {
    await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: dataConverterFor([KEY_A]) }, history, id);
  }
});

/** The key ids of the encrypted payloads of events after `afterEventId`. */
async function keyIdsOf(handle: WorkflowHandle, afterEventId = 0): Promise<Set<string>> {
  const history = await handle.fetchHistory();
  const later = (history.events ?? []).filter((event) => Number(event.eventId) > afterEventId);
  return new Set(
    encryptedPayloads(later).map((payload) => Buffer.from(payload.metadata!['encryption-key-id']!).toString()),
  );
}

test('rotation: a sync started with key A finishes on workers with A and B; a worker with only B names key A', async () => {
  const rows = Array.from({ length: 40 }, (_, index) => [`ROT-${index + 1}`, `Rotated ${index + 1}`, null]);
  const spec = {
    ...customers,
    name: 'private-rotation',
    dataSourceUuid: emulator.dataSourceUuid,
    source: { type: 'file', path: writeCsv('rotation.csv', ['id', 'name', 'email'], rows) },
    options: { pageSize: 10, concurrency: 1 },
  };
  const handle = await start(clientWith(KEY_A), spec);
  await withWorkers(temporal.server, workerEnv(KEY_A), async () => {
    while ((await listAll(emulator, '/v1/customers')).filter((c) => c.external_id.startsWith('ROT-')).length < 10)
      await sleep(100);
  });
  const before = (await handle.fetchHistory()).events?.length ?? 0;
  // Its result is encrypted with B now: a client needs both keys to read the whole run.
  const both = clientWith(KEY_A, KEY_B).workflow.getHandle(handle.workflowId);
  const result = await withWorkers(temporal.server, workerEnv(KEY_A, KEY_B), () => both.result());
  assert.equal(result.totals.read, 40);
  assert.equal(result.totals.failed, 0);
  assert.deepEqual([...(await keyIdsOf(handle))].sort(), ['ka', 'kb'], 'A before the restart, B after');
  assert.deepEqual([...(await keyIdsOf(handle, before))], ['kb'], 'after the restart, new payloads use the newest key');

  // A sync whose input only key A can read, on a worker that has only B.
  const stranded = await start(clientWith(KEY_A), { ...spec, name: 'private-stranded' });
  const failure = await withWorkers(temporal.server, workerEnv(KEY_B), async () => {
    for (;;) {
      const events = (await stranded.fetchHistory()).events ?? [];
      const failed = events.find(
        (event) => event.eventType === proto.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
      );
      if (failed) return failed.workflowTaskFailedEventAttributes!.failure!;
      await sleep(200);
    }
  });
  // The failure's message travels encrypted too (with key B, the worker's): read it with both keys.
  assert.ok(failure.encodedAttributes, 'the failure message is an encoded payload');
  const [decoded] = await new AesGcmPayloadCodec([KEY_A, KEY_B]).decode([failure.encodedAttributes]);
  const { message } = JSON.parse(Buffer.from(decoded!.data!).toString()) as { message: string };
  assert.match(message, /encrypted with key "ka", which is not in CHARTMOGUL_SYNC_ENCRYPTION_KEYS/);
  await stranded.terminate('test over');
});
