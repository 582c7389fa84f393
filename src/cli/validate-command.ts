// `chartmogul-sync validate <spec>`: offline. Checks the spec, reads the whole source through the mapping
// and lists the rows that would be rejected. No ChartMogul request, no Temporal.

import { loadSpecFile } from '../client/spec-file';
import { VALIDATE_BATCH_ROWS } from '../limits';
import { mapRow } from '../spec/mapping';
import { checkedColumnTypes, openSource, rejectedLineRows, START, type SourceCursor } from '../sources';
import { EXIT, parseCommandLine, toInteger, UsageError, type Command } from './usage';

const HELP = `Usage: chartmogul-sync validate <spec.json|spec.yaml> [--show N] [--json]

Checks the spec, reads the source through the mapping and field rules, and lists the rows that a sync
would reject, with the reason for each. Sends nothing to ChartMogul and needs no Temporal.

Options:
  --show N     how many rejected rows to print (default 20; all are counted)
  --json       print {"rows","valid","rejected","rejections":[...]} as one JSON line on stdout
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
    const source = await openSource(spec);
    let rows = 0;
    const rejections: { rowNumber: number; key: string; reasons: string[] }[] = [];
    let rejected = 0;
    try {
      const columnTypes = await checkedColumnTypes(spec, source);
      for (const line of rejectedLineRows(source)) {
        rows += 1;
        rejected += 1;
        rejections.push({ rowNumber: line.rowNumber, key: line.key, reasons: line.reasons });
      }
      let cursor: SourceCursor = START;
      for (;;) {
        const page = await source.readPage(cursor, VALIDATE_BATCH_ROWS);
        for (const row of page.rows) {
          rows += 1;
          const mapped = mapRow(spec, row.values, columnTypes, row.rowNumber);
          const reasons = !mapped.ok
            ? mapped.rejected.reasons
            : row.duplicate
              ? [
                  `row ${row.rowNumber} (key "${mapped.row.key}"): the key was already seen; only its first row is synced`,
                ]
              : [];
          if (reasons.length === 0) continue;
          rejected += 1;
          if (rejections.length < Math.max(show, values.json ? 1000 : 0))
            rejections.push({
              rowNumber: row.rowNumber,
              key: mapped.ok ? mapped.row.key : mapped.rejected.key,
              reasons,
            });
        }
        cursor = page.cursor;
        if (page.done) break;
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
    if (values.json) console.log(JSON.stringify({ rows, valid: rows - rejected, rejected, rejections }));
    return rejected > 0 ? EXIT.rowsNotSynced : EXIT.ok;
  },
};
