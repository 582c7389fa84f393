// `chartmogul-sync validate <spec>`: offline. Checks the spec, reads the whole source through the mapping
// and lists the rows that would be rejected. No ChartMogul request, no Temporal.

import { loadSpecFile } from '../client/spec-file';
import { readConfig } from '../config';
import { VALIDATE_BATCH_ROWS } from '../limits';
import { OBJECTS } from '../objects';
import type { MappedRow } from '../sync-spec/mapping';
import { checkedColumnTypes, mappedPages, openSource } from '../sources';
import { EXIT, parseCommandLine, toInteger, UsageError, type Command } from './usage';

/** `--json` lists this many rejected rows at most (all are counted). */
const MAX_REJECTIONS_IN_JSON = 1000;

const HELP = `Usage: chartmogul-sync validate <spec.json|spec.yaml> [--show N] [--json]

Checks the spec, reads the source through the mapping and field rules, and lists the rows that a sync
would reject, with the reason for each. Sends nothing to ChartMogul and needs no Temporal.

Options:
  --show N     how many rejected rows to print (default 20; all are counted)
  --json       print {"rows","valid","rejected","rejections":[...]} as one JSON line on stdout (for invoices
               with options.invoiceChanges "auto" also "editableInPlace": the valid rows a change edits in place)
  -h, --help   this help

Exit codes: 0 every row is valid; 3 some rows would be rejected; 1 the spec or source is unusable.`;

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a spec and its source offline; list the rows that would be rejected',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, { show: { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) {
      console.log(HELP);
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError('expected exactly one spec file');
    const show = toInteger('show', values.show, 20);
    const spec = loadSpecFile(positionals[0] ?? '');
    const config = readConfig();
    const source = await openSource(spec, { env: config.environment, debug: config.debug });
    let rows = 0;
    const rejections: { rowNumber: number; key: string; reasons: string[] }[] = [];
    let rejected = 0;
    /** Valid rows whose record, when it changes, is edited in place (options.invoiceChanges `auto`). */
    const definition = OBJECTS[spec.object];
    const editable = definition.editableInPlace
      ? (fields: MappedRow['fields']) => definition.editableInPlace?.(fields)
      : undefined;
    let editableRows = 0;
    try {
      const columnTypes = await checkedColumnTypes(spec, source);
      // The same pages a sync reads, through one open source.
      const sameSource = () => Promise.resolve({ source, release: () => Promise.resolve() });
      for await (const page of mappedPages(spec, columnTypes, sameSource, VALIDATE_BATCH_ROWS)) {
        // Unreadable lines (first page) are rejected rows of their own.
        rows += page.rows.length + page.rejected.length;
        rejected += page.rejected.length;
        if (editable) editableRows += page.rows.filter((row) => editable(row.fields)).length;
        const room = Math.max(show, values.json ? MAX_REJECTIONS_IN_JSON : 0) - rejections.length;
        rejections.push(...page.rejected.slice(0, Math.max(0, room)));
      }
    } finally {
      await source.close();
    }
    rejections.sort((a, b) => a.rowNumber - b.rowNumber);
    console.error(`Spec "${spec.name}" is valid: ${spec.object} ${spec.mode} into ${spec.dataSourceUuid}.`);
    console.error(`${rows} rows read: ${rows - rejected} valid, ${rejected} would be rejected.`);
    for (const rejection of rejections.slice(0, show))
      for (const reason of rejection.reasons) console.error(`  ${reason}`);
    if (rejected > show) console.error(`  ... and ${rejected - show} more (use --show N to see more)`);
    const editsInPlace = editable && spec.options.invoiceChanges === 'auto';
    if (editsInPlace)
      console.error(
        editableRows === rows - rejected
          ? 'Changes: every valid row names each line item and transaction by external_id, so a changed invoice is edited in place (options.invoiceChanges "auto").'
          : `Changes: ${editableRows} of ${rows - rejected} valid rows name each line item and transaction by external_id and are edited in place when they change; a change to the others fails (give them external ids, or set options.invoiceChanges).`,
      );
    if (values.json)
      console.log(
        JSON.stringify({
          rows,
          valid: rows - rejected,
          rejected,
          ...(editsInPlace ? { editableInPlace: editableRows } : {}),
          rejections,
        }),
      );
    return rejected > 0 ? EXIT.rowsNotSynced : EXIT.ok;
  },
};
