// Words: a *page* is the rows read from the source at once (spec option pageSize); each page runs as one
// or more *page workflows*, one per *part*. A part is as many of the page's rows as have record keys that
// fit in one search attribute value: Temporal limits a value to 2 KiB by default
// (limit.searchAttributesSizeOfValue), and each page workflow lists its keys, so Temporal Web finds a row
// by its key. Parts are numbered `page-7.1`, `page-7.2`; a page of one part is just `page-7`.

import type { RowToSend } from '../src/state/row';

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

/** The page's parts, in row order. */
export function splitPageIntoParts(rows: RowToSend[]): RowToSend[][] {
  const parts: RowToSend[][] = [];
  let current: RowToSend[] = [];
  let bytes = 2;
  for (const row of rows) {
    const size = jsonBytes(searchableKey(row.key));
    if (current.length > 0 && bytes + size > KEYS_BYTES_PER_PART) {
      parts.push(current);
      current = [];
      bytes = 2;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/** Shares the spec's rows-in-flight among parts that run at once, in proportion to their size. */
export function partConcurrency(concurrency: number, partSize: number, pageSize: number): number {
  return Math.max(1, Math.round((concurrency * partSize) / Math.max(1, pageSize)));
}
