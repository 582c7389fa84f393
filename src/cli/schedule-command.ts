// `chartmogul-sync schedule …`: recurring syncs on Temporal Schedules, one per spec name.

import type { ScheduleDescription } from '@temporalio/client';

import { createSchedule, describeSchedule, listScheduledSyncs, scheduleHandle, timingText } from '../client/schedules';
import { EXIT, parseCommandLine, TEMPORAL_CONNECTION_HELP, toInteger, UsageError, type Command } from './usage';
import { loadCheckedSpec, syncStatus, withTemporal } from './steer-commands';

const HELP = `Usage: chartmogul-sync schedule <action> …

Recurring syncs on Temporal Schedules: one schedule per spec name. A scheduled run starts the sync exactly as
\`start\` does (same workflow id, same input), so \`status <name>\` shows its latest run however it started.
Never two runs of a spec at once: a run due while the last one still goes is skipped (\`describe\` counts
them). After the server was down, one missed run within a day runs, not a backlog.

  schedule create <spec> (--every 1h | --cron "0 2 * * *") [--timezone Europe/Berlin] [--full-refresh-every N]
                          --every takes s, m, h or d (15m, 1h, 1d); --cron five fields, read in --timezone
                          (default UTC); every Nth run is a full refresh (compares every row with ChartMogul,
                          finding records deleted or edited there behind the sync's back). A spec whose
                          notify sets missedRunAfter also gets a watch that notifies when no run has ended
                          for that long (it ends when the schedule is deleted)
  schedule list [--json]  the specs that have a schedule, with their timing and next run
  schedule describe <name> [--json]  timing, state, next runs, skipped runs and the last run's result
  schedule pause <name>   stop taking runs (a run in progress finishes)
  schedule unpause <name> take runs again
  schedule trigger <name> run now (skipped if a run is in progress)
  schedule delete <name>  remove the schedule (a run in progress finishes)

${TEMPORAL_CONNECTION_HELP}
No address: \`serve\`'s server, else localhost:7233.
Exit codes: 0 done, 1 not found or unreachable, 2 bad command line.`;

function summary(name: string, description: ScheduleDescription) {
  const info = description.info;
  return {
    name,
    timing: timingText(description),
    paused: description.state.paused,
    note: description.state.note ?? null,
    nextRunAt: info.nextActionTimes[0]?.toISOString() ?? null,
    nextRunsAt: info.nextActionTimes.slice(0, 5).map((time) => time.toISOString()),
    runsTaken: info.numActionsTaken,
    skippedWhileRunning: info.numActionsSkippedOverlap,
    running: info.runningActions.length > 0,
    lastRunAt: info.recentActions.at(-1)?.takenAt.toISOString() ?? null,
  };
}

function describeText(view: ReturnType<typeof summary>): string {
  return [
    `Schedule of sync "${view.name}": ${view.timing}`,
    `  state:     ${view.paused ? `paused${view.note ? ` (${view.note})` : ''}` : 'active'}`,
    `  next runs: ${view.nextRunsAt.join(', ') || 'none'}`,
    `  runs:      ${view.runsTaken} taken, last at ${view.lastRunAt ?? 'never'}${view.running ? '; one running now' : ''}`,
    `  overlap:   skip (never two runs at once); ${view.skippedWhileRunning} run${view.skippedWhileRunning === 1 ? '' : 's'} skipped while the last was still running`,
  ].join('\n');
}

function notScheduled(name: string): Error {
  return new Error(
    `no schedule for sync "${name}". Create one with \`chartmogul-sync schedule create <spec> --every 1h\`.`,
  );
}

async function described(client: Parameters<typeof describeSchedule>[0], name: string) {
  const description = await describeSchedule(client, name);
  if (!description) throw notScheduled(name);
  return description;
}

export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'run a sync on a schedule: create, list, describe, pause, unpause, trigger, delete',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, {
      every: { type: 'string' },
      cron: { type: 'string' },
      timezone: { type: 'string' },
      'full-refresh-every': { type: 'string' },
      json: { type: 'boolean' },
    });
    const [action, target, ...extra] = positionals;
    if (values.help || !action) {
      console.log(HELP);
      return values.help ? EXIT.ok : EXIT.usage;
    }
    const needsTarget = action !== 'list';
    if (needsTarget && !target)
      throw new UsageError(`schedule ${action} expects ${action === 'create' ? 'a spec file' : 'a sync name'}`);
    if (extra.length > 0 || (!needsTarget && target))
      throw new UsageError(`unexpected argument "${extra[0] ?? target}"`);
    const name = target ?? '';

    switch (action) {
      case 'create': {
        if (Boolean(values.every) === Boolean(values.cron)) throw new UsageError('give one of --every or --cron');
        const fullRefreshEvery = toInteger('full-refresh-every', values['full-refresh-every'], 0);
        const spec = await loadCheckedSpec(name);
        return withTemporal(async (temporal) => {
          const description = await createSchedule(
            temporal.client,
            spec,
            { every: values.every, cron: values.cron, timezone: values.timezone },
            fullRefreshEvery,
          );
          const view = summary(spec.name, description);
          console.error(
            `Scheduled sync "${spec.name}": ${view.timing}; next run ${view.nextRunAt ?? 'none'}. Workers (\`worker\` or \`serve\`) run it.`,
          );
          if (values.json) console.log(JSON.stringify(view));
          return EXIT.ok;
        });
      }
      case 'list':
        return withTemporal(async (temporal) => {
          const views = [];
          for (const scheduled of await listScheduledSyncs(temporal.client)) {
            const description = await describeSchedule(temporal.client, scheduled);
            if (description) views.push(summary(scheduled, description));
          }
          if (values.json) console.log(JSON.stringify(views));
          else if (views.length === 0) console.error('No scheduled syncs.');
          else
            for (const view of views)
              console.log(
                `${view.name}\t${view.timing}\t${view.paused ? 'paused' : 'active'}\tnext ${view.nextRunAt ?? 'none'}`,
              );
          return EXIT.ok;
        });
      case 'describe':
        return withTemporal(async (temporal) => {
          const view = summary(name, await described(temporal.client, name));
          const lastRun = view.runsTaken > 0 ? await syncStatus(temporal, name).catch(() => undefined) : undefined;
          if (values.json) console.log(JSON.stringify({ ...view, lastRun: lastRun?.json ?? null }));
          else
            console.log(
              `${describeText(view)}\n  last run:  ${lastRun?.text.split('\n').join('\n             ') ?? 'none yet'}`,
            );
          return EXIT.ok;
        });
      case 'pause':
      case 'unpause':
      case 'trigger':
      case 'delete':
        return withTemporal(async (temporal) => {
          await described(temporal.client, name);
          const handle = scheduleHandle(temporal.client, name);
          if (action === 'pause') await handle.pause('paused with chartmogul-sync schedule pause');
          if (action === 'unpause') await handle.unpause('unpaused with chartmogul-sync schedule unpause');
          if (action === 'trigger') await handle.trigger();
          if (action === 'delete') await handle.delete();
          const done = {
            pause: 'is paused: no new runs (a run in progress finishes)',
            unpause: 'takes runs again',
            trigger: 'is running now (unless a run was in progress)',
            delete: 'is deleted (a run in progress finishes)',
          }[action];
          console.error(`The schedule of sync "${name}" ${done}.`);
          return EXIT.ok;
        });
      default:
        throw new UsageError(
          `unknown schedule action "${action}": create, list, describe, pause, unpause, trigger or delete`,
        );
    }
  },
};
