// Recurring syncs on Temporal Schedules, through the CLI as a user runs it: a short interval runs the spec
// again and again; a run that outlasts the interval is never overlapped (the schedule skips and says so);
// pause stops it, trigger runs it now, delete removes it; describe and status show the last result and the
// next time; every Nth run is a full refresh.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { ScheduledSyncResult } from '../workflows/scheduled-sync';
import { syncScheduleId, syncWorkflowId } from '../src/contracts/names';
import { customersSpecFile, runCommand, type CommandOutcome } from './helpers/processes';
import { useSyncHarness, workFolder } from './helpers/sync';

// Every request takes 60 ms, so a sync of 20 rows one at a time (a lookup and an update each) outlasts a
// 1 s interval.
const harness = useSyncHarness({ latency: '60' });
const ROWS = 20;

function cli(...args: string[]): Promise<CommandOutcome> {
  return runCommand(args, {
    env: { ...process.env, ...harness.emulator.env, TEMPORAL_ADDRESS: harness.temporal.server.address },
  });
}

function specFile(name: string, rows: number, options: Record<string, unknown>): string {
  return customersSpecFile(workFolder, name, rows, harness.emulator.dataSourceUuid, options);
}

async function describeJson(name: string): Promise<any> {
  const { code, stdout, stderr } = await cli('schedule', 'describe', name, '--json');
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout);
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** Every run of the spec's sync workflow, [start, close] (close undefined while it runs). */
async function syncRuns(name: string): Promise<{ start: number; close?: number }[]> {
  const runs = [];
  for await (const workflow of harness.temporal.client.workflow.list({
    query: `WorkflowId = '${syncWorkflowId(name)}'`,
  }))
    runs.push({ start: workflow.startTime.getTime(), close: workflow.closeTime?.getTime() });
  return runs.sort((a, b) => a.start - b.start);
}

test('a schedule runs the spec again and again, never two runs at once; pause, trigger, describe, status, delete', async () => {
  const name = 'sched-slow';
  // Not incremental, so every run sends every row again and lasts several seconds.
  const created = await cli(
    'schedule',
    'create',
    specFile(name, ROWS, { incremental: false, concurrency: 1 }),
    '--every',
    '1s',
    '--json',
  );
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stderr, /Scheduled sync "sched-slow": every 1s; next run /);
  const again = await cli('schedule', 'create', specFile(name, ROWS, {}), '--every', '1s');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /a schedule for "sched-slow" exists already/);

  const schedule = harness.temporal.client.schedule.getHandle(syncScheduleId(name));
  await waitFor('two finished runs and a skipped one', async () => {
    const skipped = (await schedule.describe()).info.numActionsSkippedOverlap;
    const finished = (await syncRuns(name)).filter((run) => run.close !== undefined).length;
    return finished >= 2 && skipped > 0 ? true : undefined;
  });
  const view = await describeJson(name);
  assert.ok(view.skippedWhileRunning > 0, 'describe counts the runs skipped while the last was running');
  assert.equal(view.timing, 'every 1s');
  assert.equal(view.paused, false);
  assert.ok(Date.parse(view.nextRunAt) > Date.now() - 5_000, `next run ${view.nextRunAt}`);
  assert.ok(view.lastRun, 'describe shows the last run');

  const paused = await cli('schedule', 'pause', name);
  assert.equal(paused.code, 0, paused.stderr);
  // Let a run in progress finish, then nothing new starts.
  await waitFor('the run in progress to finish', async () =>
    (await syncRuns(name)).every((run) => run.close !== undefined) ? true : undefined,
  );
  const runsWhenPaused = (await syncRuns(name)).length;
  await sleep(3_000);
  assert.equal((await syncRuns(name)).length, runsWhenPaused, 'a paused schedule starts no run');
  assert.equal((await schedule.describe()).state.paused, true);

  const triggered = await cli('schedule', 'trigger', name);
  assert.equal(triggered.code, 0, triggered.stderr);
  await waitFor('the triggered run', async () => ((await syncRuns(name)).length > runsWhenPaused ? true : undefined));

  const runs = await waitFor('the triggered run to finish', async () => {
    const all = await syncRuns(name);
    return all.every((run) => run.close !== undefined) ? all : undefined;
  });
  for (let index = 1; index < runs.length; index += 1)
    assert.ok(runs[index]!.start >= runs[index - 1]!.close!, `run ${index} started before run ${index - 1} closed`);

  const status = await cli('status', name, '--json');
  assert.equal(status.code, 0, status.stderr);
  const shown = JSON.parse(status.stdout);
  assert.equal(shown.status, 'completed');
  assert.equal(shown.totals.read, ROWS);
  assert.ok('nextRunAt' in shown, 'status shows the next scheduled time');
  assert.match(status.stderr, /Schedule: every 1s \(paused\)/);

  const listed = await cli('schedule', 'list', '--json');
  assert.ok(JSON.parse(listed.stdout).some((entry: { name: string }) => entry.name === name));

  const deleted = await cli('schedule', 'delete', name);
  assert.equal(deleted.code, 0, deleted.stderr);
  const gone = await cli('schedule', 'describe', name);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /no schedule for sync "sched-slow"/);
});

test('--full-refresh-every 2: every second run of the schedule is a full refresh', async () => {
  const name = 'sched-refresh';
  const created = await cli('schedule', 'create', specFile(name, 3, {}), '--every', '1s', '--full-refresh-every', '2');
  assert.equal(created.code, 0, created.stderr);
  const results = await waitFor('four scheduled runs', async () => {
    const description = await harness.temporal.client.schedule.getHandle(syncScheduleId(name)).describe();
    const finished: ScheduledSyncResult[] = [];
    for (const action of description.info.recentActions) {
      const handle = harness.temporal.client.workflow.getHandle(
        action.action.workflow.workflowId,
        action.action.workflow.firstExecutionRunId,
      );
      if ((await handle.describe()).status.name === 'COMPLETED') finished.push(await handle.result());
    }
    return finished.length >= 4 ? finished : undefined;
  });
  await harness.temporal.client.schedule.getHandle(syncScheduleId(name)).delete();
  const ran = results.filter((result) => result.outcome === 'ran');
  assert.deepEqual(
    ran.slice(0, 4).map((result) => result.outcome === 'ran' && result.fullRefresh),
    [false, true, false, true],
  );
});
