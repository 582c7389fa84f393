// Postgres queries, read with `pg`, one keyset page per round trip.

import pg from 'pg';

import type { SourceValue } from '../sync-spec/fields';
import type { ColumnType } from '../sync-spec/mapping';
import { fromJsonText } from './json-values';
import { keysetQuery, toPage, type KeysetDialect } from './keyset';
import { SourceError, type RowSource, type SourceCursor, type SourcePage } from './types';

const dialect: KeysetDialect = {
  quote: (identifier) => `"${identifier.replace(/"/g, '""')}"`,
  keyText: (column) => `(COALESCE((${column})::text, '') COLLATE "C")`,
  tieBreak: (alias) => `(${alias}::text COLLATE "C")`,
  placeholder: (index) => `$${index}`,
};

/** Postgres type OIDs by the column type they give custom attributes. */
const TYPE_BY_OID: Record<number, ColumnType> = {
  20: 'integer',
  21: 'integer',
  23: 'integer',
  700: 'decimal',
  701: 'decimal',
  1700: 'decimal',
  16: 'boolean',
  1082: 'timestamp',
  1114: 'timestamp',
  1184: 'timestamp',
};

/** pg's parsers, but for what they would change. DATE and TIMESTAMP (without time zone) stay their text:
 * pg would make a Date in the worker's local time zone, shifting them by its offset; as text, the field
 * rules read them as UTC, as every other source's. JSON numbers stay their exact text (pg's JSON.parse
 * rounds past 2^53). int8 and numeric are text already until typed. A NULL never reaches a parser. */
const KEEP_TEXT = new Set([1082, 1114]);
const JSON_OIDS = new Set([114, 3802]);
const types = {
  getTypeParser: (oid: number, format?: string): ((value: string) => unknown) => {
    if (KEEP_TEXT.has(oid)) return (value: string) => value;
    if (JSON_OIDS.has(oid)) return fromJsonText;
    return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
  },
};

export interface PostgresSourceOptions {
  connectionString: string;
  query: string;
  keyColumns: string[];
}

export async function openPostgresSource(options: PostgresSourceOptions): Promise<RowSource> {
  const client = new pg.Client({ connectionString: options.connectionString, types });
  try {
    await client.connect();
  } catch (error) {
    // pg's messages name host and user, never the password.
    throw new SourceError(`could not connect to Postgres: ${error instanceof Error ? error.message : String(error)}`);
  }
  const relation = `(${options.query})`;

  async function run(sql: string, params: (string | number)[] = []) {
    try {
      return await client.query<Record<string, SourceValue>>(sql, params);
    } catch (error) {
      throw new SourceError(`the Postgres query failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return {
    async columnTypes() {
      const result = await run(`SELECT * FROM ${relation} q LIMIT 0`);
      return Object.fromEntries(result.fields.map((field) => [field.name, TYPE_BY_OID[field.dataTypeID] ?? 'string']));
    },
    async readPage(cursor: SourceCursor, limit: number): Promise<SourcePage> {
      const query = keysetQuery(dialect, relation, options.keyColumns, cursor, limit);
      const result = await run(query.sql, query.params);
      return toPage(result.rows, options.keyColumns.length, cursor, limit);
    },
    rejectedLines() {
      return [];
    },
    async countRows() {
      const result = await run(`SELECT count(*) AS n FROM ${relation} q`);
      return Number(result.rows[0]?.n ?? 0);
    },
    async close() {
      await client.end();
    },
  };
}
