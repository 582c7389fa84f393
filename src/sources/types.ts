// What every source gives the sync: rows in record-key order, one page at a time, resumable from a cursor.

import type { SourceValue } from '../sync-spec/fields';
import type { ColumnType } from '../sync-spec/mapping';

/** Where the next page starts. Plain data, so it can live in workflow state and survive continue-as-new. */
export interface SourceCursor {
  /** The last key read (one value per key column), or null before the first page. */
  lastKey: string[] | null;
  /** How many rows with exactly `lastKey` were read already (more than 1 means duplicates). */
  readAtLastKey: number;
  /** Rows read so far, for row numbers in messages. */
  rowsRead: number;
  /** Before the first row: how many of the file's unreadable lines were handed on already (they are reported
   * first, a page at a time). Absent once rows are read: every line was reported by then. */
  linesReported?: number;
}

export const START: SourceCursor = { lastKey: null, readAtLastKey: 0, rowsRead: 0 };

export interface SourceRow {
  values: Record<string, SourceValue>;
  /** 1-based: the data row of a file (the line after the header is row 1), else the position in key order. */
  rowNumber: number;
  /** The key was already seen in this run: only the first row with a key is synced. */
  duplicate: boolean;
  /** Where a read resumes to continue just after this row (a page may be handed on part way). */
  after: SourceCursor;
}

export interface SourcePage {
  rows: SourceRow[];
  cursor: SourceCursor;
  /** No rows after this page. */
  done: boolean;
}

export interface RowSource {
  /** Each column's type, for typing custom attributes (once per column, never per value). */
  columnTypes(): Promise<Record<string, ColumnType>>;
  readPage(cursor: SourceCursor, limit: number): Promise<SourcePage>;
  /** How many rows the source holds (one COUNT query). */
  countRows(): Promise<number>;
  /** Lines of a text file that could not be read as rows (bad encoding, field count, JSON), each one a
   * rejected row; none for other sources. */
  rejectedLines(): LineRejection[];
  close(): Promise<void>;
}

/** A line of a text file that could not be read as a row: one rejected row. */
export interface LineRejection {
  /** The file line the record starts on (the header is line 1). */
  line: number;
  /** Its data row number (the first record after the header is row 1). */
  rowNumber: number;
  reason: string;
}

export class SourceError extends Error {
  override readonly name = 'SourceError';
}

/** The spec maps columns the source does not have: a spec error, whoever reads the source. */
export class MissingColumnsError extends SourceError {}

/** The source could not be reached this time (a network timeout, a dropped session): a retry may succeed. */
export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
}
