// Keyset paging shared by the SQL sources: rows ordered by their key columns (as text), with a
// deterministic tie-break, so a resumed run continues exactly where it stopped and duplicates are adjacent.

import type { SourceValue } from '../sync-spec/fields';
import type { SourceCursor, SourcePage, SourceRow } from './types';

export interface KeysetQuery {
  /** SQL that selects the page; parameters are the key values, then limit and offset. */
  sql: string;
  params: (string | number)[];
}

export interface KeysetDialect {
  quote(identifier: string): string;
  /** The key column as comparable text, never null. */
  keyText(quotedColumn: string): string;
  /** A tie-break that orders rows with equal keys the same way every time. */
  tieBreak(alias: string): string;
  placeholder(index: number): string;
  /** LIMIT and OFFSET written as numbers, not parameters (Snowflake documents no binding for them). */
  inlinePaging?: boolean;
}

/** Helper columns the queries add; they never reach the rows. */
export const HELPER_PREFIX = '__cms_';
export const KEY_ALIAS_PREFIX = `${HELPER_PREFIX}key_`;

export function keysetQuery(
  dialect: KeysetDialect,
  relation: string,
  keyColumns: string[],
  cursor: SourceCursor,
  limit: number,
): KeysetQuery {
  const keys = keyColumns.map((_, index) => `${KEY_ALIAS_PREFIX}${index}`);
  const select = `SELECT q.*, ${keyColumns.map((column, index) => `${dialect.keyText(`q.${dialect.quote(column)}`)} AS ${keys[index]}`).join(', ')} FROM ${relation} q`;
  const params: (string | number)[] = [];
  let where = '';
  if (cursor.lastKey) {
    // (k0, k1) >= (v0, v1), spelled out so every SQL dialect accepts it.
    const placeholders = cursor.lastKey.map((value) => {
      params.push(value);
      return dialect.placeholder(params.length);
    });
    const clauses = keys.map((key, index) => {
      const equalBefore = keys.slice(0, index).map((previous, at) => `${previous} = ${placeholders[at]}`);
      const comparison = index === keys.length - 1 ? '>=' : '>';
      return [...equalBefore, `${key} ${comparison} ${placeholders[index]}`].join(' AND ');
    });
    where = ` WHERE (${clauses.map((clause) => `(${clause})`).join(' OR ')})`;
  }
  const offset = cursor.lastKey ? cursor.readAtLastKey : 0;
  let paging = `LIMIT ${limit} OFFSET ${offset}`;
  if (!dialect.inlinePaging) {
    params.push(limit, offset);
    paging = `LIMIT ${dialect.placeholder(params.length - 1)} OFFSET ${dialect.placeholder(params.length)}`;
  }
  const sql = `SELECT * FROM (${select}) k${where} ORDER BY ${keys.join(', ')}, ${dialect.tieBreak('k')} ${paging}`;
  return { sql, params };
}

/** Turns fetched rows into a page: strips the helper columns, flags duplicate keys, moves the cursor.
 * `positionColumn` names a helper column holding each row's position in the source (a file's data row),
 * used as its row number; without one, rows are numbered in key order. */
export function toPage(
  fetched: Record<string, SourceValue>[],
  keyCount: number,
  cursor: SourceCursor,
  limit: number,
  positionColumn?: string,
): SourcePage {
  let lastKey = cursor.lastKey;
  let readAtLastKey = cursor.readAtLastKey;
  const rows: SourceRow[] = fetched.map((raw, index) => {
    const key: string[] = [];
    const values: Record<string, SourceValue> = {};
    for (const [column, value] of Object.entries(raw)) {
      if (column.startsWith(KEY_ALIAS_PREFIX)) key[Number(column.slice(KEY_ALIAS_PREFIX.length))] = String(value ?? '');
      else if (!column.startsWith(HELPER_PREFIX)) values[column] = value;
    }
    const sameAsLast = lastKey !== null && key.length === keyCount && key.every((part, at) => part === lastKey?.[at]);
    readAtLastKey = sameAsLast ? readAtLastKey + 1 : 1;
    lastKey = key;
    const position = positionColumn === undefined ? undefined : Number(raw[positionColumn]);
    const after = { lastKey, readAtLastKey, rowsRead: cursor.rowsRead + index + 1 };
    return { values, rowNumber: position ?? cursor.rowsRead + index + 1, duplicate: sameAsLast, after };
  });
  return {
    rows,
    cursor: { lastKey, readAtLastKey, rowsRead: cursor.rowsRead + rows.length },
    done: rows.length < limit,
  };
}
