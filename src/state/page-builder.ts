// One page of what a read found, in source order: at most `pageSize` rows to send and MAX_PAGE_BYTES of rows
// and rejections (what travels through Temporal; MAX_BULK_PAGE_BYTES for a page sized for a bulk import),
// however wide the rows. Unchanged rows cost nothing and never fill a page. A row too large for a page on its
// own is rejected with its size, never a failed sync. Pure.

import { MAX_PAGE_BYTES } from '../limits';
import type { RejectedRow } from '../sync-spec/mapping';
import type { RowToSend } from '../contracts/sync-types';

/** What the read made of one source row. */
export type RowDecision<Unchanged> = { send: RowToSend } | { rejected: RejectedRow } | { unchanged: Unchanged };

/** UTF-8 bytes of a value as JSON: what it weighs in a Temporal payload. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

function kilobytes(bytes: number): number {
  return Math.ceil(bytes / 1024);
}

/** The rejection of a row that cannot travel on its own. */
export function tooLargeRow(row: RowToSend, bytes: number, maxBytes: number): RejectedRow {
  return {
    key: row.key,
    rowNumber: row.rowNumber,
    reasons: [
      `row ${row.rowNumber} (key "${row.key}"): the row takes ${kilobytes(bytes)} KB, more than the ${kilobytes(maxBytes)} KB one row may take (a page of rows must fit in one Temporal payload); map fewer or shorter custom attributes`,
    ],
  };
}

export class PageBuilder<Unchanged> {
  readonly rows: RowToSend[] = [];
  readonly rejected: RejectedRow[] = [];
  readonly unchanged: Unchanged[] = [];
  /** JSON bytes of `rows` and `rejected`. */
  bytes = 0;
  private refused = false;

  constructor(
    private readonly maxRows: number,
    readonly maxBytes: number = MAX_PAGE_BYTES,
    /** One row's bound: MAX_PAGE_BYTES on a page sized for a bulk import too, so which rows are rejected does not
     * depend on how the page was sized. */
    private readonly maxRowBytes: number = Math.min(maxBytes, MAX_PAGE_BYTES),
  ) {}

  /** No more rows to send fit (a rejection or an unchanged row might still). */
  get full(): boolean {
    return this.refused || this.rows.length >= this.maxRows;
  }

  /** Adds a row's outcome; false when it does not fit, and then the page is full: the row belongs to the next. */
  add(decision: RowDecision<Unchanged>): boolean {
    if ('unchanged' in decision) {
      if (this.refused) return false;
      this.unchanged.push(decision.unchanged);
      return true;
    }
    if ('send' in decision) {
      const size = jsonBytes(decision.send);
      if (size > this.maxRowBytes) return this.add({ rejected: tooLargeRow(decision.send, size, this.maxRowBytes) });
      if (this.full || !this.fits(size)) return this.refuse();
      this.rows.push(decision.send);
      this.bytes += size;
      return true;
    }
    const size = jsonBytes(decision.rejected);
    if (this.refused || !this.fits(size)) return this.refuse();
    this.rejected.push(decision.rejected);
    this.bytes += size;
    return true;
  }

  /** An empty page takes any one row, so every page moves the read forward. */
  private fits(size: number): boolean {
    return this.rows.length + this.rejected.length === 0 || this.bytes + size <= this.maxBytes;
  }

  private refuse(): false {
    this.refused = true;
    return false;
  }
}
