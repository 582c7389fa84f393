// A finished page's bookkeeping activities: the rows ChartMogul confirmed into the state store, and the page's
// part of the run report. Run by the sync for its pages (page-pipeline.ts) and by a bulk page's own workflow
// (bulk-import.ts).

import { syncTargetOf } from '../src/contracts/activities';
import type { ReportEntry } from '../src/contracts/sync-types';
import type { SyncSpec } from '../src/sync-spec/schema';
import { callIo } from './activities';
import type { PageResult } from './page';

/** Records and reports the page; answers its issues in row order. `bulk`: a bulk page's (new with bulk
 * imports, so no older history expects its commands), which records and reports at once and writes no empty
 * part (the report reads a missing part as empty); other pages keep the order older histories hold. */
export async function recordPage(
  spec: SyncSpec,
  reportId: string,
  index: number,
  result: PageResult,
  bulk: boolean,
): Promise<ReportEntry[]> {
  const issues = [...result.issues].sort((a, b) => a.rowNumber - b.rowNumber);
  const storeChanges = result.sent.length + result.forgotten.length + result.forgottenParents.length;
  const record = async () => {
    if (!spec.options.incremental || spec.options.dryRun || storeChanges === 0) return;
    await callIo('recordSent', `record ${result.sent.length} synced rows of page ${index}`, {
      target: syncTargetOf(spec),
      sent: result.sent,
      forgotten: result.forgotten,
      forgottenParents: result.forgottenParents,
    });
  };
  const report = async () => {
    if (bulk && issues.length === 0) return;
    await callIo('writeReportPart', `write report part ${index} (${issues.length} rows)`, {
      reportId,
      page: index,
      entries: issues,
    });
  };
  if (bulk) await Promise.all([record(), report()]);
  else {
    await record();
    await report();
  }
  return issues;
}
