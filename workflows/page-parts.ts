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
  type Item = { key: string; rowNumber: number; add(part: PagePart): void };
  const items: Item[] = [
    ...rows.map((row) => ({ key: row.key, rowNumber: row.rowNumber, add: (part: PagePart) => part.rows.push(row) })),
    ...rejected.map((row) => ({
      key: row.key,
      rowNumber: row.rowNumber,
      add: (part: PagePart) => part.rejected.push(row),
    })),
  ].sort((a, b) => a.rowNumber - b.rowNumber);
  const parts: PagePart[] = [];
  let current: PagePart = { rows: [], rejected: [] };
  let bytes = 2;
  for (const item of items) {
    const size = jsonBytes(searchableKey(indexed(item.key)));
    if (current.rows.length + current.rejected.length > 0 && bytes + size > KEYS_BYTES_PER_PART) {
      parts.push(current);
      current = { rows: [], rejected: [] };
      bytes = 2;
    }
    item.add(current);
    bytes += size;
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

/** The page workflow's details in Temporal Web: the rows a bulk import created (`importedBy`: its workflow
 * id), and each row rejected before any request, and why. */
export function partDetails(part: PagePart, importedBy?: string): string | undefined {
  const created = part.rows.filter((row) => row.createdInBulk !== undefined).length;
  const lines = [
    ...(importedBy && created > 0 ? [`${created} rows created by bulk import ${importedBy}`] : []),
    ...(part.rejected.length > 0 ? ['Rejected before any request:'] : []),
    // Each reason names its row, key and field already.
    ...part.rejected.map((row) => `- ${row.reasons.join('; ')}`),
  ];
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** Shares the spec's rows-in-flight among parts that run at once, in proportion to their size. */
export function partConcurrency(concurrency: number, partSize: number, pageSize: number): number {
  return Math.max(1, Math.round((concurrency * partSize) / Math.max(1, pageSize)));
}
