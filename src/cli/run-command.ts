// `chartmogul-sync run <spec>`: a one-shot sync with a worker in this process, on the configured cluster or an
// embedded dev server, against ChartMogul or the built-in emulator.

import { randomBytes } from 'node:crypto';

import { WorkflowFailedError } from '@temporalio/client';

import { accountVariable, resolveAccount } from '../chartmogul/accounts';
import { defaultReportsDir, readConfig } from '../config';
import { formatProgress, formatSummary, queryProgress, startSync } from '../client/sync-client';
import { awaitRunNotifications, formatNotificationFate } from '../client/run-notifications';
import { loadSpecFile } from '../client/spec-file';
import { openTemporal, type TemporalSession } from '../client/temporal-connection';
import { startEmulator, type EmulatorHandle } from '../emulator';
import { checkSpecSource } from '../sources';
import { isCustomAttribute, OBJECTS } from '../objects';
import { DURATION, durationMs, type SyncSpec } from '../sync-spec/schema';
import { createWorkers, installRuntime } from '../worker/workers';
import { failureMessage } from './failures';
import { EXIT, parseCommandLine, resultExitCode, TEMPORAL_CONNECTION_HELP, UsageError, type Command } from './usage';

const HELP = `Usage: chartmogul-sync run <spec.json|spec.yaml>... [--emulator] [--dry-run] [--full-refresh] [--json]
                            [--notify-wait DURATION]

Runs syncs to their end, one after the other, with a worker in this process, and prints a summary of each
(so \`run customers.json contacts.json --emulator\` puts the contacts on the customers it just made).

${TEMPORAL_CONNECTION_HELP}
No address: an embedded dev server with its Web UI.
ChartMogul: CHARTMOGUL_API_KEY (account "default") or CHARTMOGUL_API_KEY_<ACCOUNT>; CHARTMOGUL_API_URL for
another base URL.

Options:
  --emulator        run against the built-in ChartMogul emulator (a generated key; nothing leaves this machine)
  --dry-run         write nothing: compare each row with ChartMogul (listing the data source where that
                    costs fewer requests than reading each changed record) and report every row that
                    would be created or updated, each field with ChartMogul's value and the row's; the
                    summary counts rows per field (a spec's options.dryRun: true is a dry run too)
  --full-refresh    list the data source first and compare every row with ChartMogul's current values
                    (corrects values edited in ChartMogul since the last sync; otherwise only rows that
                    changed in the source since the last sync are sent)
  --json            print each result as one JSON line on stdout: status, totals, reportPath, workflowId,
                    runId, durationMs
  --reports-dir D   where the JSONL report of rejected, failed and partial rows goes (default ./reports)
  --notify-wait D   how long to wait, after a sync, for the notification it started (spec \`notify\`) to be
                    delivered before this command stops its worker (default 30s; 10s, 2m, …); one line
                    says if it was not
  -h, --help        this help

Exit codes: 0 every row synced (a dry run: nothing would change); 4 a dry run found rows it would create
or update; 3 finished with rejected, failed or partial rows (ChartMogul did not keep some of their values);
1 could not run or was cancelled (a failed sync stops the ones after it); 2 bad usage.
Ctrl+C or SIGTERM cancels the sync: rows in flight finish and the totals are printed. The embedded
Temporal server stops with this command however it ends, even when it is killed.`;

type Print = (line: string) => void;

/** How long `run` waits for a finished sync's notification by default: about five attempts of its retry
 * policy (2 s, doubling), enough for a receiver that blinks, short enough for a cron job or CI step. */
export const DEFAULT_NOTIFY_WAIT = '30s';

