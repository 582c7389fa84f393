// Splits a page of rows into groups whose record keys fit in one search attribute value. Temporal
// limits a search attribute value to 2 KiB by default (limit.searchAttributesSizeOfValue), and each
// group runs as its own page workflow listing its keys, so Temporal Web finds a row by its key.

import type { MappedRow } from '../src/spec/mapping';

/** Below the 2048-byte default, leaving room for the payload's encoding. */
export const KEYS_BYTES_PER_GROUP = 1800;

function jsonBytes(text: string): number {
  // UTF-8 length of a JSON string literal, without Node's Buffer (this runs in the workflow sandbox).
  let bytes = 3; // quotes and comma
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? (char === '"' || char === '\\' ? 2 : 1) : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** A key too long for a group of its own is cut short in the search attribute only. */
export function searchableKey(key: string): string {
  return jsonBytes(key) <= KEYS_BYTES_PER_GROUP ? key : key.slice(0, KEYS_BYTES_PER_GROUP / 4);
}

export function groupRowsByKeySize(rows: MappedRow[]): MappedRow[][] {
  const groups: MappedRow[][] = [];
  let current: MappedRow[] = [];
  let bytes = 2;
  for (const row of rows) {
    const size = jsonBytes(searchableKey(row.key));
    if (current.length > 0 && bytes + size > KEYS_BYTES_PER_GROUP) {
      groups.push(current);
      current = [];
      bytes = 2;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Shares the spec's rows-in-flight among groups that run at once, in proportion to their size. */
export function groupConcurrency(concurrency: number, groupSize: number, pageSize: number): number {
  return Math.max(1, Math.round((concurrency * groupSize) / Math.max(1, pageSize)));
}
