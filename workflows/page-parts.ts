// Words: a *page* is the rows read from the source at once (spec option pageSize); each page runs as one
// or more *page workflows*, one per *part*. A part is as many of the page's rows as have record keys that
// fit in one search attribute value: Temporal limits a value to 2 KiB by default
// (limit.searchAttributesSizeOfValue), and each page workflow lists its keys, so Temporal Web finds a row
// by its key. Parts are numbered `page-7.1`, `page-7.2`; a page of one part is just `page-7`.

import type { RowToSend } from '../src/contracts/sync-types';
import type { RejectedRow } from '../src/sync-spec/mapping';

/** Below the 2048-byte default, leaving room for the payload's encoding. */
export const KEYS_BYTES_PER_PART = 1800;

/** UTF-8 takes at most 4 bytes a character. */
const MAX_BYTES_PER_CHARACTER = 4;

function jsonBytes(text: string): number {
  // UTF-8 length of a JSON string literal, without Node's Buffer (this runs in the workflow sandbox).
  let bytes = 3; // quotes and comma
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? (char === '"' || char === '\\' ? 2 : 1) : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** A key too long for a part of its own is cut short in the search attribute only. */
export function searchableKey(key: string): string {
  return jsonBytes(key) <= KEYS_BYTES_PER_PART ? key : key.slice(0, KEYS_BYTES_PER_PART / MAX_BYTES_PER_CHARACTER);
}

/** One page workflow's share of a page: rows to send, and rows rejected before any request (which it
 * lists too, so a search for their keys finds the workflow that shows their reason). */
export interface PagePart {
  rows: RowToSend[];
  rejected: RejectedRow[];
}

/** The page's parts, in row order. `indexed` gives what the search attribute lists for a key (the key, or
 * its hash: see src/privacy/record-keys.ts), whose size is what must fit. */
export function splitPageIntoParts(
  rows: RowToSend[],
  rejected: RejectedRow[] = [],
  indexed: (key: string) => string = (key) => key,
): PagePart[] {
  return splitIntoParts(rows, rejected, indexed, () => '');
}

/** A bulk page's parts: each customer's rows (`customerOf`) in one part, so no two imports running at once
 * hold one customer (ChartMogul's rule). A customer too big for one part keeps its rows out of bulk (they
 * go one at a time), whatever part they fall in. */
export function splitBulkPageIntoParts(
  rows: RowToSend[],
  rejected: RejectedRow[],
  indexed: (key: string) => string,
  customerOf: (row: RowToSend) => string,
): PagePart[] {
  const byCustomer = [...rows].sort((a, b) =>
    customerOf(a) === customerOf(b) ? a.rowNumber - b.rowNumber : customerOf(a) < customerOf(b) ? -1 : 1,
  );
  const parts = splitIntoParts(byCustomer, rejected, indexed, customerOf, false);
  const partsOf = new Map<string, Set<number>>();
  parts.forEach((part, index) =>
    part.rows.forEach((row) => partsOf.set(customerOf(row), (partsOf.get(customerOf(row)) ?? new Set()).add(index))),
  );
  return parts.map((part) => ({
    ...part,
    rows: part.rows.map((row) => {
      if (!row.bulk || (partsOf.get(customerOf(row))?.size ?? 0) <= 1) return row;
      const { bulk: _bulk, ...oneByOne } = row;
      return oneByOne;
    }),
  }));
}

/** Parts by key bytes. Rows of one group (`groupOf`, '' for none) that come one after another stay in one
 * part when they fit in one. `inRowOrder`: rows and rejected rows by row number; else rows as given, then the
 * rejected ones. */
function splitIntoParts(
  rows: RowToSend[],
  rejected: RejectedRow[],
  indexed: (key: string) => string,
  groupOf: (row: RowToSend) => string,
  inRowOrder = true,
): PagePart[] {
  type Item = { key: string; rowNumber: number; group: string; add(part: PagePart): void };
  const rowItems: Item[] = rows.map((row) => ({
    key: row.key,
    rowNumber: row.rowNumber,
    group: groupOf(row),
    add: (part: PagePart) => part.rows.push(row),
  }));
  const rejectedItems: Item[] = rejected.map((row) => ({
    key: row.key,
    rowNumber: row.rowNumber,
    group: '',
    add: (part: PagePart) => part.rejected.push(row),
  }));
  const items = inRowOrder
    ? [...rowItems, ...rejectedItems].sort((a, b) => a.rowNumber - b.rowNumber)
    : [...rowItems, ...rejectedItems];
  const groups: Item[][] = [];
  for (const item of items) {
    const last = groups[groups.length - 1];
    if (last && item.group !== '' && last[0]?.group === item.group) last.push(item);
    else groups.push([item]);
  }
  const sizeOf = (item: Item) => jsonBytes(searchableKey(indexed(item.key)));
  const parts: PagePart[] = [];
  let current: PagePart = { rows: [], rejected: [] };
  let bytes = 2;
  const full = (size: number) =>
    current.rows.length + current.rejected.length > 0 && bytes + size > KEYS_BYTES_PER_PART;
  const next = () => {
    parts.push(current);
    current = { rows: [], rejected: [] };
    bytes = 2;
  };
  for (const group of groups) {
    if (full(group.reduce((sum, item) => sum + sizeOf(item), 0))) next();
    for (const item of group) {
      const size = sizeOf(item);
      if (full(size)) next();
      item.add(current);
      bytes += size;
    }
  }
  if (current.rows.length + current.rejected.length > 0) parts.push(current);
  return parts;
}

/** Every key a part holds, in row order, as its search attribute lists them. */
export function partKeys(part: PagePart): string[] {
  return [...part.rows, ...part.rejected].sort((a, b) => a.rowNumber - b.rowNumber).map((row) => row.key);
}

/** The page workflow's one-line summary in Temporal Web: `page 7.2: 198 rows (C-0201 … C-0400), 2 rejected before sending`. */
export function partSummary(label: string, part: PagePart): string {
  const keys = partKeys(part);
  const range = keys.length > 1 ? `${keys[0]} … ${keys[keys.length - 1]}` : (keys[0] ?? '');
  const rejected = part.rejected.length > 0 ? `, ${part.rejected.length} rejected before sending` : '';
  return `${label}: ${keys.length} row${keys.length === 1 ? '' : 's'} (${range})${rejected}`;
}

/** The page workflow's details in Temporal Web: each row rejected before any request, and why. */
export function partDetails(part: PagePart): string | undefined {
  if (part.rejected.length === 0) return undefined;
  return [
    'Rejected before any request:',
    // Each reason names its row, key and field already.
    ...part.rejected.map((row) => `- ${row.reasons.join('; ')}`),
  ].join('\n');
}

/** Shares the spec's rows-in-flight among parts that run at once, in proportion to their size. */
export function partConcurrency(concurrency: number, partSize: number, pageSize: number): number {
  return Math.max(1, Math.round((concurrency * partSize) / Math.max(1, pageSize)));
}
