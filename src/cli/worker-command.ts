// `chartmogul-sync worker`: a long-running worker for a Temporal cluster. Stops gracefully on SIGINT/SIGTERM.

import { openTemporal } from '../client/temporal-connection';
import { readConfig } from '../config';
import { DEFAULT_PACE } from '../limits';
import { createWorkers, installRuntime } from '../worker/workers';
import { commandLog, RUNTIME_FLAGS, runtimeOptions } from './runtime-flags';
import { EXIT, parseCommandLine, TEMPORAL_CONNECTION_HELP, toInteger, type Command } from './usage';

const HELP = `Usage: chartmogul-sync worker [options]

Runs the workers for syncs on a Temporal cluster until SIGINT or SIGTERM (then it finishes the tasks in
hand and stops). Run one or more next to your cluster; start syncs with \`chartmogul-sync start\`, the
Temporal client, or Temporal Web's "Start workflow" with the spec as JSON input.

${TEMPORAL_CONNECTION_HELP} No address: localhost:7233.
ChartMogul: CHARTMOGUL_API_KEY / CHARTMOGUL_API_KEY_<ACCOUNT>, CHARTMOGUL_API_URL; and any env:NAME a spec names.

Options:
  --rps N               ChartMogul requests per second per account, for all workers together (default
                        ${DEFAULT_PACE.requestsPerSecond}; ChartMogul allows 40; give every worker the same value)
  --max-connections N   ChartMogul requests in flight per account, for all workers together (default ${DEFAULT_PACE.maxConnections})
  --api-slots N         ChartMogul activities this process runs at once (default: --max-connections for each
                        account it has a key for, so accounts never wait on each other's slots)
  --reports-dir D       where run reports go (default ./reports)
  --state-database-url U  the state store: postgres://… shared by workers on several hosts (default:
                        STATE_DATABASE_URL, else the SQLite file STATE_SQLITE_PATH or ./.state/chartmogul-sync.sqlite)
  --log-format F        text (default) or json: one line per event (JSON lines carry syncName, rowKey,
                        workflowId, activityType, attempt, status); a retried request is one line, no stack
  --metrics-port P      serve Prometheus metrics on http://0.0.0.0:P/metrics (off by default): the
                        Temporal SDK's, plus rows by sync and outcome, ChartMogul requests by status,
                        retries, requests/s, sync durations and each sync's last success

Every process that shares the state store (the same SQLite file on one host, or one Postgres for several
hosts) shares each account's pace: add workers freely, the account's limits hold.
  -h, --help            this help`;

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run workers for a Temporal cluster (long-running)',
  help: HELP,
  async run(argv) {
    const { values } = parseCommandLine(argv, {
      rps: { type: 'string' },
      'max-connections': { type: 'string' },
      'api-slots': { type: 'string' },
      'worker-processes': { type: 'string' },
      'reports-dir': { type: 'string' },
      'state-database-url': { type: 'string' },
      ...RUNTIME_FLAGS,
    });
    if (values.help) {
      console.log(HELP);
      return EXIT.ok;
    }
    if (values['worker-processes'] !== undefined)
      console.error(
        "--worker-processes is no longer needed and is ignored: workers that share the state store share each account's pace.",
      );
    const runtime = runtimeOptions(values);
    installRuntime(runtime);
    const say = commandLog(runtime);
    const config = readConfig(
      values['state-database-url'] ? { ...process.env, STATE_DATABASE_URL: values['state-database-url'] } : process.env,
    );
    // Connecting once checks the address and credentials and registers the search attributes.
    const session = await openTemporal({ allowEmbedded: false, config });
    await session.close();
    const { address, namespace, cluster } = session;
    const workers = await createWorkers({
      address,
      namespace,
      cluster,
      reportsDir: values['reports-dir'],
      config,
      limits: {
        requestsPerSecond: toInteger('rps', values.rps, DEFAULT_PACE.requestsPerSecond),
        maxConnections: toInteger('max-connections', values['max-connections'], DEFAULT_PACE.maxConnections),
      },
      apiSlots: values['api-slots'] === undefined ? undefined : toInteger('api-slots', values['api-slots'], 0),
    });
    const stop = () => {
      say('Stopping: finishing the tasks in hand...');
      workers.shutdown();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    say(`Worker running on ${address} (namespace ${namespace}). Ctrl+C to stop.`);
    if (values['metrics-port'] !== undefined) say(`Metrics: http://localhost:${values['metrics-port']}/metrics`);
    await workers.run();
    say('Worker stopped.');
    return EXIT.ok;
  },
};
