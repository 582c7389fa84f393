// Notifications, end to end: a local receiver gets exactly one message for a failed sync, one for a sync over
// its rejected-row threshold, and none for a clean one, also when the worker is killed while sending (the retry
// carries the same Idempotency-Key, which the receiver drops as a repeat, as a receiver should). Each message is
// checked against Slack's documented incoming-webhook format, and for what it must not carry: the URL, row values.
// A scheduled sync whose runs stop ending is noticed by its watch, once per quiet spell. `run` (embedded server,
// worker in its process) delivers its sync's message before it returns, and says so when the receiver is down;
// a worker stopped with SIGTERM leaves a pending message to the next worker.

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { createSchedule, scheduleWatchId } from '../src/client/schedules';
import { syncScheduleId, syncStartOptions } from '../src/contracts/names';
import { parseSpec } from '../src/sync-spec/schema';
import { freePort } from '../src/temporal/dev-server';
import { killStartedProcesses, runCommand, startWorkerProcess, type WorkerProcess } from './helpers/processes';
import { workFolder, writeCsv } from './helpers/sync';
import { startTestEmulator, startTestTemporal, type TestEmulator, type TestTemporal } from './helpers/temporal';

interface Received {
  key: string;
  body: Record<string, any>;
}

let temporal: TestTemporal;
let emulator: TestEmulator;
let receiverUrl: string;
let receiver: Server | undefined;
const received: Received[] = [];
/** Requests the receiver holds without answering (the worker is killed meanwhile). */
let holdNext = false;
/** While set, the receiver answers 503 (down for maintenance) and keeps nothing. */
let unavailable = false;
/** How many more requests the receiver refuses with a 503 (a receiver that blinks). */
let refuseNext = 0;
const held: ServerResponse[] = [];
const heldArrived: (() => void)[] = [];

/** Messages by Idempotency-Key: what a receiver keeps once it drops repeats. */
function messages(): Map<string, Received[]> {
  const byKey = new Map<string, Received[]>();
  for (const entry of received) byKey.set(entry.key, [...(byKey.get(entry.key) ?? []), entry]);
  return byKey;
}

function messagesFor(sync: string): Received[][] {
  return [...messages().values()].filter((copies) => copies[0]?.body.event?.sync === sync);
}

/** Waits until a message of `sync` has arrived, failing with `what` after `timeoutMs`. */
async function firstMessageOf(sync: string, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (messagesFor(sync).length === 0) {
    assert.ok(Date.now() < deadline, what);
    await sleep(500);
  }
}

