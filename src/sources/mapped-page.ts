// One page of a source, mapped: the rows to sync and the rows rejected, each with its reasons. The one page
// loop every reader shares: the readPage activity (a page at a time), `validate` and the benchmark (all pages).

import { mapRow, type ColumnType, type MappedRow, type RejectedRow } from '../sync-spec/mapping';
import type { SyncSpec } from '../sync-spec/schema';
import { START, type RowSource, type SourceCursor } from './types';

export interface MappedPage {
  rows: MappedRow[];
  /** Rows that failed the mapping, repeated keys, and (with the first page) lines that were not rows at all. */
  rejected: RejectedRow[];
  /** Rows read from the source on this page (`rows` + `rejected`, but lines that were not rows). */
  read: number;
  /** Each source row of the page in order, with the cursor just after it, so a reader can hand on part of a
   * page and resume after the last row it handed on. */
  positions: { rowNumber: number; after: SourceCursor }[];
  cursor: SourceCursor;
  done: boolean;
}

/** A source's unreadable lines as rejected rows, keyed `line N` (their key could not be read). */
export function rejectedLineRows(source: RowSource): RejectedRow[] {
  return source.rejectedLines().map((rejection) => ({
    key: `line ${rejection.line}`,
    rowNumber: rejection.rowNumber,
    reasons: [rejection.reason],
  }));
}

export function isFirstPage(cursor: SourceCursor): boolean {
  return cursor.lastKey === null && cursor.rowsRead === 0;
}

/** Reads the rows after the cursor and maps each; a bad row is rejected, never lost. */
export async function readMappedPage(
  spec: SyncSpec,
  source: RowSource,
  cursor: SourceCursor,
  columnTypes: Record<string, ColumnType>,
  pageSize: number = spec.options.pageSize,
): Promise<MappedPage> {
  const page = await source.readPage(cursor, pageSize);
  const rows: MappedRow[] = [];
  const rejected: RejectedRow[] = isFirstPage(cursor) ? rejectedLineRows(source) : [];
  for (const row of page.rows) {
    const mapped = mapRow(spec, row.values, columnTypes, row.rowNumber);
    if (!mapped.ok) rejected.push(mapped.rejected);
    else if (row.duplicate) {
      const reason = `row ${row.rowNumber} (key "${mapped.row.key}"): the key was already seen in this run; only its first row is synced`;
      rejected.push({ key: mapped.row.key, rowNumber: row.rowNumber, reasons: [reason] });
    } else rows.push(mapped.row);
  }
  const positions = page.rows.map((row) => ({ rowNumber: row.rowNumber, after: row.after }));
  return { rows, rejected, read: page.rows.length, positions, cursor: page.cursor, done: page.done };
}

/** Every page of the source, in key order. `open` gives the source for each page (a reader may reopen it per
 * page, as activities do). */
export async function* mappedPages(
  spec: SyncSpec,
  columnTypes: Record<string, ColumnType>,
  open: () => Promise<{ source: RowSource; release: () => Promise<void> }>,
  pageSize: number = spec.options.pageSize,
): AsyncGenerator<MappedPage> {
  let cursor: SourceCursor = START;
  for (;;) {
    const { source, release } = await open();
    let page: MappedPage;
    try {
      page = await readMappedPage(spec, source, cursor, columnTypes, pageSize);
    } finally {
      await release();
    }
    yield page;
    if (page.done) return;
    cursor = page.cursor;
  }
}
