// `chartmogul-sync serve`: the one command a user without a Temporal cluster leaves running. A persistent
// local Temporal dev server (its state in .state/temporal.sqlite, Web UI on a fixed port) and the workers,
// until SIGINT or SIGTERM. Restarted, it picks up where it stopped: running syncs continue, schedules fire.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { Connection } from '@temporalio/client';

import { readConfig } from '../config';
import { createKeysFile, ENCRYPTION_KEYS_VARIABLE, keysFilePath } from '../privacy/encryption-keys';
import { startLocalCodec } from '../privacy/local-codec';
import { DEFAULT_PACE } from '../limits';
import { serverAnswers, startDevServer, type DevServer } from '../temporal/dev-server';
import { removeLocalService, writeLocalService } from '../temporal/local-service';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { createWorkers, installRuntime } from '../worker/workers';
import { SEARCH_ATTRIBUTES } from '../contracts/names';
import { commandLog, RUNTIME_FLAGS, runtimeOptions } from './runtime-flags';
import { DEFAULT_CODEC_PORT } from './codec-server-command';
import { EXIT, parseCommandLine, toInteger, type Command } from './usage';

/** The Temporal dev server's usual ports, so Temporal's own tools find it without settings. */
const DEFAULT_PORT = 7233;
const DEFAULT_UI_PORT = 8233;

