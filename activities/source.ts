// Source activities (io task queue): read one page of rows and map it; write the run's report.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { SentRecord } from '../src/contracts/sync-types';
import type { Config } from '../src/config';
import { textField } from '../src/sync-spec/mapping';
import type { SyncSpec } from '../src/sync-spec/schema';
import { MAX_BULK_PAGE_BYTES, MAX_PAGE_BYTES, SCAN_CHUNK_ROWS, SCAN_MAX_MS } from '../src/limits';
import {
  checkedColumnTypes,
  checkSpecSource,
  isFirstPage,
  openSource,
  readMappedPage,
  rejectedLineRows,
  type MappedPage,
} from '../src/sources';
import { OBJECTS } from '../src/objects';
import { classifyRows } from '../src/state/classify';
import { PageBuilder, type RowDecision } from '../src/state/page-builder';
import type { StoredRecord } from '../src/state/store';
import type { ActivityDependencies } from './dependencies';
import {
  syncTargetOf,
  type FinishReportInput,
  type PrefetchPlan,
  type ReadPageInput,
  type ReadPageResult,
  type RecordSentInput,
  type SyncTarget,
  type WriteReportPartInput,
} from '../src/contracts/activities';

/** A row the read found unchanged, and whether the store had it from a send (else from a prefetch). */
interface StoredUnchanged {
  record: SentRecord;
  seenBefore: boolean;
}

/** How many rows the next read of a page asks for: about what fills the page's rows and bytes left, at the rate
 * rows read so far filled it (unchanged rows fill nothing), so rows beyond its bound are seldom read and mapped
 * for nothing; while none filled it, four times the last read. */
function nextChunkRows(
  page: PageBuilder<StoredUnchanged>,
  readRows: number,
  lastChunkRows: number,
  pageSize: number,
): number {
  const filling = page.rows.length + page.rejected.length;
  if (filling === 0) return Math.min(SCAN_CHUNK_ROWS, lastChunkRows * 4);
  const rowsLeft = Math.min(
    pageSize - page.rows.length,
    Math.ceil(((page.maxBytes - page.bytes) * filling) / Math.max(1, page.bytes)),
  );
  return Math.max(1, Math.min(SCAN_CHUNK_ROWS, Math.ceil((rowsLeft * readRows) / filling) + 1));
}

export interface SourceSettings {
  /** The entry point's configuration: env:NAME references, debug output. */
  config: Config;
  /** Where reports go (default ./reports). */
  reportsDir?: string;
}

