// `start`, `status`, `pause`, `resume` and `cancel`: steer syncs on a Temporal cluster by spec name.

import { WorkflowNotFoundError } from '@temporalio/client';

import { formatProgress, formatSummary, queryProgress, startSync, syncHandle } from '../client/sync-client';
import { describeSchedule, timingText } from '../client/schedules';
import { loadSpecFile } from '../client/spec-file';
import { readConfig } from '../config';
import { checkSpecSource, MissingColumnsError } from '../sources';
import type { SyncSpec } from '../sync-spec/schema';
import { openTemporal, type TemporalSession } from '../client/temporal-connection';
import { pauseSignal, resumeSignal } from '../../workflows/messages';
import { EXIT, parseCommandLine, resultExitCode, TEMPORAL_CONNECTION_HELP, UsageError, type Command } from './usage';

const CLUSTER = `${TEMPORAL_CONNECTION_HELP} No address: localhost:7233.`;

export async function withTemporal<T>(fn: (temporal: TemporalSession) => Promise<T>): Promise<T> {
  const temporal = await openTemporal({ allowEmbedded: false, config: readConfig() });
  try {
    return await fn(temporal);
  } finally {
    await temporal.close();
  }
}

export function onePositional(argv: string[], what: string, flags: string[] = []) {
  const parsed = parseCommandLine(argv, Object.fromEntries(flags.map((flag) => [flag, { type: 'boolean' as const }])));
  if (!parsed.values.help && parsed.positionals.length !== 1) throw new UsageError(`expected exactly one ${what}`);
  const values = parsed.values as Record<string, boolean | undefined>;
  return {
    help: Boolean(values.help),
    json: Boolean(values.json),
    fullRefresh: Boolean(values['full-refresh']),
    dryRun: Boolean(values['dry-run']),
    value: parsed.positionals[0] ?? '',
  };
}

export function notFound(name: string): Error {
  return new Error(`no sync named "${name}" on this cluster (workflow chartmogul-sync:${name})`);
}

/** Loads a spec file and refuses one that maps missing columns, before anything starts. A source this
 * machine cannot open (a Postgres URL set only where the workers run, say) is left to the workers, which
 * check it first too. */
export async function loadCheckedSpec(path: string): Promise<SyncSpec> {
  const spec = loadSpecFile(path);
  const config = readConfig();
  await checkSpecSource(spec, { env: config.environment, debug: config.debug }).catch((error: unknown) => {
    if (error instanceof MissingColumnsError) throw error;
    console.error(
      `Could not check the source from here (${error instanceof Error ? error.message : String(error)}); the workers will check it before any request.`,
    );
  });
  return spec;
}

export const startCommand: Command = {
  name: 'start',
  summary: 'start a sync on a Temporal cluster and return (workers run it)',
  help: `Usage: chartmogul-sync start <spec.json|spec.yaml> [--full-refresh] [--dry-run] [--json]\n\nStarts a sync for workers to run and prints its workflow id. Relative file paths in the spec are\nmade absolute first, so workers must see the same paths. --full-refresh compares every row with\nChartMogul's current values; --dry-run writes nothing and reports every change it would make (see\n\`run --help\`; \`status\` shows the counts per field and exits 4 when there are changes).\n${CLUSTER}`,
  async run(argv) {
    const { help, json, fullRefresh, dryRun, value } = onePositional(argv, 'spec file', [
      'json',
      'full-refresh',
      'dry-run',
    ]);
    if (help) {
      console.log(this.help);
      return EXIT.ok;
    }
    const loaded = await loadCheckedSpec(value);
    const options = {
      ...loaded.options,
      fullRefresh: loaded.options.fullRefresh || fullRefresh,
      dryRun: loaded.options.dryRun || dryRun,
    };
    const spec = { ...loaded, options };
    return withTemporal(async (temporal) => {
      const handle = await startSync(temporal.client, spec);
      console.error(
        `Started ${options.dryRun ? 'a dry run of ' : ''}sync "${spec.name}" (workflow ${handle.workflowId}). Follow it with \`chartmogul-sync status ${spec.name}\`.`,
      );
      if (json) console.log(JSON.stringify({ workflowId: handle.workflowId, runId: handle.firstExecutionRunId }));
      return EXIT.ok;
    });
  },
};

/** What `status` shows of a spec's latest run, however it was started (by hand or by its schedule). */
export interface SyncStatus {
  /** For `--json`: `{"status":"running","progress":…}` while it runs, `{"status","totals",…}` when done. */
  json: Record<string, unknown>;
  text: string;
  exitCode: number;
}