before(async () => {
  temporal = await startTestTemporal();
  emulator = await startTestEmulator();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      if (unavailable || refuseNext > 0) {
        refuseNext = Math.max(0, refuseNext - 1);
        response.writeHead(503).end('maintenance');
        return;
      }
      received.push({ key: String(request.headers['idempotency-key']), body: JSON.parse(text) });
      if (holdNext) {
        holdNext = false;
        held.push(response);
        heldArrived.shift()?.();
        return;
      }
      response.writeHead(200).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  receiverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/services/T000/B000/secret-token`;
  receiver = server;
});

after(async () => {
  killStartedProcesses();
  receiver?.close();
  await emulator?.stop();
  await temporal?.stop();
});

function worker(): Promise<WorkerProcess> {
  return startWorkerProcess({ ...emulator.env, TEMPORAL_ADDRESS: temporal.server.address, TEAM_WEBHOOK: receiverUrl }, [
    '--reports-dir',
    join(workFolder, 'reports'),
  ]);
}

function spec(name: string, rows: (string | number)[][], extra: Record<string, unknown> = {}) {
  return {
    name,
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: emulator.dataSourceUuid,
    source: { type: 'file', path: writeCsv(`${name}.csv`, ['id', 'name', 'email'], rows) },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'email', to: 'email' },
    ],
    notify: { url: 'env:TEAM_WEBHOOK', rejectedRowsOver: 2 },
    ...extra,
  };
}

const rows = (name: string, count: number, badEmails = 0) =>
  Array.from({ length: count }, (_, index) => [
    `${name.toUpperCase()}-${index}`,
    `Secret Corp ${index}`,
    index < badEmails ? 'not-an-email' : `ops${index}@example.com`,
  ]);

/** Runs a sync to its end on the worker and answers whether it failed. */
async function runToEnd(body: Record<string, unknown>): Promise<'completed' | 'failed'> {
  const handle = await temporal.client.workflow.start('syncWorkflow', syncStartOptions(body));
  return handle.result().then(
    () => 'completed' as const,
    () => 'failed' as const,
  );
}

/** Slack's incoming-webhook format (api.slack.com: messages with `text` and Block Kit `blocks`; a header's
 * plain text at most 150 characters, a section's text 3000, a context at most 10 elements, at most 50 blocks). */
function assertSlackShaped(body: Record<string, any>): void {
  assert.equal(typeof body.text, 'string');
  assert.ok(body.text.length > 0, 'a text fallback');
  assert.ok(Array.isArray(body.blocks) && body.blocks.length > 0 && body.blocks.length <= 50);
  const textObject = (text: any, types: string[], limit: number) => {
    assert.ok(types.includes(text?.type), `text type ${text?.type}`);
    assert.equal(typeof text.text, 'string');
    assert.ok(text.text.length > 0 && text.text.length <= limit, `text within ${limit}`);
  };
  for (const block of body.blocks) {
    if (block.type === 'header') textObject(block.text, ['plain_text'], 150);
    else if (block.type === 'section') textObject(block.text, ['mrkdwn', 'plain_text'], 3000);
    else if (block.type === 'context') {
      assert.ok(block.elements.length >= 1 && block.elements.length <= 10);
      for (const element of block.elements) textObject(element, ['mrkdwn', 'plain_text'], 3000);
    } else assert.fail(`unexpected block type ${block.type}`);
  }
}

function assertCarriesNoSecretOrValue(body: Record<string, any>): void {
  const text = JSON.stringify(body);
  assert.doesNotMatch(text, /secret-token|services\/T000/, 'the webhook URL is a secret');
  assert.doesNotMatch(text, /Secret Corp|ops\d+@example\.com/, 'no row value beyond keys and reasons');
}

test(
  'a clean sync sends nothing; one over its rejected-row threshold sends one message',
  { timeout: 180_000 },
  async () => {
    await worker();
    assert.equal(await runToEnd(spec('clean', rows('clean', 20))), 'completed');
    assert.equal(await runToEnd(spec('rejecting', rows('rejecting', 20, 3))), 'completed');
    // Under the threshold (2 rejected of at most 2): nothing.
    assert.equal(await runToEnd(spec('few-rejected', rows('few', 20, 2))), 'completed');
    await sleep(3_000);
    assert.deepEqual(messagesFor('clean'), []);
    assert.deepEqual(messagesFor('few-rejected'), []);
    const [rejecting, ...more] = messagesFor('rejecting');
    assert.equal(more.length, 0);
    assert.equal(rejecting?.length, 1, 'sent once');
    const body = rejecting[0]!.body;
    assertSlackShaped(body);
    assertCarriesNoSecretOrValue(body);
    assert.equal(body.event.kind, 'rejected-over-threshold');
    assert.equal(body.event.totals.rejected, 3);
    assert.deepEqual(
      body.event.reasons.map((reason: { key: string }) => reason.key),
      ['REJECTING-0', 'REJECTING-1', 'REJECTING-2'],
    );
    assert.match(body.event.reasons[0].reason, /email/);
    assert.match(body.event.reportPath, /rejecting-.*\.jsonl$/);
    assert.match(body.event.webUrl, /\/namespaces\/default\/workflows\/chartmogul-sync%3Arejecting\//);
    assert.match(body.text, /rejected 3 rows \(more than 2\)/);
    killStartedProcesses();
  },
);

test(
  'a failed sync sends one message, also when the worker is killed while sending it',
  { timeout: 180_000 },
  async () => {
    let first = await worker();
    holdNext = true;
    const arrived = new Promise<void>((resolve) => heldArrived.push(resolve));
    const failing = spec('failing', rows('failing', 5), { dataSourceUuid: 'ds_99999999-2222-4333-8444-555555555555' });
    const outcome = runToEnd(failing);
    await arrived;
    // The receiver has the message but has not answered: the worker dies mid-POST.
    first.kill('SIGKILL');
    await once(first, 'exit');
    assert.equal(await outcome.catch(() => 'failed'), 'failed');
    first = await worker();
    const deadline = Date.now() + 90_000;
    while (received.filter((entry) => entry.body.event?.sync === 'failing').length < 2) {
      assert.ok(Date.now() < deadline, 'the notification is sent again after the worker died');
      await sleep(500);
    }
    await sleep(3_000);
    const failingMessages = messagesFor('failing');
    assert.equal(failingMessages.length, 1, 'one message: the retry repeats its Idempotency-Key');
    const copies = failingMessages[0]!;
    assert.equal(copies.length, 2, 'sent again once, after the worker died');
    assert.deepEqual(copies[1]!.body.event, copies[0]!.body.event, 'the same event');
    const body = copies[0]!.body;
    assertSlackShaped(body);
    assertCarriesNoSecretOrValue(body);
    assert.equal(body.event.kind, 'sync-failed');
    assert.equal(body.event.status, 'failed');
    assert.match(body.event.error, /data source ds_99999999/);
    for (const response of held) response.destroy();
  },
);

test(
  'a scheduled sync whose runs stop ending sends one message per quiet spell; the watch ends with the schedule',
  { timeout: 120_000 },
  async () => {
    await worker();
    const watched = parseSpec(
      spec('watched', rows('watched', 3), { notify: { url: 'env:TEAM_WEBHOOK', missedRunAfter: '3s' } }),
    );
    assert.ok(watched.ok);
    // Every hour: no run ends within this test, so the sync is quiet from the schedule's making.
    await createSchedule(temporal.client, watched.spec, { every: '1h' });
    await firstMessageOf('watched', 60_000, 'the watch notices the quiet schedule');
    await sleep(7_000);
    const [missed, ...more] = messagesFor('watched');
    assert.equal(more.length, 0, 'one message for one quiet spell');
    assert.equal(missed?.length, 1);
    const body = missed[0]!.body;
    assertSlackShaped(body);
    assertCarriesNoSecretOrValue(body);
    assert.equal(body.event.kind, 'schedule-missed');
    assert.equal(body.event.missedRunAfter, '3s');
    assert.match(body.text, /"watched" has not ended a run for more than 3s/);

    await temporal.client.schedule.getHandle(syncScheduleId('watched')).delete();
    await temporal.client.workflow.getHandle(scheduleWatchId('watched')).result();
    killStartedProcesses();
  },
);

function specFile(name: string, body: Record<string, unknown>): string {
  const path = join(workFolder, `${name}.sync.json`);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

test(
  '`run` delivers the message of a sync over its threshold before it returns; a receiver that is down is reported, not waited for',
  { timeout: 240_000 },
  async () => {
    const env = { ...process.env, CHARTMOGUL_API_KEY: '', TEMPORAL_ADDRESS: '', TEAM_WEBHOOK: receiverUrl };
    const path = specFile('run-rejecting', spec('run-rejecting', rows('run-rejecting', 12, 4)));
    // The first attempt is refused: the message arrives on a retry, seconds after the sync has ended.
    refuseNext = 1;
    const outcome = await runCommand(['run', path, '--emulator'], { env, cwd: workFolder });
    // Counted the moment `run` has returned: nothing arrives later.
    const atReturn = messagesFor('run-rejecting');
    assert.equal(outcome.code, 3, outcome.stderr);
    assert.equal(atReturn.length, 1, `one message by the time run returned:\n${outcome.stderr}`);
    assert.equal(atReturn[0]!.length, 1, 'sent once');
    assert.equal(atReturn[0]![0]!.body.event.kind, 'rejected-over-threshold');
    assert.equal(atReturn[0]![0]!.body.event.totals.rejected, 4);
    assert.match(
      outcome.stderr,
      /Notification "rejected-over-threshold" of sync "run-rejecting" delivered \(on attempt 2\)/,
    );

    // Nobody listens at the receiver's address: `run` tries for --notify-wait, then says so and ends.
    const downUrl = `http://127.0.0.1:${await freePort()}/hook`;
    const down = specFile('run-unheard', spec('run-unheard', rows('run-unheard', 12, 4)));
    const began = Date.now();
    const unheard = await runCommand(['run', down, '--emulator', '--notify-wait', '6s'], {
      env: { ...env, TEAM_WEBHOOK: downUrl },
      cwd: workFolder,
    });
    assert.equal(unheard.code, 3, unheard.stderr);
    assert.match(
      unheard.stderr,
      /Notification "rejected-over-threshold" of sync "run-unheard" not delivered after [67] s \([2-9] attempts; last: .*ECONNREFUSED.*\): the embedded Temporal server stops with this command/,
    );
    assert.doesNotMatch(unheard.stderr, /\/hook/, 'the webhook URL is a secret');
    assert.ok(Date.now() - began < 90_000, 'run does not hang on a receiver that is down');
  },
);

test('a worker stopped with SIGTERM leaves a pending message to the next worker', { timeout: 180_000 }, async () => {
  unavailable = true;
  const first = await worker();
  try {
    assert.equal(await runToEnd(spec('handed-on', rows('handed-on', 12, 4))), 'completed');
    // The receiver refuses the first attempts; the worker is stopped as a service manager stops it.
    await sleep(3_000);
    first.kill('SIGTERM');
    await once(first, 'exit');
  } finally {
    unavailable = false;
  }
  assert.deepEqual(messagesFor('handed-on'), [], 'nothing delivered while the receiver was down');
  await worker();
  await firstMessageOf('handed-on', 90_000, 'the next worker sends the pending message');
  await sleep(2_000);
  const [handedOn, ...more] = messagesFor('handed-on');
  assert.equal(more.length, 0);
  assert.equal(handedOn?.length, 1, 'sent once');
  assert.equal(handedOn[0]!.body.event.kind, 'rejected-over-threshold');
  killStartedProcesses();
});