export function sourceActivities(deps: ActivityDependencies, settings: SourceSettings) {
  const reportsDir = settings.reportsDir ?? settings.config.reportsDir;
  const sourceOptions = { env: settings.config.environment, debug: settings.config.debug };
  const partsDir = (reportId: string) => join(reportsDir, `.${reportId}.parts`);
  const partPath = (reportId: string, page: number) =>
    join(partsDir(reportId), `${String(page).padStart(8, '0')}.jsonl`);

  async function countRows(spec: SyncSpec): Promise<number> {
    const source = await openSource(spec, sourceOptions);
    try {
      return await source.countRows();
    } finally {
      await source.close();
    }
  }

  /** Rows of the source the store has no confirmed record of (an estimate: counts, not keys). */
  async function countUnknownRows(spec: SyncSpec): Promise<number> {
    const known = await deps.store.count(deps.namespaces(syncTargetOf(spec)).records, { confirmedOnly: true });
    return Math.max(0, (await countRows(spec)) - known);
  }

  /** Notes the search attribute value of every key the page holds that must not be indexed in clear. */
  function withSearchKeys(spec: SyncSpec, page: ReadPageResult): ReadPageResult {
    const searchKeys: Record<string, string> = {};
    for (const { key } of [...page.rows, ...page.rejected]) {
      const searchable = deps.recordKeys.searchable(key, spec.object);
      if (searchable !== key) searchKeys[key] = searchable;
    }
    return Object.keys(searchKeys).length > 0 ? { ...page, searchKeys } : page;
  }

  /** What each mapped row of a chunk comes to: send, rejected or (incremental) unchanged. Writes nothing. */
  async function decide(spec: SyncSpec, page: MappedPage): Promise<Map<number, RowDecision<StoredUnchanged>>> {
    const decisions = new Map<number, RowDecision<StoredUnchanged>>();
    for (const rejected of page.rejected) decisions.set(rejected.rowNumber, { rejected });
    if (!spec.options.incremental) {
      for (const row of page.rows) decisions.set(row.rowNumber, { send: row });
      return decisions;
    }
    const namespaces = deps.namespaces(syncTargetOf(spec));
    const keys = page.rows.map((row) => row.key);
    const stored = await deps.store.lookup(namespaces.records, keys);
    const parentField = OBJECTS[spec.object].parent?.field;
    const parents = parentField
      ? await deps.store.lookup(
          namespaces.parents,
          page.rows.map((row) => textField(row, parentField)),
        )
      : new Map<string, StoredRecord>();
    const classified = classifyRows(spec, page.rows, stored, parents);
    const rowNumberOf = new Map(page.rows.map((row) => [row.key, row.rowNumber]));
    for (const send of classified.toSend) decisions.set(send.rowNumber, { send });
    for (const rejected of classified.rejected) decisions.set(rejected.rowNumber, { rejected });
    for (const record of classified.unchanged) {
      const seenBefore = stored.get(record.key)?.hash === record.hash;
      decisions.set(rowNumberOf.get(record.key) ?? 0, { unchanged: { record, seenBefore } });
    }
    return decisions;
  }

  /** Notes what a read found unchanged: rows a prefetch saw in ChartMogul are recorded as sent; rows sent
   * before are marked seen by this run (for `find`). */
  async function recordUnchanged(spec: SyncSpec, unchanged: StoredUnchanged[]): Promise<void> {
    if (!spec.options.incremental || spec.options.dryRun || unchanged.length === 0) return;
    const records = deps.namespaces(syncTargetOf(spec)).records;
    await deps.store.recordSent(
      records,
      unchanged.filter((row) => !row.seenBefore).map((row) => row.record),
    );
    await deps.store.markSeen(
      records,
      unchanged.filter((row) => row.seenBefore).map((row) => row.record.key),
    );
  }

  /** Reads from the cursor until a page of rows to send is full (by rows or bytes), the source ends, or
   * SCAN_MAX_MS passed. Unchanged rows are counted and recorded, never returned, so a re-run of a large
   * unchanged table costs a few activities. The cursor returned is just after the last row handed on. */
  async function readPage(input: ReadPageInput): Promise<ReadPageResult> {
    const spec = input.spec;
    const source = await openSource(spec, sourceOptions);
    try {
      const columnTypes = input.columnTypes ?? (await checkedColumnTypes(spec, source));
      const page = new PageBuilder<StoredUnchanged>(
        spec.options.pageSize,
        input.sizedForBulk ? MAX_BULK_PAGE_BYTES : MAX_PAGE_BYTES,
      );
      // Lines that could not be read at all are rejected first, before any row, as many a page as fit.
      const lines = isFirstPage(input.cursor) ? rejectedLineRows(source) : [];
      let linesReported = input.cursor.linesReported ?? 0;
      while (linesReported < lines.length && page.add({ rejected: lines[linesReported]! })) linesReported += 1;
      if (linesReported < lines.length) {
        const cursor = { ...input.cursor, linesReported };
        return { rows: [], unchanged: 0, rejected: page.rejected, cursor, done: false, columnTypes, bytes: page.bytes };
      }
      const started = Date.now();
      let cursor = input.cursor;
      let done = false;
      let unchanged = 0;
      // The first read asks for a page's worth (or about what the last page held); then each asks for what
      // fills the rest, or, while rows come back unchanged, for more.
      let chunkRows = Math.min(spec.options.pageSize, input.rowsHint ?? Infinity);
      let readRows = 0;
      while (!page.full && Date.now() - started < SCAN_MAX_MS) {
        const chunk = await readMappedPage(spec, source, cursor, columnTypes, chunkRows);
        readRows += chunk.positions.length;
        const decisions = await decide(spec, chunk);
        let handedOn = 0;
        for (const position of chunk.positions) {
          const decision = decisions.get(position.rowNumber);
          // Every row read is sent, rejected or unchanged: a row with no outcome would be lost, so stop here.
          if (!decision) throw new Error(`row ${position.rowNumber} was read but not classified`);
          if (!page.add(decision)) break;
          cursor = position.after;
          handedOn += 1;
        }
        const allHandedOn = handedOn === chunk.positions.length;
        if (allHandedOn) cursor = chunk.cursor;
        const found = page.unchanged.splice(0);
        unchanged += found.length;
        await recordUnchanged(spec, found);
        if (chunk.done && allHandedOn) {
          done = true;
          break;
        }
        if (!allHandedOn) break;
        chunkRows = nextChunkRows(page, readRows, chunkRows, spec.options.pageSize);
      }
      return {
        rows: page.rows,
        unchanged,
        rejected: page.rejected,
        cursor,
        done,
        columnTypes,
        bytes: page.bytes,
      };
    } finally {
      await source.close();
    }
  }

  return {
    /** Reads the rows after the cursor and maps each; a bad row is rejected here, never lost. */
    readPage: async (input: ReadPageInput): Promise<ReadPageResult> =>
      withSearchKeys(input.spec, await readPage(input)),

    /** Refuses a spec whose mapped columns the source lacks, before the sync sends any request. */
    checkSource: async ({ spec }: { spec: SyncSpec }): Promise<void> => checkSpecSource(spec, sourceOptions),

    /** Plans a run's prefetch: how many rows the store has no confirmed record of, and whether the last run
     * was cut short (its writes may be unrecorded). Notes that this run starts, unless it is a dry run. */
    planPrefetch: async ({ spec }: { spec: SyncSpec }): Promise<PrefetchPlan> => {
      const records = deps.namespaces(syncTargetOf(spec)).records;
      const previousRunInterrupted = spec.options.dryRun ? false : await deps.store.beginRun(records);
      // A dry run shows each change from ChartMogul's values, so every row counts: a listing that costs fewer
      // requests than reading each changed record is made (a real run compares with the store alone).
      const unknownRows = spec.options.dryRun ? await countRows(spec) : await countUnknownRows(spec);
      return { unknownRows, previousRunInterrupted };
    },

    /** Notes that a run finished with every write it made recorded. */
    async endRun({ target }: { target: SyncTarget }): Promise<void> {
      await deps.store.endRun(deps.namespaces(target).records);
    },

    /** Marks rows as sent once ChartMogul confirmed them, and forgets records ChartMogul no longer has (and
     * parents it answered 404 for). */
    async recordSent(input: RecordSentInput): Promise<void> {
      const namespaces = deps.namespaces(input.target);
      await deps.store.forgetKeys(namespaces.records, input.forgotten ?? []);
      await deps.store.forgetKeys(namespaces.parents, input.forgottenParents ?? []);
      await deps.store.recordSent(namespaces.records, input.sent);
    },

    /** Writes one page's rejected, failed and partial rows (idempotent: a retry rewrites the same part). */
    writeReportPart: async ({ reportId, page, entries }: WriteReportPartInput): Promise<void> => {
      await mkdir(partsDir(reportId), { recursive: true });
      await writeFile(partPath(reportId, page), entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    },

    /** Joins the parts into `<reportsDir>/<reportId>.jsonl`. */
    finishReport: async ({ reportId, pages }: FinishReportInput) => {
      await mkdir(reportsDir, { recursive: true });
      const path = join(reportsDir, `${reportId}.jsonl`);
      const parts: string[] = [];
      for (let page = 0; page < pages; page++)
        parts.push(await readFile(partPath(reportId, page), 'utf8').catch(() => ''));
      await writeFile(path, parts.join(''));
      await rm(partsDir(reportId), { recursive: true, force: true });
      return { path };
    },
  };
}