/** Waits for the notifications a finished sync started, and says what became of each. */
async function awaitNotifications(
  temporal: TemporalSession,
  spec: SyncSpec,
  handle: { workflowId: string; firstExecutionRunId: string },
  waitMs: number,
  log: Print,
): Promise<void> {
  if (!spec.notify) return;
  let fates;
  try {
    fates = await awaitRunNotifications(temporal.client, handle.workflowId, handle.firstExecutionRunId, waitMs);
  } catch (error) {
    // The sync's outcome stands whatever happens here: say so, and end as the sync did.
    log(
      `Could not learn whether the notification of sync "${spec.name}" was delivered: ${error instanceof Error ? error.message : String(error)}`,
    );
    return;
  }
  const stays = temporal.embedded
    ? 'the embedded Temporal server stops with this command, so it is dropped (run against a cluster, or use `serve`, to keep it)'
    : 'it stays with the Temporal cluster, and a running worker sends it';
  for (const fate of fates) log(formatNotificationFate(spec.name, fate, stays));
}

/** Runs one sync to its end with progress on the terminal; answers its exit code. */
async function runOne(
  temporal: TemporalSession,
  spec: SyncSpec,
  options: { json: boolean; notifyWaitMs: number },
  log: Print,
): Promise<number> {
  const { json } = options;
  const handle = await startSync(temporal.client, spec);
  if (temporal.embedded?.uiUrl)
    log(
      `Temporal Web UI: ${temporal.embedded.uiUrl}/namespaces/${temporal.namespace}/workflows/${encodeURIComponent(handle.workflowId)}`,
    );
  log(`Started ${spec.options.dryRun ? 'a dry run of ' : ''}sync "${spec.name}" (workflow ${handle.workflowId}).`);

  let interrupts = 0;
  const onInterrupt = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT.failed);
    log('\nCancelling: the rows in flight finish, then the totals are printed (Ctrl+C again to quit now).');
    handle.cancel().catch(() => undefined);
  };
  // SIGTERM (a scheduler or `kill`) stops it the same orderly way as Ctrl+C.
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);

  const tty = Boolean(process.stderr.isTTY);
  let lastLine = 0;
  // One progress query at a time, and none left behind: a query still retrying when the connection closes
  // would throw from the gRPC client's timer and end the process with exit 1 after the sync completed.
  let query: Promise<void> | undefined;
  const progressTimer = setInterval(
    () => {
      query ??= queryProgress(handle)
        .then((progress) => {
          if (!progress) return;
          if (tty) process.stderr.write(`\r\x1b[K${formatProgress(progress)}`);
          else if (Date.now() - lastLine >= 10_000) {
            lastLine = Date.now();
            log(formatProgress(progress));
          }
        })
        .finally(() => {
          query = undefined;
        });
    },
    tty ? 500 : 1_000,
  );

  let result;
  try {
    result = await handle.result();
  } catch (error) {
    if (tty) process.stderr.write('\n');
    const message =
      error instanceof WorkflowFailedError
        ? failureMessage(error)
        : error instanceof Error
          ? error.message
          : String(error);
    log(`Sync "${spec.name}" failed: ${message}`);
    await awaitNotifications(temporal, spec, handle, options.notifyWaitMs, log);
    if (json) console.log(JSON.stringify({ status: 'failed', error: message, workflowId: handle.workflowId }));
    return EXIT.failed;
  } finally {
    clearInterval(progressTimer);
    await query;
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onInterrupt);
  }
  if (tty) process.stderr.write('\r\x1b[K');
  log(formatSummary(spec.name, result));
  await awaitNotifications(temporal, spec, handle, options.notifyWaitMs, log);
  if (json) {
    const description = await handle.describe();
    console.log(
      JSON.stringify({
        status: result.status,
        totals: result.totals,
        reportPath: result.reportPath,
        workflowId: handle.workflowId,
        runId: description.runId,
        durationMs: result.durationMs,
        ...(result.changedFields ? { changedFields: result.changedFields } : {}),
      }),
    );
  }
  if (result.status === 'cancelled') return EXIT.failed;
  return resultExitCode(result);
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run syncs to their end (embedded Temporal unless a cluster is configured)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, {
      emulator: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'full-refresh': { type: 'boolean' },
      json: { type: 'boolean' },
      'reports-dir': { type: 'string' },
      'notify-wait': { type: 'string' },
    });
    if (values.help) {
      console.log(HELP);
      return EXIT.ok;
    }
    if (positionals.length === 0) throw new UsageError('expected one or more spec files');
    const notifyWait = values['notify-wait'] ?? DEFAULT_NOTIFY_WAIT;
    if (!DURATION.test(notifyWait))
      throw new UsageError(`--notify-wait: expected a duration such as 30s, 2m or 0s, not "${notifyWait}"`);
    const runOptions = { json: Boolean(values.json), notifyWaitMs: durationMs(notifyWait) };
    const log = (line: string) => console.error(line);
    const specs = positionals.map((path) => {
      const loaded = loadSpecFile(path);
      // Flags can only add a dry run or a full refresh, never take away what the spec asks for.
      return {
        ...loaded,
        options: {
          ...loaded.options,
          dryRun: loaded.options.dryRun || Boolean(values['dry-run']),
          fullRefresh: loaded.options.fullRefresh || Boolean(values['full-refresh']),
        },
      };
    });

    let emulator: EmulatorHandle | undefined;
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (values.emulator) {
      const apiKey = `emulator_${randomBytes(12).toString('hex')}`;
      const dataSources = [...new Set(specs.map((spec) => spec.dataSourceUuid))];
      // The emulated account defines the contact attributes the specs map, as a real account must (in
      // ChartMogul's settings) before contacts keep them.
      const contactAttributes = [
        ...new Set(
          specs
            .filter((spec) => OBJECTS[spec.object].customAttributes === 'key-value')
            .flatMap((spec) =>
              spec.mapping.map((entry) => entry.to).filter((field) => isCustomAttribute(spec.object, field)),
            ),
        ),
      ];
      emulator = await startEmulator({ apiKey, dataSources, contactAttributes });
      for (const account of new Set(specs.map((spec) => spec.account))) {
        env[accountVariable(account, 'CHARTMOGUL_API_KEY')] = apiKey;
        env[accountVariable(account, 'CHARTMOGUL_API_URL')] = emulator.url;
      }
      // The emulator's account lives only for this run, so what was sent to it must not outlive it either.
      env.STATE_SQLITE_PATH = ':memory:';
      delete env.STATE_DATABASE_URL;
      log(
        `ChartMogul emulator: ${emulator.url} (data source${dataSources.length > 1 ? 's' : ''} ${dataSources.join(', ')})`,
      );
      if (contactAttributes.length > 0)
        log(
          `  defines contact attributes ${contactAttributes.join(', ')} (in ChartMogul, define them in the account's settings first)`,
        );
    } else {
      for (const spec of specs) resolveAccount(spec.account, env);
    }

    // A spec that maps columns its source lacks is refused here, before any server or request.
    const config = readConfig(env);
    for (const spec of specs) await checkSpecSource(spec, { env, debug: config.debug });

    installRuntime({ level: 'ERROR' });
    const temporal = await openTemporal({ allowEmbedded: true, log, config });
    const workers = await createWorkers({
      address: temporal.address,
      namespace: temporal.namespace,
      config,
      cluster: temporal.cluster,
      reportsDir: values['reports-dir'] ?? defaultReportsDir(),
    });
    const workersDone = workers.run();
    try {
      // In order, so customers land before the contacts that name them. The first that fails stops the rest;
      // otherwise changes pending (dry runs) outrank rows not synced, as for one sync.
      let code: number = EXIT.ok;
      for (const spec of specs) {
        const outcome = await runOne(temporal, spec, runOptions, log);
        if (outcome === EXIT.failed) return EXIT.failed;
        if (outcome === EXIT.changesPending || (outcome === EXIT.rowsNotSynced && code === EXIT.ok)) code = outcome;
      }
      return code;
    } finally {
      workers.shutdown();
      await workersDone;
      await temporal.close();
      await emulator?.stop();
    }
  },
};
