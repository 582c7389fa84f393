// `chartmogul-sync emulator`: runs the ChartMogul emulator in the foreground until interrupted.

import { randomBytes, randomUUID } from 'node:crypto';

import { startEmulator } from '../emulator';
import { CHARTMOGUL_LIMITS } from '../limits';
import { DATA_SOURCE_UUID } from '../sync-spec/schema';
import { EXIT, parseCommandLine, toInteger, UsageError, type Command } from './usage';

const HELP = `Usage: chartmogul-sync emulator [options]

Runs a local ChartMogul emulator: the API paths, auth, error bodies and limits this product uses.
Prints its base URL; point a sync at it with CHARTMOGUL_API_URL=<url> CHARTMOGUL_API_KEY=<key>.

Options:
  --port P              port to listen on (default 0: any free port)
  --host H              address to bind (default 127.0.0.1)
  --api-key K           the API key clients must send (default: a generated one, printed)
  --data-source UUID    a data source that exists from the start (ds_ + UUID); repeatable
                        (default: one generated data source, printed)
  --rps N               requests allowed in any one-second window, more get 429 (default ${CHARTMOGUL_LIMITS.requestsPerSecond}; 0 = off)
  --max-connections N   requests allowed in flight, more get 503 (default ${CHARTMOGUL_LIMITS.maxConnections}; 0 = off)
  --latency MIN-MAX     added latency per request in ms, e.g. 50-150 (default none)
  --faults SPEC         injected faults, e.g. 429=0.2,500=0.05,502=0.01,503=0.01,reset=0.01,lost=0.05
  --seed N              seed for faults and latency, so runs repeat exactly (default 1)
  --user EMAIL          a user of the emulated account; repeatable. A customer's owner must be a
                        user, else ChartMogul keeps the old owner (default: no users)
  --contact-attribute K a contact custom attribute the account defines; repeatable. Contacts keep
                        only defined keys, as in ChartMogul (default: none)
  --bulk-rate N         records a second a bulk import (json_imports) is processed at, as ChartMogul
                        processes them "in minutes to hours" (default 0: at once)
  -h, --help            this help

Counters: GET <url>/_emulator/stats; clear them with POST <url>/_emulator/reset (?data=true also
empties the account).`;

export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'run the local ChartMogul emulator',
  help: HELP,
  async run(argv) {
    const { values } = parseCommandLine(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      'data-source': { type: 'string', multiple: true },
      rps: { type: 'string' },
      'max-connections': { type: 'string' },
      latency: { type: 'string' },
      faults: { type: 'string' },
      seed: { type: 'string' },
      user: { type: 'string', multiple: true },
      'contact-attribute': { type: 'string', multiple: true },
      'bulk-rate': { type: 'string' },
    });
    if (values.help) {
      console.log(HELP);
      return EXIT.ok;
    }
    const dataSources = values['data-source'] ?? [`ds_${randomUUID()}`];
    const badSource = dataSources.find((uuid) => !DATA_SOURCE_UUID.test(uuid));
    if (badSource)
      throw new UsageError(`--data-source "${badSource}" is not a data source UUID: expected ds_ followed by a UUID`);
    const apiKey = values['api-key'] ?? `emulator_${randomBytes(12).toString('hex')}`;
    let emulator;
    try {
      emulator = await startEmulator({
        port: toInteger('port', values.port, 0),
        host: values.host ?? '127.0.0.1',
        apiKey,
        dataSources,
        rps: toInteger('rps', values.rps, CHARTMOGUL_LIMITS.requestsPerSecond),
        maxConnections: toInteger('max-connections', values['max-connections'], CHARTMOGUL_LIMITS.maxConnections),
        latency: values.latency,
        faults: values.faults,
        seed: toInteger('seed', values.seed, 1),
        users: values.user ?? [],
        contactAttributes: values['contact-attribute'] ?? [],
        bulkRate: toInteger('bulk-rate', values['bulk-rate'], 0),
      });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    console.log(emulator.url);
    console.error(`ChartMogul emulator listening on ${emulator.url}`);
    console.error(`  API key:      ${apiKey}${values['api-key'] ? '' : ' (generated)'}`);
    console.error(`  data sources: ${dataSources.join(', ')}`);
    if (values.user?.length) console.error(`  users:        ${values.user.join(', ')}`);
    if (values['contact-attribute']?.length)
      console.error(`  contact attributes: ${values['contact-attribute'].join(', ')}`);
    console.error(`  stats:        ${emulator.url}/_emulator/stats`);
    console.error('Press Ctrl+C to stop.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await emulator.stop();
    return EXIT.ok;
  },
};