const HELP = `Usage: chartmogul-sync serve [options]

Runs a local Temporal server and the workers until Ctrl+C (or SIGTERM): the one command to leave running
when you have no Temporal cluster. Its state lives in ./.state/ (Temporal's in temporal.sqlite, the sync
state store in chartmogul-sync.sqlite), reports in ./reports; stop and start it again and running syncs
continue and schedules fire again. Start syncs from another terminal in this folder with
\`chartmogul-sync start <spec>\` or \`chartmogul-sync schedule create <spec> --every 1h\` (they find this
server through ./.state/serve.json), or from Temporal Web's "Start Workflow" (type syncWorkflow, task queue
chartmogul-sync-io, the spec as JSON input). If a Temporal server already answers on --port, it is used.

Options:
  --port P              Temporal's gRPC port (default ${DEFAULT_PORT})
  --ui-port P           Temporal Web's port (default ${DEFAULT_UI_PORT})
  --codec-port P        the codec server that shows Temporal Web decrypted, decompressed payloads (default ${DEFAULT_CODEC_PORT})
  --no-encryption       do not make an encryption key on first start (see below)
  --rps N               ChartMogul requests per second per account (default ${DEFAULT_PACE.requestsPerSecond})
  --max-connections N   ChartMogul requests in flight per account (default ${DEFAULT_PACE.maxConnections})
  --api-slots N         ChartMogul activities run at once (default: --max-connections per account with a key)
  --reports-dir D       where run reports go (default ./reports)
  --log-format F        text (default) or json
  --metrics-port P      serve Prometheus metrics on http://0.0.0.0:P/metrics (off by default)
  -h, --help            this help

Encrypted by default: every payload it stores (rows, reasons, results) is AES-256-GCM encrypted with the keys in
${ENCRYPTION_KEYS_VARIABLE}; without them, the first start makes a key in ./.state/encryption-keys (readable
by you only) and says so once: back that file up, for without it the syncs' histories cannot be read. Temporal
Web decrypts through the codec server on --codec-port, on this machine only.

Environment: CHARTMOGUL_API_KEY / CHARTMOGUL_API_KEY_<ACCOUNT>, CHARTMOGUL_API_URL, TEMPORAL_NAMESPACE, and
any env:NAME a spec names.`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run a local Temporal server and the workers (long-running, no cluster needed)',
  help: HELP,
  async run(argv) {
    const { values } = parseCommandLine(argv, {
      port: { type: 'string' },
      'ui-port': { type: 'string' },
      'codec-port': { type: 'string' },
      'no-encryption': { type: 'boolean' },
      rps: { type: 'string' },
      'max-connections': { type: 'string' },
      'api-slots': { type: 'string' },
      'reports-dir': { type: 'string' },
      ...RUNTIME_FLAGS,
    });
    if (values.help) {
      console.log(HELP);
      return EXIT.ok;
    }
    const runtime = runtimeOptions(values);
    installRuntime(runtime);
    const say = commandLog(runtime);
    let config = readConfig();
    if (config.encryptionKeys.length === 0 && !values['no-encryption']) {
      const entry = createKeysFile(config.stateDir);
      // The key itself is never printed (logs are kept and shipped); the file is its one copy until backed up.
      say(
        `Made encryption key "${entry.split(':')[0]}" in ${keysFilePath(config.stateDir)} (readable by you only). Every payload Temporal stores is encrypted with it. Back that file up now: without it the syncs' histories cannot be read. Commands run in this folder use it; elsewhere set ${ENCRYPTION_KEYS_VARIABLE}="$(cat ${keysFilePath(config.stateDir)})".`,
      );
      config = readConfig();
    }
    // serve's own server: a client profile names a remote cluster, not this one, so only the variable counts.
    const namespace = config.environment.TEMPORAL_NAMESPACE || 'default';
    const port = toInteger('port', values.port, DEFAULT_PORT);
    const uiPort = toInteger('ui-port', values['ui-port'], DEFAULT_UI_PORT);
    const address = `127.0.0.1:${port}`;
    mkdirSync(config.stateDir, { recursive: true });

    let server: DevServer | undefined;
    let uiUrl = `http://localhost:${uiPort}`;
    const codec = await startLocalCodec(
      config.encryptionKeys,
      uiPort,
      toInteger('codec-port', values['codec-port'], DEFAULT_CODEC_PORT),
    );
    // A server already answering on the port: a `serve` whose server outlived it, or `temporal server start-dev`.
    if (await serverAnswers(address, namespace)) {
      say(`A Temporal server already answers on ${address}: using it.`);
    } else {
      say(`Starting the local Temporal server (state in ${join(config.stateDir, 'temporal.sqlite')})...`);
      server = await startDevServer({
        temporalCli: config.temporalCli,
        port,
        uiPort,
        namespace,
        searchAttributes: SEARCH_ATTRIBUTES,
        dbFilename: join(config.stateDir, 'temporal.sqlite'),
        codecEndpoint: codec.url,
      });
      uiUrl = (server.uiUrl ?? uiUrl).replace('127.0.0.1', 'localhost');
    }
    try {
      const connection = await Connection.connect({ address });
      await ensureSearchAttributes(connection, namespace).finally(() => connection.close());
      const workers = await createWorkers({
        address,
        namespace,
        config,
        reportsDir: values['reports-dir'] ?? config.reportsDir,
        limits: {
          requestsPerSecond: toInteger('rps', values.rps, DEFAULT_PACE.requestsPerSecond),
          maxConnections: toInteger('max-connections', values['max-connections'], DEFAULT_PACE.maxConnections),
        },
        apiSlots: values['api-slots'] === undefined ? undefined : toInteger('api-slots', values['api-slots'], 0),
      });
      writeLocalService(config.stateDir, { address, uiUrl, pid: process.pid });
      const stop = () => {
        say('Stopping: finishing the tasks in hand...');
        workers.shutdown();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      say(
        `Temporal Web: ${uiUrl} (${config.encryptionKeys.length > 0 ? `payloads encrypted with key ${config.encryptionKeys.at(-1)?.id}` : 'payloads not encrypted'}; shown in your browser through ${codec.url})`,
      );
      if (runtime.metricsPort !== undefined) say(`Metrics: http://localhost:${runtime.metricsPort}/metrics`);
      say(
        `Workers running on ${address} (namespace ${namespace}). Start syncs with \`chartmogul-sync start <spec>\` or \`chartmogul-sync schedule create <spec> --every 1h\`. Ctrl+C to stop.`,
      );
      await workers.run();
      removeLocalService(config.stateDir);
      say('Stopped.');
      return EXIT.ok;
    } finally {
      await server?.stop();
      await codec.close();
    }
  },
};