export async function syncStatus(temporal: TemporalSession, name: string): Promise<SyncStatus> {
  const handle = syncHandle(temporal.client, name);
  const description = await handle.describe().catch((error: unknown) => {
    throw error instanceof WorkflowNotFoundError ? notFound(name) : error;
  });
  const status = description.status.name;
  if (status === 'RUNNING') {
    const progress = await queryProgress(handle);
    return {
      json: { status: 'running', progress },
      text: `Sync "${name}" is running${progress ? `: ${formatProgress(progress)}` : ''}.`,
      exitCode: EXIT.ok,
    };
  }
  if (status !== 'COMPLETED')
    return {
      json: { status: status.toLowerCase() },
      text: `Sync "${name}" ended as ${status.toLowerCase()}.`,
      exitCode: EXIT.failed,
    };
  const result = await handle.result();
  return {
    json: {
      status: result.status,
      totals: result.totals,
      reportPath: result.reportPath,
      durationMs: result.durationMs,
      finishedAt: description.closeTime?.toISOString(),
      ...(result.changedFields ? { changedFields: result.changedFields } : {}),
    },
    text: formatSummary(name, result),
    exitCode: resultExitCode(result),
  };
}

export const statusCommand: Command = {
  name: 'status',
  summary: "show a sync's progress or result, and its next scheduled run",
  help: `Usage: chartmogul-sync status <name> [--json]\n\nShows the progress of a running sync, or the result of its last run, whether started by hand or by its\nschedule, and the next scheduled run when it has a schedule (JSON: "nextRunAt").\nExit codes: 0 running or completed with every row synced; 3 completed with rejected, failed or partial rows;\n4 a dry run that found changes (the summary and JSON "changedFields" count them by field); 1 failed, not found or unreachable.\n${CLUSTER}`,
  async run(argv) {
    const { help, json, value: name } = onePositional(argv, 'sync name', ['json']);
    if (help) {
      console.log(this.help);
      return EXIT.ok;
    }
    return withTemporal(async (temporal) => {
      const schedule = await describeSchedule(temporal.client, name);
      const nextRunAt = schedule?.info.nextActionTimes[0]?.toISOString();
      const status = await syncStatus(temporal, name).catch((error: unknown) => {
        // A schedule whose first run has not come yet has no run to show.
        if (schedule && error instanceof Error && error.message.startsWith('no sync named'))
          return { json: { status: 'not run yet' }, text: `Sync "${name}" has not run yet.`, exitCode: EXIT.ok };
        throw error;
      });
      console.error(status.text);
      if (schedule)
        console.error(
          `Schedule: ${timingText(schedule)}${schedule.state.paused ? ' (paused)' : ''}; next run ${nextRunAt ?? 'none'}.`,
        );
      if (json) console.log(JSON.stringify({ ...status.json, ...(schedule ? { nextRunAt: nextRunAt ?? null } : {}) }));
      return status.exitCode;
    });
  },
};

function steering(
  name: 'pause' | 'resume' | 'cancel',
  summary: string,
  act: (temporal: TemporalSession, sync: string) => Promise<void>,
  done: string,
): Command {
  return {
    name,
    summary,
    help: `Usage: chartmogul-sync ${name} <name>\n\n${summary[0]?.toUpperCase()}${summary.slice(1)}.\n${CLUSTER}`,
    async run(argv) {
      const { help, value: sync } = onePositional(argv, 'sync name');
      if (help) {
        console.log(this.help);
        return EXIT.ok;
      }
      return withTemporal(async (temporal) => {
        await act(temporal, sync).catch((error: unknown) => {
          throw error instanceof WorkflowNotFoundError ? notFound(sync) : error;
        });
        console.error(`Sync "${sync}" ${done}.`);
        return EXIT.ok;
      });
    },
  };
}

export const pauseCommand = steering(
  'pause',
  'pause a running sync after the rows in flight',
  (temporal, sync) => syncHandle(temporal.client, sync).signal(pauseSignal),
  'is pausing: rows in flight finish, no new rows start',
);
export const resumeCommand = steering(
  'resume',
  'resume a paused sync',
  (temporal, sync) => syncHandle(temporal.client, sync).signal(resumeSignal),
  'resumed',
);
export const cancelCommand = steering(
  'cancel',
  'cancel a running sync: rows in flight finish and the totals are kept',
  (temporal, sync) =>
    syncHandle(temporal.client, sync)
      .cancel()
      .then(() => undefined),
  'is cancelling: rows in flight finish, then it reports its totals',
);
