// `chartmogul-sync find <sync> <key>`: one row's last outcome, its ChartMogul UUID, why it was rejected or
// failed, when it was last sent, and a link to the Temporal Web page of the workflow that handled it.

import { readConfig } from '../config';
import { findRow, type FoundRow } from '../client/find-row';
import { openTemporal, type TemporalSession } from '../client/temporal-connection';
import { RecordKeyHasher } from '../privacy/record-keys';
import { StateStore } from '../state/store';
import { temporalAddressOf, webUiUrlOf } from '../temporal/local-service';
import { EXIT, parseCommandLine, UsageError, type Command } from './usage';

const HELP = `Usage: chartmogul-sync find <sync-name> <key> [--json]

Shows one row's last outcome (created, updated, unchanged, partial, rejected or failed), its ChartMogul
UUID, the reason or ChartMogul's message, when it was last sent, and a Temporal Web link to the page
workflow that handled it. Contacts' keys are \`<customer external id>/<email>\`.

It reads the state store and the reports where \`run\`, \`worker\` and \`serve\` keep them (run it in the
same folder, or pass the same flags), and Temporal at the address your client configuration names (TEMPORAL_ADDRESS or a
temporal.toml profile; else \`serve\`'s, else localhost:7233) when it answers. Links use TEMPORAL_UI_URL, else \`serve\`'s Web UI, else
http://localhost:8233.

Options:
  --json                  print one line: {"key","status","uuid","reason","lastSentAt","webUrl"}
  --reports-dir D         where run reports are (default ./reports)
  --state-database-url U  the state store (default: STATE_DATABASE_URL, else STATE_SQLITE_PATH or
                          ./.state/chartmogul-sync.sqlite)
  -h, --help              this help

Exit codes: 0 found, 1 no such row (or nothing to read), 2 bad command line.`;

function describe(sync: string, row: FoundRow): string {
  return [
    `Row ${row.key} of sync "${sync}": ${row.status}`,
    row.reason ? `  reason:          ${row.reason}` : undefined,
    `  ChartMogul UUID: ${row.uuid ?? '(none)'}`,
    `  last sent:       ${row.lastSentAt ?? '(never)'}`,
    `  Temporal Web:    ${row.webUrl ?? '(no workflow found: Temporal not reachable, or its history is gone)'}`,
  ]
    .filter(Boolean)
    .join('\n');
}

export const findCommand: Command = {
  name: 'find',
  summary: "show one row's last outcome, reason and Temporal Web link",
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, {
      json: { type: 'boolean' },
      'reports-dir': { type: 'string' },
      'state-database-url': { type: 'string' },
    });
    if (values.help) {
      console.log(HELP);
      return EXIT.ok;
    }
    if (positionals.length !== 2) throw new UsageError('expected a sync name and a row key');
    const [sync, key] = positionals as [string, string];
    const config = readConfig();
    const store = StateStore.open(values['state-database-url'] ? { url: values['state-database-url'] } : config.state);
    let temporal: TemporalSession | undefined;
    try {
      temporal = await openTemporal({ allowEmbedded: false, config }).catch((error: unknown) => {
        console.error(
          `Temporal at ${temporalAddressOf(config)} did not answer (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); reading the state store and reports only.`,
        );
        return undefined;
      });
      const row = await findRow(
        {
          store,
          reportsDir: values['reports-dir'] ?? config.reportsDir,
          recordKeys: new RecordKeyHasher(config.encryptionKeys),
          temporal: temporal && { client: temporal.client, namespace: temporal.namespace, uiUrl: webUiUrlOf(config) },
        },
        sync,
        key,
      );
      if (!row) {
        console.error(
          `No row "${key}" in sync "${sync}": not in the state store, the reports or Temporal. Check the key (contacts: customer/email) and the sync name, and run this where the sync's worker keeps its state.`,
        );
        if (values.json) console.log(JSON.stringify(null));
        return EXIT.failed;
      }
      if (values.json) console.log(JSON.stringify(row));
      else console.log(describe(sync, row));
      return EXIT.ok;
    } finally {
      await temporal?.close();
      await store.close();
    }
  },
};
